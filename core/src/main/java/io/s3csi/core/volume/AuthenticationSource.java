package io.s3csi.core.volume;

import io.s3csi.core.error.InvalidArgumentException;
import java.util.Locale;

/** Where the credentials of a volume come from ({@code authenticationSource}). */
public enum AuthenticationSource {
  /** The driver's own identity: its AWS environment or the node's instance profile. */
  DRIVER("driver"),
  /** The node-publish secret of the volume ({@code nodePublishSecretRef}). */
  SECRET("secret"),
  /** The workload pod's service account (web identity). */
  POD("pod");

  private final String id;

  AuthenticationSource(String id) {
    this.id = id;
  }

  /** Returns the attribute value ({@code driver}, {@code secret}, {@code pod}). */
  public String id() {
    return id;
  }

  static AuthenticationSource parse(String field, String value) {
    String name = value.strip().toLowerCase(Locale.ROOT);
    for (AuthenticationSource source : values()) {
      if (source.id.equals(name)) {
        return source;
      }
    }
    throw new InvalidArgumentException(
        field, "must be one of driver, secret, pod (was '" + value + "')");
  }

  @Override
  public String toString() {
    return id;
  }
}
