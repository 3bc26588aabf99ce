package io.s3csi.systemd;

import io.s3csi.core.fuse.FuseCommand;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One running FUSE client: the child process, the volume it serves, and the tail of what it
 * printed. Its standard output and error are merged and drained by a daemon thread into an {@link
 * OutputTail}, and logged (redacted) as they come.
 */
final class ClientProcess {
  /** How many of the client's last output lines are kept and quoted. */
  static final int TAIL_LINES = 50;

  /** How many characters of one output line are kept. */
  static final int TAIL_LINE_LENGTH = 1_000;

  private static final Logger LOG = System.getLogger(ProcessMounter.class.getName());
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

  private final String name;
  private final String volumeId;
  private final Process process;
  private final OutputTail tail;
  private final Thread drainer;

  private ClientProcess(
      String name, String volumeId, Process process, OutputTail tail, Thread drainer) {
    this.name = name;
    this.volumeId = volumeId;
    this.process = process;
    this.tail = tail;
    this.drainer = drainer;
  }

  /**
   * Starts a client with exactly the command's environment, in its private directory, with standard
   * input from {@code /dev/null}.
   *
   * @param executable the resolved program
   * @param command the command; its private directory must exist
   * @param volumeId the volume the client serves
   * @param redactor the secrets to mask in its output
   * @return the running client
   * @throws IOException if the process cannot be started
   */
  static ClientProcess start(
      Path executable, FuseCommand command, String volumeId, SecretRedactor redactor)
      throws IOException {
    List<String> argv = new ArrayList<>(command.argv());
    argv.set(0, executable.toString());
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .directory(command.privateDirectory().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(command.environment());
    Process process = builder.start();
    String name = command.program();
    String pid = Long.toString(process.pid());
    OutputTail tail = new OutputTail(TAIL_LINES, TAIL_LINE_LENGTH, redactor);
    Thread drainer =
        new Thread(
            () -> {
              try {
                tail.drain(
                    process.getInputStream(),
                    line -> LOG.log(Level.INFO, "{0}[{1}]: {2}", name, pid, line));
              } catch (IOException e) {
                LOG.log(Level.DEBUG, "output of {0}[{1}] ended: {2}", name, pid, e);
              }
            },
            "s3csi-client " + name + "[" + pid + "]");
    drainer.setDaemon(true);
    drainer.start();
    LOG.log(Level.DEBUG, "started {0} as pid {1}: {2}", name, pid, argv);
    return new ClientProcess(name, volumeId, process, tail, drainer);
  }

  /** Returns the program name, such as {@code s3fs}. */
  String name() {
    return name;
  }

  /** Returns the volume the client serves. */
  String volumeId() {
    return volumeId;
  }

  /** Returns the process id. */
  long pid() {
    return process.pid();
  }

  /** Returns whether the process runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for the process to exit.
   *
   * @param timeout the longest wait
   * @return whether it has exited
   */
  boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** Describes how the process ended, or that it runs: {@code s3fs (pid 12) exited with 1}. */
  String describeExit() {
    if (process.isAlive()) {
      return name + " (pid " + process.pid() + ") is running";
    }
    int status = process.exitValue();
    String signal = status > 128 ? " (killed by signal " + (status - 128) + ")" : "";
    return name + " (pid " + process.pid() + ") exited with status " + status + signal;
  }

  /**
   * Quotes the client's last output lines (already redacted) for an error message. When the process
   * has exited, waits briefly for the drain thread to read the last of it.
   */
  String quoteOutput() {
    if (!process.isAlive()) {
      joinDrainer();
    }
    List<String> lines = tail.lines();
    if (lines.isEmpty()) {
      return name + " printed nothing";
    }
    return "last output of "
        + name
        + ":\n"
        + lines.stream().map(line -> "  > " + line).collect(Collectors.joining("\n"));
  }

  /**
   * Stops the client: SIGTERM, then SIGKILL if it is still running after the grace period. Child
   * processes it left are killed too. Stopping a stopped client does nothing.
   *
   * @param grace how long the client may take to exit after SIGTERM
   */
  void stop(Duration grace) {
    List<ProcessHandle> children = process.descendants().toList();
    if (process.isAlive()) {
      process.destroy();
      if (!awaitExit(grace)) {
        LOG.log(
            Level.WARNING,
            "{0} (pid {1}) ignored SIGTERM for {2} ms; killing it",
            name,
            Long.toString(process.pid()),
            Long.toString(grace.toMillis()));
        process.destroyForcibly();
        if (!awaitExit(grace)) {
          LOG.log(
              Level.ERROR,
              "{0} (pid {1}) survives SIGKILL; it is stuck in the kernel",
              name,
              Long.toString(process.pid()));
        }
      }
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    joinDrainer();
  }

  private void joinDrainer() {
    try {
      drainer.join(DRAIN_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
