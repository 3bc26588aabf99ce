package io.s3csi.core.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one sweep saw and did.
 *
 * @param started when the sweep started
 * @param took how long it took
 * @param checked how many managed targets it looked at
 * @param healthy how many of those serve their mount
 * @param healthyByFsType the healthy mounts by their file system type in the mount table, such as
 *     {@code fuse.s3fs} or {@code fuse.rclone}
 * @param skipped how many it left alone this time: busy with a publish or unpublish, or younger
 *     than the grace period
 * @param findings what it found wrong, in the order found
 * @param failure why the sweep could not list the mounter's targets at all (systemd unreachable),
 *     if it could not
 */
public record SweepReport(
    Instant started,
    Duration took,
    int checked,
    int healthy,
    Map<String, Integer> healthyByFsType,
    int skipped,
    List<SweepFinding> findings,
    Optional<String> failure) {

  /** Checks and copies. */
  public SweepReport {
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(took, "took");
    healthyByFsType = Map.copyOf(healthyByFsType);
    findings = List.copyOf(findings);
    Objects.requireNonNull(failure, "failure");
  }

  /** Returns the findings of one kind. */
  public List<SweepFinding> findings(SweepFinding.Kind kind) {
    return findings.stream().filter(f -> f.kind() == kind).toList();
  }
}
