package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.mount.FileSystemUsage;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native bindings against this machine's kernel, on paths that are not FUSE mounts. */
class JnrSyscallsTest {
  private final Syscalls syscalls = JnrSyscalls.load();

  @TempDir Path dir;

  @Test
  void stat_existingDirectory_succeeds() {
    assertThat(syscalls.stat(dir.toString())).isZero();
    assertThat(syscalls.statfs(dir.toString()).errno()).isZero();
  }

  @Test
  void statfs_existingDirectory_readsTheSizeTheJdkSees() throws IOException {
    FileStore store = Files.getFileStore(dir);

    FileSystemUsage usage = syscalls.statfs(dir.toString()).usage().orElseThrow();

    assertThat(usage.bytesTotal()).isEqualTo(store.getTotalSpace()).isPositive();
    assertThat(usage.bytesUsed()).isBetween(0L, usage.bytesTotal());
    assertThat(usage.inodesTotal()).isGreaterThanOrEqualTo(usage.inodesUsed());
  }

  @Test
  void stat_missingPath_isEnoent() {
    String missing = dir.resolve("missing").toString();

    assertThat(syscalls.stat(missing)).isEqualTo(Errnos.ENOENT);
    assertThat(syscalls.statfs(missing))
        .isEqualTo(new Syscalls.Statfs(Errnos.ENOENT, Optional.empty()));
  }

  @Test
  void umount2_plainDirectoryAsRoot_isEinvalAndMissingPathIsEnoent() {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "umount2 answers EPERM to non-root");

    assertThat(syscalls.umount2(dir.toString(), Syscalls.UMOUNT_NOFOLLOW)).isEqualTo(Errnos.EINVAL);
    assertThat(syscalls.umount2(dir.resolve("missing").toString(), Syscalls.UMOUNT_NOFOLLOW))
        .isEqualTo(Errnos.ENOENT);
  }
}
