package io.s3csi.core.volume;

import io.s3csi.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A CSI volume capability, reduced to what s3csi accepts: a mount volume (S3 has no block device)
 * with any access mode, its mount flags and an optional volume mount group.
 *
 * @param accessMode the access mode
 * @param mountFlags the mount flags (a PersistentVolume's {@code mountOptions})
 * @param volumeMountGroup the group that should own the volume, when kubelet asks for one
 */
public record VolumeCapability(
    AccessMode accessMode, List<String> mountFlags, Optional<String> volumeMountGroup) {

  /** Checks and copies. */
  public VolumeCapability {
    Objects.requireNonNull(accessMode, "accessMode");
    mountFlags = List.copyOf(mountFlags);
    Objects.requireNonNull(volumeMountGroup, "volumeMountGroup");
    if (volumeMountGroup.isPresent() && !volumeMountGroup.get().matches("\\d{1,10}")) {
      throw new InvalidArgumentException(
          "volume_capability.mount.volume_mount_group", "must be a numeric group id");
    }
  }

  /**
   * Builds the capability from the fields of a CSI request.
   *
   * @param block whether the request asks for block access
   * @param mount whether the request asks for mount access
   * @param accessMode the access mode, or {@code null} when unset or unknown
   * @param mountFlags the mount flags
   * @param volumeMountGroup the mount group, or an empty string
   * @return the capability
   * @throws InvalidArgumentException for block access, a missing access type or mode
   */
  public static VolumeCapability of(
      boolean block,
      boolean mount,
      AccessMode accessMode,
      List<String> mountFlags,
      String volumeMountGroup) {
    if (block) {
      throw new InvalidArgumentException(
          "volume_capability.block", "block access is not supported: S3 volumes are mount only");
    }
    if (!mount) {
      throw new InvalidArgumentException(
          "volume_capability.access_type", "must be mount (block is not supported)");
    }
    if (accessMode == null) {
      throw new InvalidArgumentException(
          "volume_capability.access_mode", "must be set to a known CSI access mode");
    }
    return new VolumeCapability(
        accessMode,
        mountFlags,
        volumeMountGroup == null || volumeMountGroup.isBlank()
            ? Optional.empty()
            : Optional.of(volumeMountGroup.strip()));
  }
}
