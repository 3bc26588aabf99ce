package io.s3csi.systemd;

import io.s3csi.core.mount.FileSystemUsage;
import java.util.Optional;

/**
 * The few system calls the host adapter makes on mount points. Each returns {@code 0} on success or
 * the {@code errno} of the failure, so callers classify failures by number rather than by a
 * localized message. Implementations must be safe to call from several threads at once.
 */
interface Syscalls {
  /** {@code umount2(2)} flag: detach the mount now, clean it up when it is no longer busy. */
  int MNT_DETACH = 2;

  /** {@code umount2(2)} flag: do not follow a symbolic link at the target. */
  int UMOUNT_NOFOLLOW = 8;

  /**
   * Unmounts the file system at a path.
   *
   * @param target the mount point
   * @param flags {@link #MNT_DETACH} and {@link #UMOUNT_NOFOLLOW}
   * @return 0, or the errno
   */
  int umount2(String target, int flags);

  /**
   * Stats a path, following symbolic links. On a FUSE mount this may block until the client
   * answers.
   *
   * @return 0, or the errno
   */
  int stat(String path);

  /**
   * Reads the statistics of the file system that holds a path. On a FUSE mount the kernel always
   * asks the client (there is no cache), so this blocks until the client answers.
   *
   * @return the errno (0 on success) and, on success where the platform's {@code struct statfs} is
   *     known, the usage
   */
  Statfs statfs(String path);

  /**
   * The answer of {@code statfs(2)}.
   *
   * @param errno 0, or the errno of the failure
   * @param usage the usage read from the result; empty on failure or on a platform whose {@code
   *     struct statfs} layout is not known
   */
  record Statfs(int errno, Optional<FileSystemUsage> usage) {
    /** Returns a failure. */
    static Statfs failed(int errno) {
      return new Statfs(errno, Optional.empty());
    }
  }
}
