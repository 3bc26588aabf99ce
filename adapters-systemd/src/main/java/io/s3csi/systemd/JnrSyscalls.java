package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.mount.FileSystemUsage;
import java.util.Locale;
import java.util.Optional;
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
 * through jnr-ffi. The {@code statfs} buffer is large enough for any platform's {@code struct
 * statfs} (120 bytes on x86-64 and arm64); its fields are read only on 64-bit Linux, where every
 * field is a 64-bit word in a fixed order ({@code f_type, f_bsize, f_blocks, f_bfree, f_bavail,
 * f_files, f_ffree, f_fsid, f_namelen, f_frsize}). Elsewhere a probe still works and the usage is
 * simply not reported.
 */
final class JnrSyscalls implements Syscalls {
  private static final int STATFS_BUFFER_BYTES = 512;
  private static final int F_BSIZE = 8;
  private static final int F_BLOCKS = 16;
  private static final int F_BFREE = 24;
  private static final int F_BAVAIL = 32;
  private static final int F_FILES = 40;
  private static final int F_FFREE = 48;
  private static final int F_FRSIZE = 72;

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
  private final boolean knownLayout;

  private JnrSyscalls(LibC libc, POSIX posix) {
    this.libc = libc;
    this.runtime = jnr.ffi.Runtime.getRuntime(libc);
    this.posix = posix;
    this.knownLayout =
        runtime.addressSize() == 8
            && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
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
  public Statfs statfs(String path) {
    Pointer buffer = Memory.allocate(runtime, STATFS_BUFFER_BYTES);
    if (libc.statfs(path, buffer) != 0) {
      return Statfs.failed(LastError.getLastError(runtime));
    }
    if (!knownLayout) {
      return new Statfs(0, Optional.empty());
    }
    long fragment = buffer.getLong(F_FRSIZE);
    return new Statfs(
        0,
        Optional.of(
            FileSystemUsage.fromStatfs(
                fragment != 0 ? fragment : buffer.getLong(F_BSIZE),
                buffer.getLong(F_BLOCKS),
                buffer.getLong(F_BFREE),
                buffer.getLong(F_BAVAIL),
                buffer.getLong(F_FILES),
                buffer.getLong(F_FFREE))));
  }
}
