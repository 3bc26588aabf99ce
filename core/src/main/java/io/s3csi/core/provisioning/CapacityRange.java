package io.s3csi.core.provisioning;

import io.s3csi.core.error.InvalidArgumentException;

/**
 * A CreateVolume {@code capacity_range}. S3 has no size limit, so any range is accepted: the
 * volume's capacity is the required size (or, if only a limit is given, the limit), recorded and
 * reported back, and a second CreateVolume of the same name is compatible only with a range that
 * the recorded capacity satisfies.
 *
 * @param requiredBytes the least size; 0 for unset
 * @param limitBytes the largest size; 0 for unset
 */
public record CapacityRange(long requiredBytes, long limitBytes) {

  /** No range given. */
  public static final CapacityRange UNSET = new CapacityRange(0, 0);

  /** Checks the range. */
  public CapacityRange {
    if (requiredBytes < 0) {
      throw new InvalidArgumentException(
          "capacity_range.required_bytes", "must not be negative (was " + requiredBytes + ")");
    }
    if (limitBytes < 0) {
      throw new InvalidArgumentException(
          "capacity_range.limit_bytes", "must not be negative (was " + limitBytes + ")");
    }
    if (limitBytes > 0 && requiredBytes > limitBytes) {
      throw new InvalidArgumentException(
          "capacity_range",
          "required_bytes (" + requiredBytes + ") exceeds limit_bytes (" + limitBytes + ")");
    }
  }

  /** Returns the capacity a new volume gets: the required size, else the limit, else 0. */
  public long capacityBytes() {
    return requiredBytes > 0 ? requiredBytes : limitBytes;
  }

  /**
   * Tells whether an existing volume's capacity satisfies this range.
   *
   * @param capacityBytes the recorded capacity
   * @return true when it is at least the required size and at most the limit
   */
  public boolean admits(long capacityBytes) {
    return (requiredBytes == 0 || capacityBytes >= requiredBytes)
        && (limitBytes == 0 || capacityBytes <= limitBytes);
  }

  @Override
  public String toString() {
    return "[required=" + requiredBytes + ", limit=" + limitBytes + "]";
  }
}
