package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.mount.MountEntry;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the units of the systemd mounter through their life: waits for a started unit to serve
 * its mount, stops a unit and waits until it has ended. A wait for a mount wakes when the kernel's
 * mount table changes ({@link MountTableWatch}) or after a {@link Backoff} pause, and asks systemd
 * for the unit's state, three D-Bus calls, only when the mount serves and every {@value
 * #POLL_MILLIS} ms; a wait for a stop polls systemd every {@value #POLL_MILLIS} ms.
 */
final class UnitSupervisor {
  static final long POLL_MILLIS = 50;

  private static final Logger LOG = System.getLogger(SystemdMounter.class.getName());
  private static final Duration POLL_INTERVAL = Duration.ofMillis(POLL_MILLIS);

  /** systemd's own grace beyond the stop timeout: SIGKILL and the stop note take a moment. */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(5);

  /** Reads unit states beside a publish's probes. */
  private static final ExecutorService STATE_READS = DaemonPool.cached("s3csi-unit-state");

  private final Systemd systemd;
  private final KernelMounts kernel;
  private final Duration mountTimeout;
  private final Duration stopTimeout;
  private final Duration probeTimeout;

  UnitSupervisor(
      Systemd systemd,
      KernelMounts kernel,
      Duration mountTimeout,
      Duration stopTimeout,
      Duration probeTimeout) {
    this.systemd = systemd;
    this.kernel = kernel;
    this.mountTimeout = mountTimeout;
    this.stopTimeout = stopTimeout;
    this.probeTimeout = probeTimeout;
  }

  /**
   * Stops the unit of a target that has no mount: what a crash or an external unmount left.
   *
   * @param target the target, for the log
   * @param unit the target's unit
   */
  void clearLeftovers(Path target, String unit) {
    UnitState state = systemd.unit(unit);
    if (!state.gone()) {
      LOG.log(
          Level.WARNING,
          "stopping unit {0} ({1}), left for {2} without a mount",
          unit,
          state.describe(),
          target);
      stop(unit);
    }
  }

  /**
   * Waits until a started unit runs and the kernel lists a FUSE mount at the target that answers.
   *
   * @param spec the mount, for messages
   * @param target the normalized target
   * @param service the started unit
   * @param redactor the mount's secrets, masked in the quoted log
   * @param deadline the {@link System#nanoTime()} by which it must serve
   * @throws DriverException {@code FAILED_PRECONDITION} if the unit ends first, {@code
   *     DEADLINE_EXCEEDED} at the deadline; both name the unit and quote the client's log
   */
  void awaitServing(
      MountSpec spec,
      Path target,
      TransientService service,
      SecretRedactor redactor,
      long deadline) {
    String lastProblem = "the kernel lists no mount at the target";
    Backoff backoff = new Backoff(POLL_INTERVAL);
    // Each look at the unit is three D-Bus calls; the mount table is watched for free. So the unit
    // is looked at when its mount serves, to confirm, and while waiting only every POLL_INTERVAL,
    // to notice a client that ended without mounting.
    long unitLooked = System.nanoTime();
    UnitState unit = null;
    while (true) {
      long seen = kernel.changes();
      Optional<MountEntry> entry = kernel.sharedTable().at(target);
      if (entry.isPresent() && entry.get().fuse()) {
        // Two answers in a row, as the process mounter asks: s3fs checks the bucket in its FUSE
        // init callback, after the mount appeared, and on failure ends its session; a worker
        // thread that was already waiting may still answer the first probe, but nothing answers
        // a second one.
        // The unit's state is read while the probes wait for the client's FUSE init.
        CompletableFuture<UnitState> state =
            CompletableFuture.supplyAsync(() -> systemd.unit(service.name()), STATE_READS);
        Optional<String> problem = probe(target, deadline);
        if (problem.isEmpty()) {
          problem = probe(target, deadline);
        }
        unit = join(state);
        unitLooked = System.nanoTime();
        if (problem.isEmpty() && unit.running() && kernel.at(target).isPresent()) {
          return;
        }
        lastProblem = problem.orElse(lastProblem);
      }
      long left = deadline - System.nanoTime();
      if (System.nanoTime() - unitLooked >= POLL_INTERVAL.toNanos() || left <= 0) {
        unit = systemd.unit(service.name());
        unitLooked = System.nanoTime();
      }
      if (unit != null && unit.ended()) {
        throw DriverException.failedPrecondition(
            service.program()
                + " in unit "
                + service.name()
                + " stopped before serving "
                + spec.source()
                + " at "
                + target
                + " (unit "
                + unit.describe()
                + "); "
                + ClientLog.quote(service.logFile(), service.program(), redactor));
      }
      if (left <= 0) {
        throw DriverException.deadlineExceeded(
            service.program()
                + " in unit "
                + service.name()
                + " did not serve "
                + spec.source()
                + " at "
                + target
                + " within "
                + mountTimeout.toMillis()
                + " ms ("
                + lastProblem
                + "; unit "
                + unit.describe()
                + ") and was stopped; "
                + ClientLog.quote(service.logFile(), service.program(), redactor));
      }
      kernel.awaitChange(seen, Duration.ofNanos(Math.min(left, backoff.next().toNanos())));
    }
  }

  private static UnitState join(CompletableFuture<UnitState> state) {
    try {
      return state.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private Optional<String> probe(Path target, long deadline) {
    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    return kernel.problem(target, left.compareTo(probeTimeout) < 0 ? left : probeTimeout);
  }

  /**
   * Stops a unit unless it has ended, waits until it has, and lets systemd forget a failure.
   *
   * @param unit the unit name; a unit systemd does not know is stopped already
   * @throws DriverException {@code DEADLINE_EXCEEDED} if it does not end within the stop timeout
   *     and a margin for systemd's SIGKILL
   */
  void stop(String unit) {
    UnitState state = systemd.unit(unit);
    if (state.gone()) {
      return;
    }
    if (!state.ended()) {
      systemd.stop(unit);
      Duration limit = stopTimeout.plus(STOP_MARGIN);
      long deadline = System.nanoTime() + limit.toNanos();
      while (!(state = systemd.unit(unit)).ended()) {
        if (System.nanoTime() - deadline >= 0) {
          throw DriverException.deadlineExceeded(
              "unit "
                  + unit
                  + " did not stop within "
                  + limit.toMillis()
                  + " ms ("
                  + state.describe()
                  + ")");
        }
        LockSupport.parkNanos(POLL_INTERVAL.toNanos());
      }
    }
    if (!state.gone()) {
      systemd.resetFailed(unit);
    }
  }
}
