package io.s3csi.systemd;

import io.s3csi.core.mount.FileSystemUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntBiFunction;

/** Scripted {@link Syscalls}: records umount2 calls, answers probes, can hang statfs. */
final class FakeSyscalls implements Syscalls {
  /** One recorded umount2 call. */
  record Umount(String target, int flags) {}

  private final List<Umount> umounts = new ArrayList<>();
  private ToIntBiFunction<String, Integer> umount2 = (target, flags) -> Errnos.EINVAL;
  private volatile int statErrno;
  private volatile int statfsErrno;
  private volatile FileSystemUsage usage;
  private volatile CountDownLatch statfsGate;
  private final AtomicInteger statfsCalls = new AtomicInteger();
  private final Queue<Integer> statfsAnswers = new ConcurrentLinkedQueue<>();

  /** Answers umount2 with the given function of (target, flags). */
  FakeSyscalls onUmount2(ToIntBiFunction<String, Integer> answer) {
    this.umount2 = answer;
    return this;
  }

  FakeSyscalls statErrno(int errno) {
    this.statErrno = errno;
    return this;
  }

  /** Answers successful statfs calls with this usage; null for a platform without a layout. */
  FakeSyscalls usage(FileSystemUsage usage) {
    this.usage = usage;
    return this;
  }

  FakeSyscalls statfsErrno(int errno) {
    this.statfsErrno = errno;
    return this;
  }

  /** Answers the next statfs calls with these errnos, then with {@link #statfsErrno(int)}. */
  FakeSyscalls statfsAnswers(Integer... errnos) {
    statfsAnswers.addAll(List.of(errnos));
    return this;
  }

  /** Makes statfs block until the returned latch is counted down. */
  CountDownLatch hangStatfs() {
    CountDownLatch gate = new CountDownLatch(1);
    this.statfsGate = gate;
    return gate;
  }

  synchronized List<Umount> umounts() {
    return List.copyOf(umounts);
  }

  int statfsCalls() {
    return statfsCalls.get();
  }

  @Override
  public synchronized int umount2(String target, int flags) {
    umounts.add(new Umount(target, flags));
    return umount2.applyAsInt(target, flags);
  }

  @Override
  public int stat(String path) {
    return statErrno;
  }

  @Override
  public Statfs statfs(String path) {
    statfsCalls.incrementAndGet();
    CountDownLatch gate = statfsGate;
    if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Integer next = statfsAnswers.poll();
    int errno = next != null ? next : statfsErrno;
    return errno != 0 ? Statfs.failed(errno) : new Statfs(0, Optional.ofNullable(usage));
  }
}
