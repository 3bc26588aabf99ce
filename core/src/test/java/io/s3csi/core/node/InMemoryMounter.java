package io.s3csi.core.node;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stateful in-memory {@link Mounter} for core's own tests, modelled on testkit's FakeMounter
 * (which core cannot use: testkit depends on core). It keeps a mount table and, apart from it, what
 * a real mounter keeps per target (private files, a client); records every call, fails on request,
 * marks mounts dead, and can hold a mount in flight behind a {@link Gate}.
 */
public final class InMemoryMounter implements Mounter {

  /** A mount in the table. */
  public record Mount(MountSpec spec, boolean dead) {}

  /** A foreign mount: something s3csi did not make. */
  private record Foreign(String fsType, boolean readOnly) {}

  private final Map<Path, Mount> table = new HashMap<>();
  private final Map<String, ManagedTarget> kept = new TreeMap<>();
  private final Map<Path, FileSystemUsage> usage = new HashMap<>();
  private Instant now = Instant.parse("2025-01-01T00:00:00Z");
  private final Map<Path, Foreign> foreign = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final Deque<RuntimeException> mountFailures = new ArrayDeque<>();
  private final Deque<RuntimeException> unmountFailures = new ArrayDeque<>();
  private final Deque<RuntimeException> forgetFailures = new ArrayDeque<>();
  private Gate gate;

  @Override
  public synchronized MountState state(Path target) {
    calls.add("state " + target);
    Foreign other = foreign.get(target);
    if (other != null) {
      return new MountState.Mounted(Optional.empty(), other.readOnly(), other.fsType());
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
    Gate held;
    synchronized (this) {
      calls.add("mount " + spec.target());
      RuntimeException failure = mountFailures.poll();
      if (failure != null) {
        throw failure;
      }
      if (table.containsKey(spec.target()) || foreign.containsKey(spec.target())) {
        throw DriverException.internal("in-memory: " + spec.target() + " is mounted", null);
      }
      held = gate;
      gate = null;
    }
    if (held != null) {
      held.pass();
    }
    synchronized (this) {
      table.put(spec.target(), new Mount(spec, false));
      keep(spec.target(), Optional.of(spec.volumeId()), true);
    }
  }

  @Override
  public synchronized int refreshCredentials(MountSpec spec) {
    calls.add("refresh " + spec.target());
    Mount mount = table.get(spec.target());
    if (mount == null) {
      throw DriverException.failedPrecondition("nothing is mounted at " + spec.target());
    }
    table.put(spec.target(), new Mount(spec, mount.dead()));
    return FuseCommand.forSpec(spec, spec.target().resolveSibling(".private")).rereadFiles().size();
  }

  @Override
  public synchronized void unmount(Path target) {
    calls.add("unmount " + target);
    RuntimeException failure = unmountFailures.poll();
    if (failure != null) {
      throw failure;
    }
    table.remove(target);
    foreign.remove(target);
    kept.remove(PrivateDirectories.keyOf(target));
  }

  @Override
  public synchronized Optional<FileSystemUsage> usage(Path target) {
    calls.add("usage " + target);
    Mount mount = table.get(target);
    return mount == null || mount.dead()
        ? Optional.empty()
        : Optional.ofNullable(usage.get(target));
  }

  @Override
  public synchronized List<ManagedTarget> managedTargets() {
    calls.add("managed");
    return List.copyOf(kept.values());
  }

  @Override
  public synchronized Optional<ManagedTarget> managedTarget(Path target) {
    return Optional.ofNullable(kept.get(PrivateDirectories.keyOf(target)));
  }

  @Override
  public synchronized void forget(ManagedTarget managed) {
    calls.add("forget " + managed.key());
    RuntimeException failure = forgetFailures.poll();
    if (failure != null) {
      throw failure;
    }
    if (managed.target().isPresent()
        && (table.containsKey(managed.target().get())
            || foreign.containsKey(managed.target().get()))) {
      throw DriverException.failedPrecondition(
          "in-memory: " + managed.target().get() + " is mounted");
    }
    kept.remove(managed.key());
  }

  /** Sets what the mount at a target reports to statfs. */
  public synchronized void reportUsage(Path target, FileSystemUsage reported) {
    usage.put(target, reported);
  }

  /** Sets the time that stamps what the mounter keeps from now on. */
  public synchronized void now(Instant instant) {
    now = instant;
  }

  /** Removes the kernel mount at a target behind the mounter's back; its client may run on. */
  public synchronized void unmountBehindTheBack(Path target, boolean clientRuns) {
    Mount mount = table.remove(target);
    if (mount == null) {
      throw new IllegalStateException("nothing mounted at " + target);
    }
    keep(target, Optional.of(mount.spec().volumeId()), clientRuns);
  }

  /** Leaves private files (and maybe a client) whose target is not recorded, as a crash does. */
  public synchronized void leaveUnrecorded(String key, boolean clientRuns) {
    kept.put(key, new ManagedTarget(key, Optional.empty(), Optional.empty(), clientRuns, now));
  }

  /** Returns the keys the mounter keeps something for. */
  public synchronized List<String> keptKeys() {
    return List.copyOf(kept.keySet());
  }

  private void keep(Path target, Optional<String> volumeId, boolean clientRuns) {
    String key = PrivateDirectories.keyOf(target);
    kept.put(key, new ManagedTarget(key, Optional.of(target), volumeId, clientRuns, now));
  }

  /** Makes the next mount throw. */
  public synchronized void failNextMount(RuntimeException failure) {
    mountFailures.add(failure);
  }

  /** Makes the next forget throw. */
  public synchronized void failNextForget(RuntimeException failure) {
    forgetFailures.add(failure);
  }

  /** Makes the next unmount throw. */
  public synchronized void failNextUnmount(RuntimeException failure) {
    unmountFailures.add(failure);
  }

  /** Marks a mount dead, as if its client had been killed. */
  public synchronized void kill(Path target) {
    Mount mount = table.get(target);
    if (mount == null) {
      throw new IllegalStateException("nothing mounted at " + target);
    }
    table.put(target, new Mount(mount.spec(), true));
    ManagedTarget entry = kept.get(PrivateDirectories.keyOf(target));
    kept.put(
        entry.key(),
        new ManagedTarget(entry.key(), entry.target(), entry.volumeId(), false, entry.since()));
  }

  /** Puts a mount s3csi did not make at a target. */
  public synchronized void mountForeign(Path target, String fsType, boolean readOnly) {
    foreign.put(target, new Foreign(fsType, readOnly));
  }

  /** Holds the next mount until the returned gate is opened. */
  public synchronized Gate holdNextMount() {
    gate = new Gate();
    return gate;
  }

  public synchronized Optional<MountSpec> mounted(Path target) {
    return Optional.ofNullable(table.get(target)).map(Mount::spec);
  }

  public synchronized Map<Path, Mount> mounts() {
    return Map.copyOf(table);
  }

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Holds one mount in flight: the mount waits in {@link #pass} until {@link #open}. */
  public static final class Gate {
    private static final long TIMEOUT_SECONDS = 30;

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);
    private volatile RuntimeException failure;

    /** Waits until a mount is held here. */
    public void awaitEntered() throws InterruptedException {
      if (!entered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("no mount reached the gate");
      }
    }

    /** Lets the held mount finish. */
    public void open() {
      opened.countDown();
    }

    /** Lets the held mount fail with the given exception. */
    public void openWithFailure(RuntimeException exception) {
      failure = exception;
      opened.countDown();
    }

    private void pass() {
      entered.countDown();
      try {
        if (!opened.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the gate was never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at the gate", e);
      }
      if (failure != null) {
        throw failure;
      }
    }
  }
}
