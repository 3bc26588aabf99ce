package io.s3csi.testkit.mount;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.Mounter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * fails, {@link #unmount} of an unmounted target succeeds. It touches no file system.
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
