package io.s3csi.core.provisioning;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a provisioned volume's data lives: a bucket, or a prefix in a bucket.
 *
 * <p>Each volume has a marker object that records which volume owns the location (see {@link
 * VolumeMarker}). In prefix mode the marker is the prefix's own zero-byte "directory" object
 * ({@code pvc-123/}), which is the volume's root and so never shows up inside the mounted volume. A
 * bucket has no such object, so in bucket mode the marker is {@value #BUCKET_MARKER_KEY} at the
 * bucket's root.
 *
 * @param bucket the bucket
 * @param prefix the prefix, normalized to end with {@code /}; empty for a whole bucket
 */
public record Location(String bucket, Optional<String> prefix) {

  /** The key of the marker object of a volume that is a whole bucket. */
  public static final String BUCKET_MARKER_KEY = ".s3csi-volume";

  /** Checks the parts. */
  public Location {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("bucket must not be empty");
    }
    if (prefix.isPresent() && (prefix.get().isEmpty() || !prefix.get().endsWith("/"))) {
      throw new IllegalArgumentException("prefix must end with '/': " + prefix.get());
    }
  }

  /** Returns the provisioning mode this location belongs to. */
  public ProvisioningMode mode() {
    return prefix.isPresent() ? ProvisioningMode.PREFIX : ProvisioningMode.BUCKET;
  }

  /** Returns the key of the volume's marker object. */
  public String markerKey() {
    return prefix.orElse(BUCKET_MARKER_KEY);
  }

  /** Returns the key prefix that lists the volume's objects ({@code ""} for a whole bucket). */
  public String keyPrefix() {
    return prefix.orElse("");
  }

  /** Returns {@code s3://bucket/} or {@code s3://bucket/prefix/}. */
  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix.orElse("");
  }
}
