package io.s3csi.core.mount;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * One line of {@code /proc/self/mountinfo}: where something is mounted, its type, source and
 * options.
 *
 * @param mountPoint the mount point, with the kernel's octal escapes decoded
 * @param fsType the file system type, such as {@code fuse.s3fs}
 * @param source the mount source, such as {@code s3fs}
 * @param options the per-mount options, such as {@code ro} and {@code nosuid}
 */
public record MountEntry(Path mountPoint, String fsType, String source, Set<String> options) {

  /** Checks and copies. */
  public MountEntry {
    Objects.requireNonNull(mountPoint, "mountPoint");
    Objects.requireNonNull(fsType, "fsType");
    Objects.requireNonNull(source, "source");
    options = Set.copyOf(options);
  }

  /** Returns whether the mount is read-only. */
  public boolean readOnly() {
    return options.contains("ro");
  }

  /** Returns whether the mount is a FUSE file system. */
  public boolean fuse() {
    return fsType.equals("fuse") || fsType.startsWith("fuse.");
  }
}
