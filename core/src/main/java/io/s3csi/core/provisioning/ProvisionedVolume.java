package io.s3csi.core.provisioning;

import java.util.Map;
import java.util.Objects;

/**
 * The volume a CreateVolume produced or found.
 *
 * @param volumeId the volume id (see {@link VolumeId})
 * @param capacityBytes the capacity recorded for the volume; 0 when none was requested
 * @param volumeContext the attributes the node needs, in the keys a static PersistentVolume uses
 * @param alreadyExisted true when an earlier CreateVolume of the same name had created it
 */
public record ProvisionedVolume(
    String volumeId,
    long capacityBytes,
    Map<String, String> volumeContext,
    boolean alreadyExisted) {

  /** Checks and copies. */
  public ProvisionedVolume {
    Objects.requireNonNull(volumeId, "volumeId");
    volumeContext = Map.copyOf(volumeContext);
  }
}
