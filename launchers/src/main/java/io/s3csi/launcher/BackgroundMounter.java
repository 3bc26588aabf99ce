package io.s3csi.launcher;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.identity.ReadinessCheck;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.mount.ManagedTarget;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.Mounter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link Mounter} built on a thread of its own while the driver starts serving. Building a
 * mounter loads its classes and starts binding the C library (on a thread of adapters-systemd's
 * own), and the systemd mounter connects to systemd and looks for the mounts of a previous driver:
 * neither a CSI Probe nor NodeGetInfo needs any of it. Every call of the mounter waits for it to be
 * built, up to {@link #STARTUP_WAIT}; a mounter that could not be built fails every call with the
 * reason, and its readiness check says so.
 */
final class BackgroundMounter implements Mounter, AutoCloseable {
  /** How long a call waits for the mounter to be built before it fails as UNAVAILABLE. */
  static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

  private static final Logger LOG = System.getLogger(BackgroundMounter.class.getName());

  private final String name;
  private final CompletableFuture<Mounter> built;

  private BackgroundMounter(String name, CompletableFuture<Mounter> built) {
    this.name = name;
    this.built = built;
  }

  /**
   * Starts building a mounter on a daemon thread.
   *
   * @param name what the mounter is, for messages ("the systemd mounter")
   * @param build builds it; may throw
   * @return the mounter, usable at once
   */
  static BackgroundMounter start(String name, Supplier<? extends Mounter> build) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(build, "build");
    CompletableFuture<Mounter> built = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                built.complete(Objects.requireNonNull(build.get(), "the built mounter"));
              } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.ERROR, "cannot start {0}: {1}", name, S3csi.describe(e));
                built.completeExceptionally(e);
              }
            },
            "s3csi-mounter-start");
    thread.setDaemon(true);
    thread.start();
    return new BackgroundMounter(name, built);
  }

  /**
   * A readiness check that does not wait: not ready once the mounter could not be built, ready
   * while it is being built (calls wait for it) and once it is.
   */
  ReadinessCheck startFailure() {
    return () -> {
      if (!built.isCompletedExceptionally()) {
        return Optional.empty();
      }
      return Optional.of(failure(cause(built)));
    };
  }

  /**
   * A readiness check that waits up to {@code timeout} for the mounter to be built, then asks
   * {@code check} about it.
   *
   * @param timeout how long to wait
   * @param check the check of the built mounter: empty when ready, otherwise why not
   */
  ReadinessCheck whenBuilt(Duration timeout, Function<Mounter, Optional<String>> check) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(check, "check");
    return () -> {
      Mounter mounter;
      try {
        mounter = built.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        return Optional.of(name + " is still starting");
      } catch (ExecutionException e) {
        return Optional.of(failure(e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted while waiting for " + name);
      }
      return check.apply(mounter);
    };
  }

  /**
   * The built mounter, after waiting for it.
   *
   * @throws DriverException UNAVAILABLE if it is not built within {@link #STARTUP_WAIT}, INTERNAL
   *     if it could not be built
   */
  private Mounter mounter() {
    try {
      return built.get(STARTUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw DriverException.unavailable(
          name + " is still starting after " + STARTUP_WAIT.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw DriverException.internal(failure(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DriverException.unavailable("interrupted while waiting for " + name, e);
    }
  }

  private String failure(Throwable cause) {
    return name + " could not start: " + S3csi.describe(cause);
  }

  private static Throwable cause(CompletableFuture<?> failed) {
    try {
      failed.join();
      throw new IllegalStateException("the mounter was built");
    } catch (CompletionException e) {
      return e.getCause() != null ? e.getCause() : e;
    }
  }

  @Override
  public MountState state(Path target) {
    return mounter().state(target);
  }

  @Override
  public void mount(MountSpec spec) {
    mounter().mount(spec);
  }

  @Override
  public int refreshCredentials(MountSpec spec) {
    return mounter().refreshCredentials(spec);
  }

  @Override
  public void unmount(Path target) {
    mounter().unmount(target);
  }

  @Override
  public Optional<FileSystemUsage> usage(Path target) {
    return mounter().usage(target);
  }

  @Override
  public List<ManagedTarget> managedTargets() {
    return mounter().managedTargets();
  }

  @Override
  public Optional<ManagedTarget> managedTarget(Path target) {
    return mounter().managedTarget(target);
  }

  @Override
  public void forget(ManagedTarget managed) {
    mounter().forget(managed);
  }

  /**
   * Waits for the mounter to be built (up to {@link #STARTUP_WAIT}) and closes it, so that a driver
   * stopped while it starts still releases what the mounter holds.
   */
  @Override
  public void close() throws Exception {
    Mounter mounter;
    try {
      mounter = built.get(STARTUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return; // nothing was built, nothing to release
    } catch (TimeoutException e) {
      LOG.log(Level.WARNING, "{0} is still starting; stopping without it", name);
      return;
    }
    if (mounter instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @Override
  public String toString() {
    if (!built.isDone()) {
      return name + " (starting)";
    }
    return built.isCompletedExceptionally() ? name + " (could not start)" : built.join().toString();
  }
}
