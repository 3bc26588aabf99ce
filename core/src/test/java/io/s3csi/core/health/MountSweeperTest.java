package io.s3csi.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.MountOptions;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.health.SweepFinding.Action;
import io.s3csi.core.health.SweepFinding.Kind;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.core.node.InMemoryMounter;
import io.s3csi.core.node.VolumeLocks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MountSweeperTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofMinutes(2);
  private static final Path TARGET =
      Path.of("/var/lib/kubelet/pods/0f9a/volumes/kubernetes.io~csi/pv-a/mount");
  private static final Path OTHER =
      Path.of("/var/lib/kubelet/pods/0f9a/volumes/kubernetes.io~csi/pv-b/mount");

  private final InMemoryMounter mounter = new InMemoryMounter();
  private final VolumeLocks locks = new VolumeLocks();
  private final List<SweepReport> heard = new ArrayList<>();
  private Clock clock = Clock.fixed(T0.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
  private MountSweeper sweeper;

  @BeforeEach
  void setUp() {
    mounter.now(T0);
    sweeper = sweeper();
  }

  private MountSweeper sweeper() {
    return new MountSweeper(mounter, locks, heard::add, clock, GRACE);
  }

  private static MountSpec spec(String volumeId, Path target) {
    return new MountSpec(
        volumeId,
        target,
        "bucket",
        Optional.empty(),
        FuseClient.S3FS,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        false,
        MountOptions.none(FuseClient.S3FS),
        new StaticCredentials("AKIA", Secret.of("s3cr3t"), Optional.empty()),
        Optional.empty());
  }

  private static SweepFinding finding(
      Kind kind, Path target, String volumeId, Action action, String detail) {
    return new SweepFinding(
        kind,
        PrivateDirectories.keyOf(target),
        Optional.of(target),
        Optional.of(volumeId),
        action,
        detail);
  }

  @Test
  void sweep_healthyMounts_findNothingAndTouchNothing() {
    mounter.mount(spec("pv-a", TARGET));
    mounter.mount(spec("pv-b", OTHER));

    SweepReport report = sweeper.sweep();

    assertThat(report.checked()).isEqualTo(2);
    assertThat(report.healthy()).isEqualTo(2);
    assertThat(report.healthyByFsType()).isEqualTo(Map.of("fuse.s3fs", 2));
    assertThat(report.findings()).isEmpty();
    assertThat(report.failure()).isEmpty();
    assertThat(mounter.mounts()).containsOnlyKeys(TARGET, OTHER);
    assertThat(heard).containsExactly(report);
  }

  @Test
  void sweep_deadMount_isReportedAndNeverUnmounted() {
    mounter.mount(spec("pv-a", TARGET));
    mounter.kill(TARGET);

    SweepReport report = sweeper.sweep();

    assertThat(report.findings())
        .containsExactly(
            finding(
                Kind.DEAD_MOUNT,
                TARGET,
                "pv-a",
                Action.REPORTED,
                "Transport endpoint is not connected"));
    assertThat(mounter.mounts()).containsKey(TARGET);
    assertThat(mounter.calls()).noneMatch(c -> c.startsWith("unmount") || c.startsWith("forget"));
  }

  @Test
  void sweep_clientWhoseTargetWasUnmounted_isStoppedAndItsFilesRemoved() {
    mounter.mount(spec("pv-a", TARGET));
    mounter.unmountBehindTheBack(TARGET, true);

    SweepReport report = sweeper.sweep();

    assertThat(report.findings())
        .containsExactly(
            finding(
                Kind.ORPHAN_CLIENT,
                TARGET,
                "pv-a",
                Action.CLEANED,
                "its client runs but " + TARGET + " has no mount"));
    assertThat(mounter.keptKeys()).isEmpty();
  }

  @Test
  void sweep_filesWithNoMountAndNoClient_areRemoved() {
    mounter.mount(spec("pv-a", TARGET));
    mounter.unmountBehindTheBack(TARGET, false);

    SweepReport report = sweeper.sweep();

    assertThat(report.findings())
        .containsExactly(
            finding(
                Kind.ORPHAN_FILES,
                TARGET,
                "pv-a",
                Action.CLEANED,
                TARGET + " has no mount and no client"));
    assertThat(mounter.keptKeys()).isEmpty();
  }

  @Test
  void sweep_calledTwice_cleansOnceAndThenFindsNothing() {
    mounter.mount(spec("pv-a", TARGET));
    mounter.unmountBehindTheBack(TARGET, false);

    sweeper.sweep();
    SweepReport second = sweeper.sweep();

    assertThat(second.checked()).isZero();
    assertThat(second.findings()).isEmpty();
    assertThat(mounter.calls()).filteredOn(c -> c.startsWith("forget")).hasSize(1);
  }

  @Test
  void sweep_unrecordedFilesWithNoClient_areRemoved() {
    mounter.leaveUnrecorded("00112233aabbccdd", false);

    SweepReport report = sweeper.sweep();

    assertThat(report.findings())
        .containsExactly(
            new SweepFinding(
                Kind.ORPHAN_FILES,
                "00112233aabbccdd",
                Optional.empty(),
                Optional.empty(),
                Action.CLEANED,
                "private files with no record and no client"));
    assertThat(mounter.keptKeys()).isEmpty();
  }

  @Test
  void sweep_unrecordedRunningClient_isOnlyReported() {
    mounter.leaveUnrecorded("00112233aabbccdd", true);

    SweepReport report = sweeper.sweep();

    assertThat(report.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(Kind.UNKNOWN_CLIENT);
              assertThat(f.action()).isEqualTo(Action.REPORTED);
            });
    assertThat(mounter.keptKeys()).containsExactly("00112233aabbccdd");
  }

  @Test
  void sweep_leftoverYoungerThanTheGrace_isLeftForALaterSweep() {
    mounter.mount(spec("pv-a", TARGET));
    mounter.unmountBehindTheBack(TARGET, true);
    clock = Clock.fixed(T0.plus(GRACE).minusSeconds(1), ZoneOffset.UTC);

    SweepReport report = sweeper().sweep();

    assertThat(report.findings()).isEmpty();
    assertThat(report.skipped()).isEqualTo(1);
    assertThat(mounter.keptKeys()).hasSize(1);
  }

  @Test
  void sweep_targetBusyWithAPublish_isSkippedAndUntouched() {
    mounter.mount(spec("pv-a", TARGET));
    mounter.unmountBehindTheBack(TARGET, true);

    SweepReport report;
    try (VolumeLocks.Held publish = locks.acquire(VolumeLocks.targetKey(TARGET), "a publish")) {
      report = sweeper.sweep();
    }

    assertThat(report.skipped()).isEqualTo(1);
    assertThat(report.findings()).isEmpty();
    assertThat(mounter.keptKeys()).hasSize(1);
    assertThat(locks.held()).isZero();
  }

  @Test
  void sweep_cleaningFails_isReportedAsFailedAndTheLockIsReleased() {
    mounter.mount(spec("pv-a", TARGET));
    mounter.unmountBehindTheBack(TARGET, true);
    mounter.failNextForget(DriverException.deadlineExceeded("unit s3csi-x.service did not stop"));

    SweepReport report = sweeper.sweep();

    assertThat(report.findings())
        .containsExactly(
            finding(
                Kind.ORPHAN_CLIENT,
                TARGET,
                "pv-a",
                Action.FAILED,
                "its client runs but "
                    + TARGET
                    + " has no mount; cleaning failed: unit s3csi-x.service did not stop"));
    assertThat(locks.held()).isZero();
    assertThat(sweeper.sweep().findings())
        .extracting(SweepFinding::action)
        .containsExactly(Action.CLEANED);
  }

  @Test
  void sweep_mounterCannotList_reportsTheFailure() {
    MountSweeper broken =
        new MountSweeper(new ListFailingMounter(mounter), locks, heard::add, clock, GRACE);

    SweepReport report = broken.sweep();

    assertThat(report.failure()).hasValue("systemd cannot be reached at /run/systemd/private");
    assertThat(heard).containsExactly(report);
  }

  @Test
  void run_throwingListener_neverThrows() {
    MountSweeper sweeper =
        new MountSweeper(
            mounter,
            locks,
            report -> {
              throw new IllegalStateException("listener bug");
            },
            clock,
            GRACE);

    sweeper.run();

    assertThat(mounter.calls()).contains("managed");
  }

  @Test
  void constructor_negativeGrace_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new MountSweeper(mounter, locks, SweepListener.NONE, clock, Duration.ofSeconds(-1)))
        .withMessage("grace must not be negative: PT-1S");
  }

  /** A mounter whose listing fails as the systemd mounter's does when systemd is unreachable. */
  private record ListFailingMounter(InMemoryMounter delegate)
      implements io.s3csi.core.mount.Mounter {
    @Override
    public io.s3csi.core.mount.MountState state(Path target) {
      return delegate.state(target);
    }

    @Override
    public void mount(MountSpec spec) {
      delegate.mount(spec);
    }

    @Override
    public int refreshCredentials(MountSpec spec) {
      return delegate.refreshCredentials(spec);
    }

    @Override
    public void unmount(Path target) {
      delegate.unmount(target);
    }

    @Override
    public Optional<io.s3csi.core.mount.FileSystemUsage> usage(Path target) {
      return delegate.usage(target);
    }

    @Override
    public List<io.s3csi.core.mount.ManagedTarget> managedTargets() {
      throw DriverException.unavailable("systemd cannot be reached at /run/systemd/private", null);
    }

    @Override
    public Optional<io.s3csi.core.mount.ManagedTarget> managedTarget(Path target) {
      return delegate.managedTarget(target);
    }

    @Override
    public void forget(io.s3csi.core.mount.ManagedTarget managed) {
      delegate.forget(managed);
    }
  }
}
