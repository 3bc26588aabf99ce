package io.s3csi.launcher.metrics;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.health.SweepFinding;
import io.s3csi.core.health.SweepListener;
import io.s3csi.core.health.SweepReport;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Feeds each sweep's report to the metrics: the findings by kind and whether they were cleaned, the
 * sweep's duration, and the healthy mounts by FUSE client ({@code s3csi_mounts{state="mounted"}},
 * from the file system type each mount has in the mount table). Dead mounts are counted by {@code
 * s3csi_sweep_findings_total{kind="dead_mount"}}: the mount table no longer says which client a
 * dead mount had.
 */
public final class SweepMetrics implements SweepListener {
  private final DriverMetrics metrics;

  /**
   * Creates the listener.
   *
   * @param metrics the metrics to feed
   */
  public SweepMetrics(DriverMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void swept(SweepReport report) {
    for (SweepFinding finding : report.findings()) {
      metrics.sweepFinding(
          finding.kind().name().toLowerCase(Locale.ROOT),
          finding.action() == SweepFinding.Action.CLEANED);
    }
    if (report.failure().isEmpty()) {
      Map<FuseClient, Integer> mounted = new EnumMap<>(FuseClient.class);
      report
          .healthyByFsType()
          .forEach(
              (fsType, count) ->
                  client(fsType).ifPresent(client -> mounted.merge(client, count, Integer::sum)));
      metrics.mountsObserved(Map.of("mounted", mounted));
    }
    metrics.sweepCompleted(report.took());
  }

  /**
   * The FUSE client of a mount-table file system type: {@code fuse.s3fs} and {@code fuse.rclone}
   * name theirs; Mountpoint for S3 mounts as plain {@code fuse} (its source is {@code
   * mountpoint-s3}).
   *
   * @param fsType the type, such as {@code fuse.s3fs}
   * @return the client, or empty for a type no s3csi client mounts as
   */
  static Optional<FuseClient> client(String fsType) {
    String subtype = fsType.startsWith("fuse.") ? fsType.substring("fuse.".length()) : "";
    if (fsType.equals("fuse") || subtype.equals("mountpoint-s3")) {
      return Optional.of(FuseClient.MOUNT_S3);
    }
    try {
      return Optional.of(FuseClient.parse("fsType", subtype));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "SweepMetrics";
  }
}
