package io.s3csi.core.provisioning;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of the values s3csi packs into volume ids and marker metadata: everything but
 * printable ASCII, and the separators {@code % ; & =}, becomes {@code %XX} of its UTF-8 bytes. The
 * result is printable ASCII, which S3 metadata requires.
 */
final class PercentEncoding {
  private static final String RESERVED = "%;&=";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && RESERVED.indexOf(c) < 0) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * Decodes {@link #encode}'s output.
   *
   * @throws IllegalArgumentException for a malformed escape
   */
  static String decode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0x7e || c < 0x20) {
        throw new IllegalArgumentException("unexpected character at position " + i);
      }
      if (c != '%') {
        out.write(c);
        continue;
      }
      if (i + 2 >= text.length()) {
        throw new IllegalArgumentException("truncated escape at position " + i);
      }
      int high = Character.digit(text.charAt(i + 1), 16);
      int low = Character.digit(text.charAt(i + 2), 16);
      if (high < 0 || low < 0) {
        throw new IllegalArgumentException("malformed escape at position " + i);
      }
      out.write(high << 4 | low);
      i += 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
