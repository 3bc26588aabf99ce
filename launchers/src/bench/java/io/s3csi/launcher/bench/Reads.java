package io.s3csi.launcher.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits until a file under a mount reads as expected: the moment a mount serves a read. */
final class Reads {
  private Reads() {}

  /**
   * Reads {@code file} every 0.5 ms until it holds {@code expected}.
   *
   * @return {@link System#nanoTime()} of the first successful read
   * @throws IllegalStateException if it never does within {@code timeout}, or {@code alive} says
   *     the process that should serve it died
   */
  static long awaitContent(
      Path file, String expected, Duration timeout, java.util.function.BooleanSupplier alive) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "never read";
    while (System.nanoTime() < deadline) {
      try {
        if (Files.readString(file, StandardCharsets.UTF_8).equals(expected)) {
          return System.nanoTime();
        }
        last = "unexpected content";
      } catch (IOException e) {
        last = e.toString();
      }
      if (!alive.getAsBoolean()) {
        throw new IllegalStateException("the client serving " + file + " exited; " + last);
      }
      LockSupport.parkNanos(500_000);
    }
    throw new IllegalStateException(file + " did not serve a read within " + timeout + ": " + last);
  }
}
