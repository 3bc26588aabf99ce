package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.mount.MountEntry;
import io.s3csi.core.mount.MountTable;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The node kernel's view of mounts: the mount table of this process's mount namespace, a probe that
 * tells a serving FUSE mount from a dead or hung one, and {@code umount2(2)}.
 *
 * <p>A probe on a hung FUSE client blocks in the kernel until the client answers or dies, and no
 * Java interrupt frees the thread. Each probe therefore runs on a daemon thread of its own (pooled)
 * and the caller waits for it with a time limit; while a probe of a target is still blocked, later
 * probes of that target wait for the same one, so a hung mount costs one thread, not one per call.
 */
final class KernelMounts {
  private static final Logger LOG = System.getLogger(KernelMounts.class.getName());

  /** Stacked mounts at one target are unmounted one by one, up to this many. */
  static final int MAX_STACKED_MOUNTS = 16;

  private static final String IDLE_PROBE_THREAD = "s3csi-probe (idle)";

  /** Runs the probes; a probe blocked on a hung client keeps its thread until the client goes. */
  private static final ExecutorService PROBE_THREADS = DaemonPool.cached(IDLE_PROBE_THREAD);

  private final Path mountinfo;
  private final Syscalls syscalls;
  private final Supplier<MountTableWatch> watchSource;
  private volatile MountTableWatch watch;
  private final Object sharedLock = new Object();
  private MountTable shared;
  private long sharedAt;
  private final ConcurrentMap<Path, CompletableFuture<Probe>> probes = new ConcurrentHashMap<>();

  /**
   * What one probe found.
   *
   * @param problem what is wrong with the mount, empty when it answers
   * @param usage what its statfs reported, when it answered and the layout is known
   */
  record Probe(Optional<String> problem, Optional<FileSystemUsage> usage) {}

  /**
   * Creates the view.
   *
   * @param mountinfo the mount table file, normally {@code /proc/self/mountinfo}
   * @param syscalls the system calls to use
   */
  KernelMounts(Path mountinfo, Syscalls syscalls) {
    this(mountinfo, syscalls, MountTableWatch::none);
  }

  /**
   * Creates the view.
   *
   * @param mountinfo the mount table file
   * @param syscalls the system calls to use
   * @param watch the changes of that table, asked for on first use
   */
  KernelMounts(Path mountinfo, Syscalls syscalls, Supplier<MountTableWatch> watch) {
    this.mountinfo = mountinfo;
    this.syscalls = syscalls;
    this.watchSource = watch;
  }

  /**
   * Returns the view of this process's mount namespace, through the C library, which is bound on a
   * background thread ({@link #warmUp}) or by the first call that needs it, whichever comes first.
   */
  static KernelMounts system() {
    KernelMounts kernel =
        new KernelMounts(
            Path.of("/proc/self/mountinfo"),
            new LazySyscalls(JnrSyscalls::load),
            MountTableWatch::self);
    Thread warmUp = new Thread(kernel::warmUp, "s3csi-bind-libc");
    warmUp.setDaemon(true);
    warmUp.start();
    return kernel;
  }

  /**
   * Binds the C library and starts watching the mount table now, so that the first publish does not
   * wait for it; a failure is logged here and reported again by every call that needs the binding.
   */
  void warmUp() {
    try {
      watch();
      if (syscalls instanceof LazySyscalls lazy) {
        lazy.get();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "cannot bind the C library: " + e.getMessage(), e);
    }
  }

  private MountTableWatch watch() {
    MountTableWatch current = watch;
    if (current == null) {
      current = watchSource.get();
      watch = current;
    }
    return current;
  }

  /**
   * Reads the mount table.
   *
   * @throws DriverException if the table cannot be read
   */
  MountTable table() {
    return MountTable.parse(read());
  }

  /**
   * Reads the topmost mount at a mount point from the mount table, parsing only its lines.
   *
   * @param target an absolute, normalized mount point
   * @throws DriverException if the table cannot be read
   */
  Optional<MountEntry> at(Path target) {
    return MountTable.find(read(), target);
  }

  private String read() {
    try {
      return Files.readString(mountinfo, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw DriverException.internal("cannot read " + mountinfo + ": " + e, e);
    }
  }

  /**
   * Returns how many changes of the table were seen so far; read it before {@link #sharedTable()}
   * and pass it to {@link #awaitChange}.
   */
  long changes() {
    return watch().changes();
  }

  /**
   * Reads the mount table for a wait, sharing one read among all the waits that look between two
   * changes: while the table is watched, it is read again only after it changed. Unwatched, every
   * call reads it. What is returned may lag a change by the moment the watch takes to report it; a
   * waiter that read {@link #changes()} first wakes for that report.
   *
   * @throws DriverException if the table cannot be read
   */
  MountTable sharedTable() {
    MountTableWatch watch = watch();
    if (!watch.live()) {
      return table();
    }
    synchronized (sharedLock) {
      long now = watch.changes();
      if (shared == null || sharedAt != now) {
        shared = table();
        sharedAt = now;
      }
      return shared;
    }
  }

  /**
   * Waits until the table changes after a count read from {@link #changes()}, or the time is up;
   * unwatched, it waits the whole time.
   *
   * @param seen the count read before looking at the table
   * @param timeout the longest wait
   */
  void awaitChange(long seen, Duration timeout) {
    try {
      watch().awaitChange(seen, timeout.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DriverException.internal("interrupted while waiting for a mount", e);
    }
  }

  /**
   * Checks that the file system at a mount point answers: {@code statfs(2)}, which FUSE always
   * forwards to the client, then {@code stat(2)} of the mount point.
   *
   * @param target the mount point
   * @param timeout how long to wait for an answer
   * @return empty when the mount answers, otherwise what is wrong with it
   */
  Optional<String> problem(Path target, Duration timeout) {
    return probe(target, timeout).problem();
  }

  /**
   * Reads what the file system at a mount point reports to {@code statfs(2)}, with the same probe
   * as {@link #problem}.
   *
   * @param target the mount point
   * @param timeout how long to wait for an answer
   * @return the usage; empty when the mount does not answer in time, fails, or the platform's
   *     layout is not known
   */
  Optional<FileSystemUsage> usage(Path target, Duration timeout) {
    return probe(target, timeout).usage();
  }

  private Probe probe(Path target, Duration timeout) {
    CompletableFuture<Probe> probe = new CompletableFuture<>();
    CompletableFuture<Probe> running = probes.putIfAbsent(target, probe);
    if (running != null && running.isDone()) {
      // a finished probe whose thread has not removed it yet: its answer may be stale
      probes.remove(target, running);
      running = probes.putIfAbsent(target, probe);
    }
    if (running == null) {
      startProbe(target, probe);
      running = probe;
    }
    try {
      return running.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new Probe(Optional.of(notResponding(timeout)), Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DriverException.internal("interrupted while probing " + target, e);
    } catch (ExecutionException e) {
      throw DriverException.internal("cannot probe " + target + ": " + e.getCause(), e.getCause());
    }
  }

  /**
   * Unmounts everything mounted at a target. A target that is not a mount point, or does not exist,
   * is already unmounted. A busy or dead mount is detached lazily ({@code MNT_DETACH}): it leaves
   * the namespace at once and the kernel frees it when its last user goes.
   *
   * @param target the mount point
   * @throws DriverException if a mount stays at the target
   */
  void unmount(Path target) {
    String path = target.toString();
    for (int attempt = 0; attempt < MAX_STACKED_MOUNTS; attempt++) {
      int errno = syscalls.umount2(path, Syscalls.UMOUNT_NOFOLLOW);
      if (errno != 0 && !isNotMounted(errno)) {
        int lazy = syscalls.umount2(path, Syscalls.UMOUNT_NOFOLLOW | Syscalls.MNT_DETACH);
        if (lazy != 0 && !isNotMounted(lazy)) {
          throw DriverException.internal(
              "cannot unmount "
                  + target
                  + ": umount2 failed with "
                  + Errnos.describe(errno)
                  + ", and with MNT_DETACH with "
                  + Errnos.describe(lazy)
                  + (lazy == Errnos.EPERM ? "; the driver needs CAP_SYS_ADMIN" : ""),
              null);
        }
      }
      Optional<MountEntry> left = at(target);
      if (left.isEmpty()) {
        return;
      }
      if (isNotMounted(errno)) {
        throw DriverException.internal(
            "cannot unmount "
                + target
                + ": umount2 failed with "
                + Errnos.describe(errno)
                + " although the mount table lists a "
                + left.get().fsType()
                + " mount there",
            null);
      }
    }
    throw DriverException.internal(
        "cannot unmount "
            + target
            + ": mounts stay there after "
            + MAX_STACKED_MOUNTS
            + " successful unmounts",
        null);
  }

  /**
   * Classifies the errno of a failed probe.
   *
   * @param call the system call that failed
   * @param errno its errno
   * @return what is wrong with the mount
   */
  static String describeProbeFailure(String call, int errno) {
    String failure = call + " failed with " + Errnos.describe(errno);
    if (errno == Errnos.ENOTCONN || errno == Errnos.ECONNABORTED) {
      return "the FUSE client is gone: " + failure;
    }
    if (errno == Errnos.EIO) {
      return "the mount returns I/O errors: " + failure;
    }
    if (errno == Errnos.ENOENT) {
      return "the mount point has disappeared: " + failure;
    }
    return "the mount does not serve: " + failure;
  }

  /** The problem reported when a probe does not finish in time. */
  static String notResponding(Duration timeout) {
    return "the FUSE client is not responding: the mount did not answer statfs and stat within "
        + timeout.toMillis()
        + " ms";
  }

  /** Whether an umount2 errno means there is nothing (more) to unmount at the target. */
  static boolean isNotMounted(int errno) {
    return errno == Errnos.EINVAL || errno == Errnos.ENOENT;
  }

  private void startProbe(Path target, CompletableFuture<Probe> probe) {
    PROBE_THREADS.execute(
        () -> {
          Thread thread = Thread.currentThread();
          thread.setName("s3csi-probe " + target);
          // leave the map before completing: a later caller must never get a finished result of
          // a probe that may predate its call, only share one that is still running
          try {
            Probe result = probeNow(target.toString());
            probes.remove(target, probe);
            probe.complete(result);
          } catch (Throwable e) {
            probes.remove(target, probe);
            probe.completeExceptionally(e);
          } finally {
            thread.setName(IDLE_PROBE_THREAD);
          }
        });
  }

  private Probe probeNow(String path) {
    // statfs first: FUSE never caches it, while stat may be answered from the attribute cache
    // for a while after the client died
    Syscalls.Statfs statfs = syscalls.statfs(path);
    if (statfs.errno() != 0) {
      return new Probe(
          Optional.of(describeProbeFailure("statfs", statfs.errno())), Optional.empty());
    }
    int errno = syscalls.stat(path);
    if (errno != 0) {
      return new Probe(Optional.of(describeProbeFailure("stat", errno)), Optional.empty());
    }
    return new Probe(Optional.empty(), statfs.usage());
  }
}
