package io.s3csi.systemd;

import java.time.Duration;
import java.util.Objects;

/** The check the mounters' builders share for their time limits. */
final class Durations {
  private Durations() {}

  static Duration positive(String field, Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": must be positive, got " + value);
    }
    return value;
  }
}
