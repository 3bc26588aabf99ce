package io.s3csi.core.mount;

import java.util.Objects;
import java.util.Optional;

/**
 * What is at a target directory, as a {@link Mounter} sees it. "Not mounted" and "already mounted"
 * are normal answers, not errors.
 */
public sealed interface MountState {

  /** Nothing is mounted at the target (it may or may not exist as a directory). */
  record NotMounted() implements MountState {}

  /**
   * A mount serves the target.
   *
   * @param volumeId the volume the mounter recorded for it; empty when the mount was not made by
   *     this mounter (or its record is lost)
   * @param readOnly whether the kernel mount is read-only
   * @param fsType the file system type in the mount table, such as {@code fuse.s3fs}
   */
  record Mounted(Optional<String> volumeId, boolean readOnly, String fsType) implements MountState {
    /** Checks for nulls. */
    public Mounted {
      Objects.requireNonNull(volumeId, "volumeId");
      Objects.requireNonNull(fsType, "fsType");
    }
  }

  /**
   * A mount is at the target but does not serve: the FUSE client died ({@code ENOTCONN}), the mount
   * returns I/O errors, or the client's process or unit is gone.
   *
   * @param volumeId the volume the mounter recorded for it, when known
   * @param reason what is wrong, for messages and volume conditions
   */
  record Corrupted(Optional<String> volumeId, String reason) implements MountState {
    /** Checks for nulls. */
    public Corrupted {
      Objects.requireNonNull(volumeId, "volumeId");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The not-mounted state. */
  MountState NOT_MOUNTED = new NotMounted();
}
