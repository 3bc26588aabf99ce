package io.s3csi.core.node;

import io.s3csi.core.mount.FileSystemUsage;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to NodeGetVolumeStats: the volume's condition and, when its mount answers {@code
 * statfs}, the usage its FUSE client reports.
 *
 * @param usage what the mount reports; empty when it does not answer (a dead or hung client)
 * @param condition whether the volume serves
 */
public record VolumeStats(Optional<FileSystemUsage> usage, VolumeCondition condition) {

  /** Checks for nulls. */
  public VolumeStats {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(condition, "condition");
  }
}
