package io.s3csi.core.provisioning;

import io.s3csi.core.error.InvalidArgumentException;

/** What CreateVolume makes for a volume ({@code provisioningMode}). */
public enum ProvisioningMode {
  /** A bucket of its own per volume. */
  BUCKET("bucket"),
  /** A prefix per volume in one shared, existing bucket ({@code bucketName}). */
  PREFIX("prefix");

  private final String id;

  ProvisioningMode(String id) {
    this.id = id;
  }

  /** Returns the parameter value ({@code bucket}, {@code prefix}). */
  public String id() {
    return id;
  }

  /**
   * Parses a mode, ignoring case.
   *
   * @param field the parameter named in the error
   * @param value the value
   * @return the mode
   * @throws InvalidArgumentException for any other value
   */
  public static ProvisioningMode parse(String field, String value) {
    String name = value.strip();
    for (ProvisioningMode mode : values()) {
      if (mode.id.equalsIgnoreCase(name)) {
        return mode;
      }
    }
    throw new InvalidArgumentException(field, "must be bucket or prefix (was '" + value + "')");
  }

  @Override
  public String toString() {
    return id;
  }
}
