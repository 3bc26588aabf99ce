package io.s3csi.core.provisioning;

import io.s3csi.core.error.DriverException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The S3 steps of one CreateVolume, run under the volume's lock. */
final class Creation {
  private final BucketProvisioner provisioner;
  private final Connection connection;
  private final Location location;

  Creation(BucketProvisioner provisioner, Connection connection, Location location) {
    this.provisioner = provisioner;
    this.connection = connection;
    this.location = location;
  }

  /**
   * Makes sure the location exists and carries a marker.
   *
   * <p>Two S3 calls when the store proves it created a new bucket (nothing in it to check), three
   * for a new volume in an existing bucket (the listing proves the location empty), and a marker
   * read only when the listing shows objects.
   *
   * @param wanted the marker to write when the location is new
   * @return the marker already in place, which the caller compares; empty when this call wrote
   *     {@code wanted}
   */
  Optional<VolumeMarker> run(VolumeMarker wanted) {
    String bucket = location.bucket();
    if (location.mode() == ProvisioningMode.BUCKET) {
      // Created first, even when it exists: only CreateBucket tells "owned by another account"
      // (ALREADY_EXISTS) from "not allowed" (PERMISSION_DENIED).
      if (provisioner.createBucket(connection, bucket) == BucketCreation.CREATED) {
        return write(wanted);
      }
    } else if (!provisioner.bucketExists(connection, bucket)) {
      throw DriverException.failedPrecondition(
          "bucketName "
              + bucket
              + " does not exist; provisioningMode prefix creates volumes inside an existing"
              + " bucket: create it first");
    }
    // The marker lies under the key prefix, so an empty listing means a new location, or an empty
    // one left by a crash before the marker was written: both are taken.
    List<String> keys =
        new ArrayList<>(provisioner.listKeys(connection, bucket, location.keyPrefix(), 2));
    if (keys.isEmpty()) {
      return write(wanted);
    }
    Optional<Map<String, String>> metadata =
        provisioner.readMarker(connection, bucket, location.markerKey());
    Optional<VolumeMarker> marker = metadata.flatMap(m -> VolumeMarker.fromMetadata(location, m));
    if (marker.isPresent()) {
      return marker;
    }
    // No marker: someone else's data, unless the only key is an object at the marker's key that
    // is not a marker (such as a prefix's "directory" object).
    keys.remove(location.markerKey());
    if (!keys.isEmpty()) {
      throw DriverException.alreadyExists(
          location
              + " already holds objects that s3csi did not provision (such as '"
              + keys.get(0)
              + "'); choose another nameTemplate or bucketNamePrefix, or mount it as a static"
              + " volume");
    }
    return write(wanted);
  }

  private Optional<VolumeMarker> write(VolumeMarker wanted) {
    provisioner.writeMarker(
        connection, location.bucket(), location.markerKey(), wanted.toMetadata());
    return Optional.empty();
  }
}
