package io.s3csi.core.mount;

/**
 * What a mount's file system reports to {@code statfs(2)}: bytes and inodes, total, available to
 * unprivileged users, and used. S3 has no capacity, so FUSE clients report numbers of their own
 * choosing (s3fs and rclone report a large fixed size with nothing used); the driver passes on what
 * the kernel hands it and never invents numbers.
 *
 * @param bytesTotal the size of the file system in bytes
 * @param bytesAvailable the bytes an unprivileged user may still write
 * @param bytesUsed the bytes in use
 * @param inodesTotal the number of inodes (files) the file system can hold
 * @param inodesAvailable the inodes still free
 * @param inodesUsed the inodes in use
 */
public record FileSystemUsage(
    long bytesTotal,
    long bytesAvailable,
    long bytesUsed,
    long inodesTotal,
    long inodesAvailable,
    long inodesUsed) {

  /**
   * Checks that no number is negative.
   *
   * @throws IllegalArgumentException for a negative number
   */
  public FileSystemUsage {
    requireNotNegative("bytesTotal", bytesTotal);
    requireNotNegative("bytesAvailable", bytesAvailable);
    requireNotNegative("bytesUsed", bytesUsed);
    requireNotNegative("inodesTotal", inodesTotal);
    requireNotNegative("inodesAvailable", inodesAvailable);
    requireNotNegative("inodesUsed", inodesUsed);
  }

  /**
   * Converts the fields of a {@code struct statfs}. The kernel's fields are unsigned 64-bit
   * numbers; a value beyond {@link Long#MAX_VALUE}, or a product that overflows, is reported as
   * {@link Long#MAX_VALUE}, and a count of free blocks above the total (which a FUSE client may
   * claim) is capped at the total.
   *
   * @param blockSize the fragment size ({@code f_frsize}), or the block size when that is 0
   * @param blocks {@code f_blocks}
   * @param freeBlocks {@code f_bfree}
   * @param availableBlocks {@code f_bavail}
   * @param files {@code f_files}
   * @param freeFiles {@code f_ffree}
   * @return the usage
   */
  public static FileSystemUsage fromStatfs(
      long blockSize,
      long blocks,
      long freeBlocks,
      long availableBlocks,
      long files,
      long freeFiles) {
    long size = unsigned(blockSize);
    long total = unsigned(blocks);
    long free = Math.min(unsigned(freeBlocks), total);
    long available = Math.min(unsigned(availableBlocks), total);
    long inodes = unsigned(files);
    long freeInodes = Math.min(unsigned(freeFiles), inodes);
    return new FileSystemUsage(
        times(total, size),
        times(available, size),
        times(total - free, size),
        inodes,
        freeInodes,
        inodes - freeInodes);
  }

  /** A negative long read from an unsigned field is beyond Long.MAX_VALUE: saturate. */
  private static long unsigned(long value) {
    return value < 0 ? Long.MAX_VALUE : value;
  }

  private static long times(long count, long size) {
    long high = Math.multiplyHigh(count, size);
    long product = count * size;
    return high != 0 || product < 0 ? Long.MAX_VALUE : product;
  }

  private static void requireNotNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must not be negative: " + value);
    }
  }
}
