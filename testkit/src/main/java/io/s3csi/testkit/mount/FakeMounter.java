package io.s3csi.testkit.mount;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.mount.ManagedTarget;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.Mounter;
import io.s3csi.core.mount.PrivateDirectories;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A stateful, in-memory {@link Mounter} for tests of code that uses one: a mount table keyed by
 * target, a record of every call, failures scripted per operation, a way to mark a mount dead, and
 * a gate to hold a mount in flight (to test locks and concurrency).
 *
 * <p>It follows the {@link Mounter} contract: {@link #mount} on a target that is already mounted
 * fails, {@link #unmount} of an unmounted target succeeds. Besides the mount table it keeps what a
 * real mounter keeps per target (private files, a running client), listed by {@link
 * #managedTargets()}: {@link #kill} ends the client and leaves a dead mount, {@link
 * #unmountBehindTheBack} removes the mount and leaves the client and files. It touches no file
 * system.
 *
 * <pre>{@code
 * FakeMounter mounter = new FakeMounter();
 * mounter.failNextMount(() -> DriverException.internal("s3fs: bucket not found", null));
 * // ... exercise the code under test ...
 * assertThat(mounter.calls()).containsExactly("state " + target, "mount " + target);
 * }</pre>
 */
public final class FakeMounter implements Mounter {

  /**
   * A mount in the fake table.
   *
   * @param spec what was mounted
   * @param dead whether the mount has been marked dead
   */
  public record Mount(MountSpec spec, boolean dead) {}

  private final Map<Path, Mount> table = new ConcurrentHashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final Deque<Supplier<? extends RuntimeException>> mountFailures = new ArrayDeque<>();
  private final Deque<Supplier<? extends RuntimeException>> unmountFailures = new ArrayDeque<>();
  private final Map<Path, String> foreign = new ConcurrentHashMap<>();
  private final Map<String, ManagedTarget> kept = new TreeMap<>();
  private final Map<Path, FileSystemUsage> usage = new ConcurrentHashMap<>();
  private volatile Instant now = Instant.EPOCH;
  private volatile CountDownLatch gate;
  private final CountDownLatch[] entered = {new CountDownLatch(1)};

  @Override
  public synchronized MountState state(Path target) {
    record("state " + target);
    if (foreign.containsKey(target)) {
      return new MountState.Mounted(Optional.empty(), false, foreign.get(target));
    }
    Mount mount = table.get(target);
    if (mount == null) {
      return MountState.NOT_MOUNTED;
    }
    if (mount.dead()) {
      return new MountState.Corrupted(
          Optional.of(mount.spec().volumeId()), "Transport endpoint is not connected");
    }
    return new MountState.Mounted(
        Optional.of(mount.spec().volumeId()),
        mount.spec().readOnly(),
        "fuse." + mount.spec().client().id());
  }

  @Override
  public void mount(MountSpec spec) {
    synchronized (this) {
      record("mount " + spec.target());
      Supplier<? extends RuntimeException> failure = mountFailures.poll();
      if (failure != null) {
        throw failure.get();
      }
      if (table.containsKey(spec.target()) || foreign.containsKey(spec.target())) {
        throw DriverException.internal("fake: " + spec.target() + " is already mounted", null);
      }
    }
    CountDownLatch hold = gate;
    if (hold != null) {
      entered[0].countDown();
      try {
        if (!hold.await(30, TimeUnit.SECONDS)) {
          throw DriverException.deadlineExceeded("fake: mount gate was never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw DriverException.internal("fake: interrupted", e);
      }
    }
    synchronized (this) {
      table.put(spec.target(), new Mount(spec, false));
      keep(spec.target(), Optional.of(spec.volumeId()), true, now);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Records {@code "refresh <target>"} and keeps the new spec as the mount's, so a test can see
   * the rotated credentials through {@link #mounted}. Returns how many files a real mounter would
   * rewrite.
   *
   * @throws DriverException {@code FAILED_PRECONDITION} when nothing is mounted at the target
   */
  @Override
  public synchronized int refreshCredentials(MountSpec spec) {
    record("refresh " + spec.target());
    Mount mount = table.get(spec.target());
    if (mount == null) {
      throw DriverException.failedPrecondition("nothing is mounted at " + spec.target());
    }
    table.put(spec.target(), new Mount(spec, mount.dead()));
    return FuseCommand.forSpec(spec, spec.target().resolveSibling(".private")).rereadFiles().size();
  }

  @Override
  public synchronized void unmount(Path target) {
    record("unmount " + target);
    Supplier<? extends RuntimeException> failure = unmountFailures.poll();
    if (failure != null) {
      throw failure.get();
    }
    table.remove(target);
    foreign.remove(target);
    kept.remove(PrivateDirectories.keyOf(target));
  }

  /** Returns the usage set with {@link #reportUsage} while the mount is alive; else empty. */
  @Override
  public synchronized Optional<FileSystemUsage> usage(Path target) {
    record("usage " + target);
    Mount mount = table.get(target);
    return mount == null || mount.dead()
        ? Optional.empty()
        : Optional.ofNullable(usage.get(target));
  }

  @Override
  public synchronized List<ManagedTarget> managedTargets() {
    record("managed");
    return List.copyOf(kept.values());
  }

  @Override
  public synchronized Optional<ManagedTarget> managedTarget(Path target) {
    return Optional.ofNullable(kept.get(PrivateDirectories.keyOf(target)));
  }

  /** Forgets what is kept for the entry's key; refuses a target that is mounted. */
  @Override
  public synchronized void forget(ManagedTarget managed) {
    record("forget " + managed.key());
    Optional<Path> target = managed.target();
    if (target.isPresent()
        && (table.containsKey(target.get()) || foreign.containsKey(target.get()))) {
      throw DriverException.failedPrecondition(
          "fake: " + target.get() + " is mounted; unmount it instead");
    }
    kept.remove(managed.key());
  }

  /** Sets what a live mount at the target reports to statfs. */
  public synchronized FakeMounter reportUsage(Path target, FileSystemUsage reported) {
    usage.put(target, reported);
    return this;
  }

  /** Sets the time that stamps what the fake keeps for targets mounted from now on. */
  public FakeMounter now(Instant instant) {
    this.now = instant;
    return this;
  }

  /**
   * Removes the mount at a target as an unmount behind the driver's back does; the client and the
   * private files stay.
   *
   * @param target a mounted target
   * @param clientRuns whether the client keeps running (most clients exit once unmounted)
   */
  public synchronized void unmountBehindTheBack(Path target, boolean clientRuns) {
    Mount mount = table.remove(target);
    if (mount == null) {
      throw new IllegalStateException("nothing mounted at " + target);
    }
    ManagedTarget entry = kept.get(PrivateDirectories.keyOf(target));
    keep(target, Optional.of(mount.spec().volumeId()), clientRuns, entry.since());
  }

  /** Leaves private files (and maybe a client) with no record of their target, as a crash does. */
  public synchronized void leaveUnrecorded(String key, boolean clientRuns) {
    kept.put(key, new ManagedTarget(key, Optional.empty(), Optional.empty(), clientRuns, now));
  }

  /** Returns the keys the fake keeps private files or a client for. */
  public synchronized List<String> keptKeys() {
    return List.copyOf(kept.keySet());
  }

  private void keep(Path target, Optional<String> volumeId, boolean clientRuns, Instant since) {
    String key = PrivateDirectories.keyOf(target);
    kept.put(key, new ManagedTarget(key, Optional.of(target), volumeId, clientRuns, since));
  }

  /** Makes the next {@link #mount} throw the supplied exception. Calls queue up. */
  public synchronized FakeMounter failNextMount(Supplier<? extends RuntimeException> failure) {
    mountFailures.add(failure);
    return this;
  }

  /** Makes the next {@link #unmount} throw the supplied exception. Calls queue up. */
  public synchronized FakeMounter failNextUnmount(Supplier<? extends RuntimeException> failure) {
    unmountFailures.add(failure);
    return this;
  }

  /** Marks the mount at a target dead, as if its FUSE client had been killed. */
  public synchronized void kill(Path target) {
    Mount mount = table.get(target);
    if (mount == null) {
      throw new IllegalStateException("nothing mounted at " + target);
    }
    table.put(target, new Mount(mount.spec(), true));
    ManagedTarget entry = kept.get(PrivateDirectories.keyOf(target));
    keep(target, entry.volumeId(), false, entry.since());
  }

  /** Pretends something s3csi did not mount (of the given type) sits at a target. */
  public synchronized void mountForeign(Path target, String fsType) {
    foreign.put(target, fsType);
  }

  /**
   * Holds every following {@link #mount} call until {@link #release()}, so a test can run a second
   * operation while the first is in flight. Use {@link #awaitHeldMount} to know one is held.
   */
  public synchronized void holdMounts() {
    gate = new CountDownLatch(1);
    entered[0] = new CountDownLatch(1);
  }

  /**
   * Waits until a mount is held by {@link #holdMounts()}.
   *
   * @param timeout how long to wait
   * @return whether a mount arrived in time
   */
  public boolean awaitHeldMount(java.time.Duration timeout) throws InterruptedException {
    return entered[0].await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lets held mounts continue and stops holding new ones. */
  public void release() {
    CountDownLatch hold = gate;
    gate = null;
    if (hold != null) {
      hold.countDown();
    }
  }

  /** Returns the current mount table. */
  public synchronized Map<Path, Mount> mounts() {
    return Map.copyOf(table);
  }

  /** Returns the spec mounted at a target, if any. */
  public synchronized Optional<MountSpec> mounted(Path target) {
    return Optional.ofNullable(table.get(target)).map(Mount::spec);
  }

  /** Returns every call so far, as {@code "state <target>"}, {@code "mount <target>"}, ... */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Forgets the recorded calls. */
  public synchronized void clearCalls() {
    calls.clear();
  }

  private void record(String call) {
    calls.add(call);
  }
}
