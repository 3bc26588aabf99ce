package io.s3csi.systemd;

import java.util.function.Supplier;

/**
 * {@link Syscalls} bound on first use. Binding the C library through jnr is a quarter to half a
 * second of a cold JVM's start (jnr-ffi generates its glue classes, jnr-posix loads its platform
 * tables); the node plugin answers its first Probe before anything needs a system call, so the
 * binding is done later, by {@link KernelMounts#warmUp} in the background or by the first call. A
 * binding that fails fails every call with the same error.
 */
final class LazySyscalls implements Syscalls {
  private final Supplier<? extends Syscalls> bind;
  private volatile Syscalls bound;
  private RuntimeException failure;

  LazySyscalls(Supplier<? extends Syscalls> bind) {
    this.bind = bind;
  }

  /** Binds now unless bound already; throws what the binding threw. */
  Syscalls get() {
    Syscalls syscalls = bound;
    if (syscalls != null) {
      return syscalls;
    }
    synchronized (this) {
      if (bound == null) {
        if (failure != null) {
          throw failure;
        }
        try {
          bound = bind.get();
        } catch (RuntimeException e) {
          failure = e;
          throw e;
        }
      }
      return bound;
    }
  }

  @Override
  public int umount2(String target, int flags) {
    return get().umount2(target, flags);
  }

  @Override
  public int stat(String path) {
    return get().stat(path);
  }

  @Override
  public Statfs statfs(String path) {
    return get().statfs(path);
  }
}
