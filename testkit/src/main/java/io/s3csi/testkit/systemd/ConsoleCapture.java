package io.s3csi.testkit.systemd;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Keeps the tail of systemd's console (its log and, by default, its units' output), read on a
 * daemon thread. The pipe must be drained: systemd blocks on a full console.
 */
final class ConsoleCapture {
  /** The most text kept; older text is dropped. */
  static final int LIMIT = 1 << 20;

  private final StringBuilder text = new StringBuilder();
  private final Thread thread;

  private ConsoleCapture(InputStream console, String name) {
    thread = new Thread(() -> read(console), name);
    thread.setDaemon(true);
  }

  /** Starts draining {@code console}. */
  static ConsoleCapture start(InputStream console, String name) {
    ConsoleCapture capture = new ConsoleCapture(console, name);
    capture.thread.start();
    return capture;
  }

  private void read(InputStream console) {
    char[] buffer = new char[8192];
    try (Reader reader = new InputStreamReader(console, StandardCharsets.UTF_8)) {
      for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
        append(buffer, n);
      }
    } catch (IOException e) {
      // the pipe was closed under us: keep what was read
    }
  }

  private synchronized void append(char[] buffer, int length) {
    for (int i = 0; i < length; i++) {
      if (buffer[i] != '\r') { // the terminal turns every newline into CR LF
        text.append(buffer[i]);
      }
    }
    if (text.length() > LIMIT) {
      text.delete(0, text.length() - LIMIT);
    }
  }

  /** The text read so far. */
  synchronized String text() {
    return text.toString();
  }

  /** Waits up to {@code timeout} for the console to close. */
  void awaitEnd(Duration timeout) {
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
