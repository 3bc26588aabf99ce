package io.s3csi.systemd;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.NativeLong;
import jnr.ffi.Pointer;

/**
 * Counts the changes of this process's mount table as the kernel reports them, so that a wait for a
 * mount wakes when the mount appears rather than at its next look.
 *
 * <p>The kernel reports every change of a mount namespace's table (a mount, an unmount, a mount
 * propagated in from another namespace) to {@code poll(2)} on an open {@code /proc/self/mountinfo}
 * as {@code POLLPRI | POLLERR} (see proc(5)). One daemon thread, shared by the whole process,
 * blocks in {@code poll(2)} and counts the reports. A waiter reads the {@link #changes() count},
 * then the table, and if its mount is not there yet waits for the count to move ({@link
 * #awaitChange}); reading the count first means no change between the two is missed.
 *
 * <p>Where the table cannot be watched (not Linux, no {@code /proc}, the C library cannot be bound,
 * {@code poll(2)} fails) the watch is {@linkplain #live() not live}: the count never moves, and
 * waiters see only their own time limits, which is how they waited before.
 */
final class MountTableWatch {
  private static final Logger LOG = System.getLogger(MountTableWatch.class.getName());

  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final short POLLPRI = 0x2;
  private static final short POLLERR = 0x8;
  private static final int EINTR = 4;

  /** How long one {@code poll(2)} blocks; only bounds how long a failed watch takes to notice. */
  private static final int POLL_MILLIS = 60_000;

  private static final MountTableWatch NONE = new MountTableWatch();

  private static MountTableWatch self;

  /** The C library functions the watch binds; public because jnr-ffi implements it at run time. */
  public interface LibC {
    /** See open(2). */
    int open(String path, int flags);

    /** See poll(2); {@code nfds_t} is an unsigned long. */
    int poll(Pointer fds, NativeLong nfds, int timeout);

    /** See close(2). */
    int close(int fd);
  }

  private final AtomicLong changes = new AtomicLong();
  private volatile boolean live;

  private MountTableWatch() {}

  /** Returns a watch that is never live: its waiters see only their own time limits. */
  static MountTableWatch none() {
    return NONE;
  }

  /**
   * Returns the watch of this process's mount table, starting its thread on first use.
   *
   * @return the watch; not live where the table cannot be watched (the reason is logged once)
   */
  static synchronized MountTableWatch self() {
    if (self == null) {
      self = start("/proc/self/mountinfo");
    }
    return self;
  }

  private static MountTableWatch start(String mountinfo) {
    MountTableWatch watch = new MountTableWatch();
    LibC libc;
    int fd;
    try {
      libc = LibraryLoader.create(LibC.class).load("c");
      fd = libc.open(mountinfo, O_RDONLY | O_CLOEXEC);
    } catch (LinkageError | RuntimeException e) {
      LOG.log(Level.DEBUG, "not watching " + mountinfo + ": " + e);
      return watch;
    }
    if (fd < 0) {
      LOG.log(Level.DEBUG, "not watching {0}: open failed", mountinfo);
      return watch;
    }
    watch.live = true;
    Thread thread = new Thread(() -> watch.run(libc, fd, mountinfo), "s3csi-mount-table-watch");
    thread.setDaemon(true);
    thread.start();
    return watch;
  }

  private void run(LibC libc, int fd, String mountinfo) {
    jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
    Pointer pollfd = Memory.allocateDirect(runtime, 8);
    NativeLong one = NativeLong.valueOf(1);
    try {
      while (true) {
        pollfd.putInt(0, fd);
        pollfd.putShort(4, POLLPRI);
        pollfd.putShort(6, (short) 0);
        int ready = libc.poll(pollfd, one, POLL_MILLIS);
        if (ready < 0) {
          int errno = LastError.getLastError(runtime);
          if (errno == EINTR) {
            continue;
          }
          LOG.log(
              Level.WARNING,
              "stopped watching {0}: poll failed with {1}; mounts are noticed by looking again",
              mountinfo,
              Errnos.describe(errno));
          return;
        }
        if (ready > 0 && (pollfd.getShort(6) & (POLLPRI | POLLERR)) != 0) {
          changed();
        }
      }
    } finally {
      live = false;
      changed(); // wake the waiters: from now on they look on their own
      libc.close(fd);
    }
  }

  /** Whether changes are counted: when not, {@link #changes()} never moves. */
  boolean live() {
    return live;
  }

  /** Returns how many changes were reported so far. */
  long changes() {
    return changes.get();
  }

  /**
   * Waits until the count differs from one read before, or the time is up.
   *
   * @param seen the count read before the caller looked at the table
   * @param timeoutNanos the longest wait
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void awaitChange(long seen, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (this) {
      long left;
      while (changes.get() == seen && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  private void changed() {
    changes.incrementAndGet();
    synchronized (this) {
      notifyAll();
    }
  }
}
