package io.s3csi.core.volume;

import io.s3csi.core.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Normalizes key prefixes: no leading slash, one trailing slash, no empty or dot segments. */
final class Prefixes {
  private static final int MAX_LENGTH = 1024;

  private Prefixes() {}

  static Optional<String> normalize(String field, String value) {
    if (value == null) {
      return Optional.empty();
    }
    String prefix = value.strip();
    while (prefix.startsWith("/")) {
      prefix = prefix.substring(1);
    }
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    if (prefix.isEmpty()) {
      return Optional.empty();
    }
    if (prefix.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new InvalidArgumentException(field, "must not contain control characters");
    }
    if (prefix.getBytes(StandardCharsets.UTF_8).length >= MAX_LENGTH) {
      throw new InvalidArgumentException(field, "must be shorter than " + MAX_LENGTH + " bytes");
    }
    for (String segment : prefix.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new InvalidArgumentException(
            field, "must not contain empty, '.' or '..' path segments");
      }
    }
    return Optional.of(prefix + "/");
  }
}
