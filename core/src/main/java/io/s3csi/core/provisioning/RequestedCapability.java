package io.s3csi.core.provisioning;

import io.s3csi.core.volume.AccessMode;
import io.s3csi.core.volume.VolumeCapability;
import java.util.List;
import java.util.Objects;

/**
 * A volume capability as a controller request states it, before s3csi decides whether it supports
 * it. CreateVolume rejects block access as an invalid argument; ValidateVolumeCapabilities answers
 * it with "not confirmed", as the CSI spec asks.
 *
 * @param accessType how the volume is to be accessed
 * @param accessMode the access mode, or {@code null} when unset or unknown
 * @param mountFlags the mount flags
 * @param volumeMountGroup the mount group, or an empty string
 */
public record RequestedCapability(
    AccessType accessType,
    AccessMode accessMode,
    List<String> mountFlags,
    String volumeMountGroup) {

  /** The access type of a capability. */
  public enum AccessType {
    /** A file system mount, the only type S3 volumes support. */
    MOUNT,
    /** A raw block device. */
    BLOCK,
    /** Neither was set. */
    UNSET
  }

  /** Checks and copies. */
  public RequestedCapability {
    Objects.requireNonNull(accessType, "accessType");
    mountFlags = List.copyOf(mountFlags);
    volumeMountGroup = volumeMountGroup == null ? "" : volumeMountGroup;
  }

  /**
   * Returns the supported capability this one is.
   *
   * @return the mount capability
   * @throws io.s3csi.core.error.InvalidArgumentException for block access, no access type or no
   *     access mode, naming the field
   */
  public VolumeCapability toMountCapability() {
    return VolumeCapability.of(
        accessType == AccessType.BLOCK,
        accessType == AccessType.MOUNT,
        accessMode,
        mountFlags,
        volumeMountGroup);
  }
}
