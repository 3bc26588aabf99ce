package io.s3csi.systemd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The log file a unit appends its client's standard output and error to ({@value #FILE_NAME} in the
 * mount's private directory), and the quote of its last lines that goes into error messages. Only
 * the end of the file is read; every line is redacted before it is kept.
 */
final class ClientLog {
  /** The log's file name in a private directory. */
  static final String FILE_NAME = "client.log";

  /** How many bytes at the end of the log are read. */
  static final int READ_BYTES = 64 * 1024;

  private ClientLog() {}

  /**
   * Quotes the last lines of a log, redacted.
   *
   * @param file the log file
   * @param program the client's name, for the text
   * @param redactor the mount's secrets
   * @return {@code last output of s3fs:} and the lines, each on its own line after {@code " > "};
   *     or {@code s3fs printed nothing}
   */
  static String quote(Path file, String program, SecretRedactor redactor) {
    List<String> lines = tail(file, redactor);
    if (lines.isEmpty()) {
      return program + " printed nothing";
    }
    return "last output of "
        + program
        + ":\n"
        + lines.stream().map(line -> "  > " + line).collect(Collectors.joining("\n"));
  }

  /** Returns the last lines of a log, redacted; none when it does not exist. */
  static List<String> tail(Path file, SecretRedactor redactor) {
    byte[] bytes;
    boolean cut;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long start = Math.max(0, size - READ_BYTES);
      ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
      while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) > 0) {
        // read until the end as it was when opened
      }
      bytes = Arrays.copyOf(buffer.array(), buffer.position());
      cut = start > 0;
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
    if (cut) {
      // the first line is a fragment, which may hold the end of a secret that cannot be matched
      int newline = indexOf(bytes, (byte) '\n');
      bytes = newline < 0 ? new byte[0] : Arrays.copyOfRange(bytes, newline + 1, bytes.length);
    }
    OutputTail tail =
        new OutputTail(ClientProcess.TAIL_LINES, ClientProcess.TAIL_LINE_LENGTH, redactor);
    try {
      tail.drain(new ByteArrayInputStream(bytes), line -> {});
    } catch (IOException e) {
      throw new IllegalStateException("reading bytes in memory cannot fail", e);
    }
    return tail.lines();
  }

  private static int indexOf(byte[] bytes, byte value) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
