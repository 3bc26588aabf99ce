package io.s3csi.core.health;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.health.SweepFinding.Action;
import io.s3csi.core.health.SweepFinding.Kind;
import io.s3csi.core.mount.ManagedTarget;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.Mounter;
import io.s3csi.core.node.VolumeLocks;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Looks at everything the mounter keeps for targets, finds what is wrong, cleans what is safe to
 * clean and reports each finding (a log line, and a {@link SweepListener}).
 *
 * <ul>
 *   <li>A mount whose FUSE client died or hangs ({@link Kind#DEAD_MOUNT}) is only reported. Its
 *       target belongs to kubelet, which still shows it to the pod; unmounting it behind kubelet's
 *       back would turn a loud failure ({@code ENOTCONN}) into a silent one (an empty directory the
 *       pod writes into). The next publish of the volume heals it.
 *   <li>A client whose target has no mount ({@link Kind#ORPHAN_CLIENT}) serves nothing: it is
 *       stopped and its private files are removed.
 *   <li>Private files of a target with no mount and no client ({@link Kind#ORPHAN_FILES}), such as
 *       credentials a crash left, are removed.
 *   <li>A client of the mounter with no record of its target ({@link Kind#UNKNOWN_CLIENT}) may
 *       serve a mount nobody can name: it is only reported.
 * </ul>
 *
 * <p>The sweep never races a publish or unpublish: it takes the target's {@link
 * VolumeLocks#targetKey lock} before it looks at a target, and skips a target that is busy. It also
 * skips anything younger than its grace period, so a mount that is still starting is never mistaken
 * for a leftover. Run it periodically ({@link #run()} never throws, as a scheduled task must not).
 */
public final class MountSweeper implements Runnable {
  /** The default grace period: longer than any mount may take to start. */
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

  private static final Logger LOG = System.getLogger(MountSweeper.class.getName());

  private final Mounter mounter;
  private final VolumeLocks locks;
  private final SweepListener listener;
  private final Clock clock;
  private final Duration grace;

  /**
   * Creates a sweeper.
   *
   * @param mounter the mounter whose targets to sweep
   * @param locks the node's volume locks, shared with its {@link io.s3csi.core.node.NodeService}
   * @param listener hears each report (metrics, events)
   * @param clock tells the time
   * @param grace how old an entry must be before the sweep cleans it; not negative
   */
  public MountSweeper(
      Mounter mounter, VolumeLocks locks, SweepListener listener, Clock clock, Duration grace) {
    this.mounter = Objects.requireNonNull(mounter, "mounter");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.grace = Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
  }

  /** Sweeps once; logs instead of throwing. */
  @Override
  public void run() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "the mount sweep failed", e);
    }
  }

  /**
   * Sweeps once and tells the listener.
   *
   * @return what it saw and did
   */
  public SweepReport sweep() {
    Instant started = clock.instant();
    Tally tally = new Tally();
    Optional<String> failure = Optional.empty();
    try {
      for (ManagedTarget managed : mounter.managedTargets()) {
        tally.checked++;
        look(managed, started, tally);
      }
    } catch (DriverException e) {
      failure = Optional.of(e.getMessage());
      LOG.log(
          Level.WARNING, "the mount sweep cannot list the mounter''s targets: {0}", e.getMessage());
    }
    SweepReport report =
        new SweepReport(
            started,
            Duration.between(started, clock.instant()),
            tally.checked,
            tally.healthy,
            tally.healthyByFsType,
            tally.skipped,
            tally.findings,
            failure);
    LOG.log(
        report.findings().isEmpty() ? Level.DEBUG : Level.INFO,
        "mount sweep: {0} checked, {1} healthy, {2} skipped, {3} finding(s)",
        report.checked(),
        report.healthy(),
        report.skipped(),
        report.findings().size());
    try {
      listener.swept(report);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "sweep listener " + listener + " failed", e);
    }
    return report;
  }

  private void look(ManagedTarget managed, Instant now, Tally tally) {
    if (managed.target().isEmpty()) {
      if (managed.clientRunning()) {
        tally.add(
            finding(
                Kind.UNKNOWN_CLIENT,
                managed,
                Action.REPORTED,
                "a client of key "
                    + managed.key()
                    + " runs but its target is not recorded; stop it by hand once nothing uses"
                    + " it"));
      } else if (young(managed, now)) {
        tally.skipped++;
      } else {
        clean(Kind.ORPHAN_FILES, managed, "private files with no record and no client", tally);
      }
      return;
    }
    Path target = managed.target().get();
    VolumeLocks.Held held;
    try {
      held = locks.acquire(VolumeLocks.targetKey(target), "the mount sweep of " + target);
    } catch (DriverException e) {
      if (e.kind() != ErrorKind.ABORTED) {
        throw e;
      }
      tally.skipped++;
      return;
    }
    try (held) {
      // look again under the lock: a publish or unpublish may have changed it since the listing
      Optional<ManagedTarget> current = mounter.managedTarget(target);
      if (current.isEmpty()) {
        return; // unpublished meanwhile
      }
      MountState state = mounter.state(target);
      if (state instanceof MountState.Mounted mounted) {
        tally.healthy++;
        tally.healthyByFsType.merge(mounted.fsType(), 1, Integer::sum);
      } else if (state instanceof MountState.Corrupted corrupted) {
        tally.add(finding(Kind.DEAD_MOUNT, current.get(), Action.REPORTED, corrupted.reason()));
      } else if (young(current.get(), now)) {
        tally.skipped++;
      } else if (current.get().clientRunning()) {
        clean(
            Kind.ORPHAN_CLIENT,
            current.get(),
            "its client runs but " + target + " has no mount",
            tally);
      } else {
        clean(Kind.ORPHAN_FILES, current.get(), target + " has no mount and no client", tally);
      }
    } catch (DriverException e) {
      LOG.log(Level.WARNING, "the mount sweep cannot look at {0}: {1}", target, e.getMessage());
      tally.skipped++;
    }
  }

  private void clean(Kind kind, ManagedTarget managed, String detail, Tally tally) {
    try {
      mounter.forget(managed);
      tally.add(finding(kind, managed, Action.CLEANED, detail));
    } catch (RuntimeException e) {
      tally.add(
          finding(kind, managed, Action.FAILED, detail + "; cleaning failed: " + e.getMessage()));
    }
  }

  private boolean young(ManagedTarget managed, Instant now) {
    return managed.since().plus(grace).isAfter(now);
  }

  private static SweepFinding finding(
      Kind kind, ManagedTarget managed, Action action, String detail) {
    SweepFinding finding =
        new SweepFinding(kind, managed.key(), managed.target(), managed.volumeId(), action, detail);
    LOG.log(
        kind == Kind.DEAD_MOUNT || action == Action.FAILED || kind == Kind.UNKNOWN_CLIENT
            ? Level.WARNING
            : Level.INFO,
        "mount sweep: {0} {1} at {2} (volume {3}, key {4}): {5}",
        kind,
        action,
        managed.target().map(Path::toString).orElse("an unknown target"),
        managed.volumeId().orElse("unknown"),
        managed.key(),
        detail);
    return finding;
  }

  /** The counts of one sweep. */
  private static final class Tally {
    int checked;
    int healthy;
    final Map<String, Integer> healthyByFsType = new TreeMap<>();
    int skipped;
    final List<SweepFinding> findings = new ArrayList<>();

    void add(SweepFinding finding) {
      findings.add(finding);
    }
  }
}
