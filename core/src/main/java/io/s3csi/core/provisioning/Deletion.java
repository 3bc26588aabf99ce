package io.s3csi.core.provisioning;

import io.s3csi.core.error.DriverException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The S3 steps of one DeleteVolume under {@code deleteIfEmpty} or {@code delete}, run under the
 * volume's lock.
 *
 * <p>The marker goes last: objects first, then the marker, then (bucket mode) the bucket. A
 * deletion that stops half-way leaves the marker, so the provisioner's retry finishes the job; a
 * location that holds objects but no marker is never emptied, because nothing proves s3csi made
 * them.
 */
final class Deletion {
  private static final Logger LOG = System.getLogger(Deletion.class.getName());

  private final BucketProvisioner provisioner;
  private final Connection connection;
  private final VolumeId id;
  private final Location location;

  Deletion(BucketProvisioner provisioner, Connection connection, VolumeId id) {
    this.provisioner = provisioner;
    this.connection = connection;
    this.id = id;
    this.location = id.location();
  }

  DeleteResult run() {
    String bucket = location.bucket();
    // The marker first: it is there in the common case, and reading it answers "empty" for a
    // bucket that is gone too, which only then costs a look at the bucket.
    Optional<Map<String, String>> metadata =
        provisioner.readMarker(connection, bucket, location.markerKey());
    Optional<VolumeMarker> marker = metadata.flatMap(m -> VolumeMarker.fromMetadata(location, m));
    if (marker.isEmpty()) {
      if (!provisioner.bucketExists(connection, bucket)) {
        LOG.log(Level.INFO, "volume {0}: bucket {1} is already gone", id, bucket);
        return DeleteResult.ALREADY_GONE;
      }
      return withoutMarker();
    }
    if (!id.belongsTo(marker.get().volumeName())) {
      LOG.log(
          Level.WARNING,
          "volume {0} is gone: {1} now holds volume {2}, which is left alone",
          id,
          location,
          marker.get().volumeName());
      return DeleteResult.ALREADY_GONE;
    }
    if (id.deletePolicy() == DeletePolicy.DELETE_IF_EMPTY) {
      List<String> keys = keysBesideMarker();
      if (!keys.isEmpty()) {
        throw DriverException.failedPrecondition(
            "volume "
                + marker.get().volumeName()
                + " has deletePolicy deleteIfEmpty and "
                + location
                + " still holds "
                + count(keys)
                + " (such as '"
                + keys.get(0)
                + "'); its data is kept. Empty it to let the deletion finish, or keep the data"
                + " and remove the marker "
                + location.markerKey()
                + " to release it");
      }
      provisioner.deleteObject(connection, bucket, location.markerKey());
    } else {
      provisioner.deleteObjectsThenKey(
          connection, bucket, location.keyPrefix(), location.markerKey());
    }
    if (location.mode() == ProvisioningMode.BUCKET) {
      provisioner.deleteBucket(connection, bucket);
    }
    LOG.log(
        Level.INFO,
        "deleted {0} of volume {1} (deletePolicy {2})",
        location,
        marker.get().volumeName(),
        id.deletePolicy());
    return DeleteResult.DELETED;
  }

  private DeleteResult withoutMarker() {
    List<String> keys =
        provisioner.listKeys(
            connection, location.bucket(), location.keyPrefix(), ControllerService.COUNT_LIMIT + 1);
    if (!keys.isEmpty()) {
      throw DriverException.failedPrecondition(
          location
              + " holds "
              + count(keys)
              + " (such as '"
              + keys.get(0)
              + "') but no s3csi marker of volume "
              + id
              + ", so nothing proves s3csi provisioned them and they are left alone; delete them"
              + " by hand if they belong to the volume, and the provisioner's retry completes the"
              + " deletion");
    }
    if (location.mode() == ProvisioningMode.BUCKET) {
      // An empty bucket without marker: a deletion that stopped after the marker, or a creation
      // that stopped before it.
      provisioner.deleteBucket(connection, location.bucket());
      LOG.log(Level.INFO, "deleted the empty bucket {0} of volume {1}", location.bucket(), id);
      return DeleteResult.DELETED;
    }
    LOG.log(Level.INFO, "volume {0}: {1} is already gone", id, location);
    return DeleteResult.ALREADY_GONE;
  }

  private List<String> keysBesideMarker() {
    List<String> keys =
        new ArrayList<>(
            provisioner.listKeys(
                connection,
                location.bucket(),
                location.keyPrefix(),
                ControllerService.COUNT_LIMIT + 2));
    keys.remove(location.markerKey());
    return keys;
  }

  private static String count(List<String> keys) {
    if (keys.size() > ControllerService.COUNT_LIMIT) {
      return "more than " + ControllerService.COUNT_LIMIT + " objects";
    }
    return keys.size() + (keys.size() == 1 ? " object" : " objects");
  }
}
