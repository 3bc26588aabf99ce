package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * {@link Syscalls} through the C library: {@code stat} through jnr-posix, which knows every
 * platform's {@code struct stat}; {@code umount2} and {@code statfs}, which jnr-posix lacks,
 * through jnr-ffi. The {@code statfs} result is not read, so its buffer only needs to be large
 * enough for any platform's {@code struct statfs} (120 bytes on x86-64 and arm64).
 */
final class JnrSyscalls implements Syscalls {
  private static final int STATFS_BUFFER_BYTES = 512;

  /** The C library functions jnr-ffi binds; public because jnr-ffi implements it at run time. */
  public interface LibC {
    /** See umount2(2). */
    int umount2(String target, int flags);

    /** See statfs(2). */
    int statfs(String path, Pointer buffer);
  }

  private final LibC libc;
  private final jnr.ffi.Runtime runtime;
  private final POSIX posix;

  private JnrSyscalls(LibC libc, POSIX posix) {
    this.libc = libc;
    this.runtime = jnr.ffi.Runtime.getRuntime(libc);
    this.posix = posix;
  }

  /**
   * Binds the C library.
   *
   * @throws DriverException if the native bindings cannot be loaded on this platform
   */
  static JnrSyscalls load() {
    try {
      LibC libc = LibraryLoader.create(LibC.class).load("c");
      POSIX posix = POSIXFactory.getNativePOSIX();
      if (!posix.isNative()) {
        throw new IllegalStateException("jnr-posix found no native C library");
      }
      return new JnrSyscalls(libc, posix);
    } catch (LinkageError | RuntimeException e) {
      throw DriverException.internal(
          "cannot bind the C library for umount2/statfs/stat on "
              + System.getProperty("os.name")
              + "/"
              + System.getProperty("os.arch")
              + ": "
              + e,
          e);
    }
  }

  @Override
  public int umount2(String target, int flags) {
    return libc.umount2(target, flags) == 0 ? 0 : LastError.getLastError(runtime);
  }

  @Override
  public int stat(String path) {
    FileStat stat = posix.allocateStat();
    return posix.stat(path, stat) == 0 ? 0 : posix.errno();
  }

  @Override
  public int statfs(String path) {
    Pointer buffer = Memory.allocate(runtime, STATFS_BUFFER_BYTES);
    return libc.statfs(path, buffer) == 0 ? 0 : LastError.getLastError(runtime);
  }
}
