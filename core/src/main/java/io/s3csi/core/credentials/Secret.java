package io.s3csi.core.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value: a secret access key, a session token, a service-account token. Its {@link
 * #toString()} never shows the value, so a secret that ends up in a log line, an exception message
 * or a record's {@code toString} prints as {@code ***}. Read the value with {@link #reveal()} only
 * where it is written to its destination.
 */
public final class Secret {
  private static final String REDACTED = "***";

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a secret value.
   *
   * @param value the value; not {@code null}
   * @return the secret
   */
  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "value"));
  }

  /** Returns the secret value. Call this only where the value is written to its destination. */
  public String reveal() {
    return value;
  }

  /** Returns true when the value is empty or only white space. */
  public boolean isBlank() {
    return value.isBlank();
  }

  /** Compares values in constant time. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Secret that
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), that.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return Secret.class.hashCode();
  }

  /** Returns {@code ***}, never the value. */
  @Override
  public String toString() {
    return REDACTED;
  }
}
