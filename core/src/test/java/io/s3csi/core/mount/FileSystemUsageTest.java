package io.s3csi.core.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class FileSystemUsageTest {

  @Test
  void fromStatfs_ordinaryNumbers_multipliesByTheBlockSize() {
    FileSystemUsage usage = FileSystemUsage.fromStatfs(4096, 1000, 400, 300, 50, 20);

    assertThat(usage).isEqualTo(new FileSystemUsage(4_096_000, 1_228_800, 2_457_600, 50, 20, 30));
  }

  @Test
  void fromStatfs_productBeyondLong_saturates() {
    // s3fs reports 2^64-1 blocks of 4 KiB and as many free: "infinite", nothing used
    FileSystemUsage usage = FileSystemUsage.fromStatfs(4096, -1, -1, -1, -1, -1);

    assertThat(usage.bytesTotal()).isEqualTo(Long.MAX_VALUE);
    assertThat(usage.bytesAvailable()).isEqualTo(Long.MAX_VALUE);
    assertThat(usage.bytesUsed()).isZero();
    assertThat(usage.inodesTotal()).isEqualTo(Long.MAX_VALUE);
    assertThat(usage.inodesUsed()).isZero();
  }

  @Test
  void fromStatfs_moreFreeThanTotal_capsAtTheTotal() {
    FileSystemUsage usage = FileSystemUsage.fromStatfs(512, 10, 20, 30, 5, 9);

    assertThat(usage).isEqualTo(new FileSystemUsage(5120, 5120, 0, 5, 5, 0));
  }

  @Test
  void constructor_negative_isRejectedNamingTheField() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new FileSystemUsage(1, 1, -1, 1, 1, 1))
        .withMessage("bytesUsed must not be negative: -1");
  }
}
