package io.s3csi.launcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.health.SweepFinding;
import io.s3csi.core.health.SweepReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SweepMetricsTest {
  private final DriverMetrics metrics =
      new DriverMetrics(
          "1.2.3", Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));
  private final SweepMetrics listener = new SweepMetrics(metrics);

  private static SweepFinding finding(SweepFinding.Kind kind, SweepFinding.Action action) {
    return new SweepFinding(
        kind,
        "0123456789abcdef",
        Optional.of(Path.of("/var/lib/kubelet/pods/p/volumes/kubernetes.io~csi/pv/mount")),
        Optional.of("pv"),
        action,
        "detail");
  }

  @Test
  void swept_report_countsFindingsMountsByClientAndTheDuration() {
    listener.swept(
        new SweepReport(
            Instant.EPOCH,
            Duration.ofMillis(250),
            5,
            3,
            Map.of("fuse.s3fs", 2, "fuse.rclone", 1, "nfs4", 7),
            0,
            List.of(
                finding(SweepFinding.Kind.DEAD_MOUNT, SweepFinding.Action.REPORTED),
                finding(SweepFinding.Kind.ORPHAN_FILES, SweepFinding.Action.CLEANED)),
            Optional.empty()));

    assertThat(metrics.text())
        .contains("s3csi_mounts{client=\"s3fs\",state=\"mounted\"} 2.0")
        .contains("s3csi_mounts{client=\"rclone\",state=\"mounted\"} 1.0")
        .contains("s3csi_mounts{client=\"mount-s3\",state=\"mounted\"} 0.0")
        .containsPattern("s3csi_sweep_findings_total\\{cleaned=\"false\",kind=\"dead_mount\"} 1")
        .containsPattern("s3csi_sweep_findings_total\\{cleaned=\"true\",kind=\"orphan_files\"} 1")
        .contains("s3csi_sweep_duration_seconds_count 1");
  }

  @Test
  void client_fsTypes_mapToTheClientsThatMountThem() {
    assertThat(SweepMetrics.client("fuse.s3fs")).contains(FuseClient.S3FS);
    assertThat(SweepMetrics.client("fuse.rclone")).contains(FuseClient.RCLONE);
    assertThat(SweepMetrics.client("fuse")).contains(FuseClient.MOUNT_S3);
    assertThat(SweepMetrics.client("fuse.mountpoint-s3")).contains(FuseClient.MOUNT_S3);
    assertThat(SweepMetrics.client("fuse.sshfs")).isEmpty();
    assertThat(SweepMetrics.client("ext4")).isEmpty();
  }
}
