package io.s3csi.systemd;

import io.s3csi.core.mount.PrivateDirectories;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names the unit of a target: {@code <prefix>-<key>.service}, where the key is the target's {@link
 * PrivateDirectories#keyOf key} (the first 16 hex digits of the SHA-256 of its path), the same key
 * that names the target's private directory. The name depends on the target only, so a restarted
 * mounter finds the unit of every target again, and a second mount of one target cannot start a
 * second unit.
 *
 * @param prefix what every unit name starts with, such as {@code s3csi}
 */
record UnitNames(String prefix) {
  /** The prefix of the node plugin's units. */
  static final String DEFAULT_PREFIX = "s3csi";

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{0,39}");
  private static final String SUFFIX = ".service";
  private static final int KEY_LENGTH = 16;

  /**
   * Checks the prefix.
   *
   * @throws IllegalArgumentException unless it is a lowercase name of at most 40 characters
   */
  UnitNames {
    Objects.requireNonNull(prefix, "prefix");
    if (!PREFIX.matcher(prefix).matches() || prefix.endsWith("-")) {
      throw new IllegalArgumentException(
          "unitPrefix: must match " + PREFIX + " and not end with '-', got '" + prefix + "'");
    }
  }

  /**
   * Returns the unit name of a target.
   *
   * @param target an absolute, normalized path
   * @return {@code <prefix>-<key>.service}
   */
  String forTarget(Path target) {
    return prefix + "-" + PrivateDirectories.keyOf(target) + SUFFIX;
  }

  /**
   * Returns the unit name of a key.
   *
   * @param key a target's key, 16 hex digits
   * @return {@code <prefix>-<key>.service}
   */
  String forKey(String key) {
    return prefix + "-" + key + SUFFIX;
  }

  /** Returns a glob that matches the unit names of this prefix (and few others). */
  String glob() {
    return prefix + "-" + "?".repeat(KEY_LENGTH) + SUFFIX;
  }

  /**
   * Returns the key of a unit name of this prefix.
   *
   * @param unit a unit name
   * @return the key, or empty when the name is not one of this prefix's
   */
  Optional<String> keyOf(String unit) {
    String head = prefix + "-";
    if (!unit.startsWith(head) || !unit.endsWith(SUFFIX)) {
      return Optional.empty();
    }
    String key = unit.substring(head.length(), unit.length() - SUFFIX.length());
    return key.matches("[0-9a-f]{" + KEY_LENGTH + "}") ? Optional.of(key) : Optional.empty();
  }
}
