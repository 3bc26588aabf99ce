package io.s3csi.testkit.systemd;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A command running inside a {@link SystemdNamespace}, seen through the {@code nsenter} process
 * that started it. The streams and the exit status are nsenter's, which passes on the command's;
 * {@link #pid()}, {@link #toHandle()} and the {@code destroy} methods act on the command itself
 * (nsenter does not forward signals). If nsenter dies, the command gets SIGKILL (parent-death
 * signal).
 */
final class NamespacedProcess extends Process {
  private final Process nsenter;
  private final ProcessHandle command;

  NamespacedProcess(Process nsenter, ProcessHandle command) {
    this.nsenter = nsenter;
    this.command = command;
  }

  @Override
  public OutputStream getOutputStream() {
    return nsenter.getOutputStream();
  }

  @Override
  public InputStream getInputStream() {
    return nsenter.getInputStream();
  }

  @Override
  public InputStream getErrorStream() {
    return nsenter.getErrorStream();
  }

  @Override
  public int waitFor() throws InterruptedException {
    return nsenter.waitFor();
  }

  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    return nsenter.waitFor(timeout, unit);
  }

  @Override
  public int exitValue() {
    return nsenter.exitValue();
  }

  @Override
  public boolean isAlive() {
    return nsenter.isAlive();
  }

  /** Sends SIGTERM to the command; {@link #waitFor()} returns once it has exited. */
  @Override
  public void destroy() {
    if (!command.destroy()) {
      nsenter.destroy();
    }
  }

  /** Sends SIGKILL to the command and to nsenter. */
  @Override
  public Process destroyForcibly() {
    command.destroyForcibly();
    nsenter.destroyForcibly();
    return this;
  }

  @Override
  public boolean supportsNormalTermination() {
    return true;
  }

  /** The host pid of the command (not nsenter's). */
  @Override
  public long pid() {
    return command.pid();
  }

  @Override
  public ProcessHandle toHandle() {
    return command;
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return nsenter.onExit().thenApply(exited -> this);
  }

  @Override
  public ProcessHandle.Info info() {
    return command.info();
  }

  @Override
  public Stream<ProcessHandle> children() {
    return command.children();
  }

  @Override
  public Stream<ProcessHandle> descendants() {
    return command.descendants();
  }

  @Override
  public String toString() {
    return "NamespacedProcess[pid=" + command.pid() + ", nsenter=" + nsenter.pid() + "]";
  }
}
