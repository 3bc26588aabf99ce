package io.s3csi.testkit.systemd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a time limit and collects both of its outputs. */
final class CommandRunner {
  /** How long to wait for the output pipes to close once the command has exited. */
  private static final Duration DRAIN = Duration.ofSeconds(5);

  private CommandRunner() {}

  /**
   * Runs {@code actual} and reports it as {@code shown} (the command without any wrapper).
   *
   * @throws SystemdNamespaceException if it cannot be started or does not exit within {@code
   *     timeout}; it is then killed with its descendants
   */
  static ExecResult run(List<String> shown, List<String> actual, Duration timeout) {
    Process process;
    try {
      process = new ProcessBuilder(actual).start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new SystemdNamespaceException("cannot run " + shown + ": " + e.getMessage(), e);
    }
    Collector stdout = new Collector(process.getInputStream(), "stdout of " + shown);
    Collector stderr = new Collector(process.getErrorStream(), "stderr of " + shown);
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        killTree(process);
        throw new SystemdNamespaceException(
            "command "
                + shown
                + " did not finish within "
                + timeout
                + " and was killed; its output so far:\n"
                + stdout.text()
                + stderr.text());
      }
      return new ExecResult(shown, process.exitValue(), stdout.await(), stderr.await());
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new SystemdNamespaceException("interrupted while running " + shown, e);
    }
  }

  /** Kills a process and everything it started. */
  static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Reads a stream to its end on a daemon thread. */
  private static final class Collector {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread thread;

    Collector(InputStream stream, String name) {
      thread = new Thread(() -> copy(stream), name);
      thread.setDaemon(true);
      thread.start();
    }

    private void copy(InputStream stream) {
      byte[] buffer = new byte[8192];
      try (stream) {
        for (int n = stream.read(buffer); n >= 0; n = stream.read(buffer)) {
          bytes.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // the pipe was closed under us: keep what was read
      }
    }

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The whole output, or what was read if a leftover process still holds the pipe open. */
    String await() throws InterruptedException {
      thread.join(DRAIN.toMillis());
      return text();
    }
  }
}
