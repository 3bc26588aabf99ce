package io.s3csi.systemd;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The last lines a FUSE client printed, kept to quote them when the client fails. Lines are
 * redacted before anything else happens to them, so no secret is ever stored; then long lines are
 * shortened. A line longer than the read limit is cut while it is read, and the tail of the cut
 * part that could begin a secret is dropped as well.
 *
 * <p>Thread-safe: one thread drains the client's output while others read the tail.
 */
final class OutputTail {
  /** Characters of one line read before the rest of it is skipped. */
  static final int READ_LIMIT = 16 * 1024;

  private static final String CUT = " [...]";

  private final int maxLines;
  private final int maxLineLength;
  private final SecretRedactor redactor;
  private final Deque<String> lines = new ArrayDeque<>();

  /**
   * Creates an empty tail.
   *
   * @param maxLines how many of the last lines to keep
   * @param maxLineLength how many characters of a line to keep
   * @param redactor the secrets to mask
   */
  OutputTail(int maxLines, int maxLineLength, SecretRedactor redactor) {
    if (maxLines < 1 || maxLineLength < 1) {
      throw new IllegalArgumentException("maxLines and maxLineLength must be positive");
    }
    this.maxLines = maxLines;
    this.maxLineLength = maxLineLength;
    this.redactor = redactor;
  }

  /**
   * Reads a stream to its end, line by line ({@code \n}, {@code \r\n} or {@code \r}), as UTF-8.
   *
   * @param in the client's merged standard output and error
   * @param sink receives each kept line, already redacted (for logging)
   * @throws IOException if reading fails
   */
  void drain(InputStream in, Consumer<String> sink) throws IOException {
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      char[] buffer = new char[4096];
      StringBuilder line = new StringBuilder();
      boolean overflow = false;
      int read;
      while ((read = reader.read(buffer)) >= 0) {
        for (int i = 0; i < read; i++) {
          char c = buffer[i];
          if (c == '\n' || c == '\r') {
            add(line.toString(), overflow).ifPresent(sink);
            line.setLength(0);
            overflow = false;
          } else if (line.length() < READ_LIMIT) {
            line.append(c);
          } else {
            overflow = true;
          }
        }
      }
      add(line.toString(), overflow).ifPresent(sink);
    }
  }

  /**
   * Adds one line.
   *
   * @param raw the line as the client printed it, without its line break
   * @param overflow whether the line was cut while reading
   * @return the line as kept, or empty for a blank line, which is not kept
   */
  Optional<String> add(String raw, boolean overflow) {
    String line = redactor.redact(raw);
    if (overflow) {
      line = line.substring(0, Math.max(0, line.length() - redactor.longest())) + CUT;
    }
    if (line.length() > maxLineLength) {
      line = line.substring(0, maxLineLength) + CUT;
    }
    if (line.isBlank()) {
      return Optional.empty();
    }
    synchronized (lines) {
      lines.addLast(line);
      while (lines.size() > maxLines) {
        lines.removeFirst();
      }
    }
    return Optional.of(line);
  }

  /** Returns the kept lines, oldest first. */
  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }
}
