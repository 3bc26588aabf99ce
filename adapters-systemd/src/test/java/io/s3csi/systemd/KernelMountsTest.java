package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelMountsTest {
  private static final String TARGET = "/var/lib/kubelet/pods/p/volumes/kubernetes.io~csi/v/mount";
  private static final String FUSE_LINE =
      "40 27 0:41 / "
          + TARGET
          + " rw,nosuid,nodev,relatime - fuse.s3fs s3fs rw,user_id=0,group_id=0,allow_other";
  private static final String ROOT_LINE = "27 1 8:1 / / rw,relatime - ext4 /dev/vda rw";

  @TempDir Path dir;
  private Path mountinfo;
  private FakeSyscalls syscalls;
  private KernelMounts kernel;

  @BeforeEach
  void setUp() throws IOException {
    mountinfo = dir.resolve("mountinfo");
    Files.writeString(mountinfo, ROOT_LINE + "\n" + FUSE_LINE + "\n");
    syscalls = new FakeSyscalls();
    kernel = new KernelMounts(mountinfo, syscalls);
  }

  @Test
  void table_mountinfo_listsTheFuseMount() {
    assertThat(kernel.table().at(Path.of(TARGET)))
        .hasValueSatisfying(
            entry -> {
              assertThat(entry.fsType()).isEqualTo("fuse.s3fs");
              assertThat(entry.fuse()).isTrue();
              assertThat(entry.readOnly()).isFalse();
            });
  }

  @Test
  void table_unreadableFile_throwsInternalNamingTheFile() throws IOException {
    Files.delete(mountinfo);

    assertThatThrownBy(() -> kernel.table())
        .isInstanceOf(DriverException.class)
        .hasMessageStartingWith("cannot read " + mountinfo + ": java.nio.file.NoSuchFileException")
        .extracting(e -> ((DriverException) e).kind())
        .isEqualTo(ErrorKind.INTERNAL);
  }

  @Test
  void unmount_mounted_unmountsOnceWithoutFollowingSymlinks() {
    syscalls.onUmount2((target, flags) -> removeOneLine(target));

    kernel.unmount(Path.of(TARGET));

    assertThat(syscalls.umounts())
        .containsExactly(new FakeSyscalls.Umount(TARGET, Syscalls.UMOUNT_NOFOLLOW));
    assertThat(kernel.table().at(Path.of(TARGET))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"EINVAL", "ENOENT"})
  void unmount_notMounted_succeedsWithOneCall(String errnoName) throws IOException {
    Files.writeString(mountinfo, ROOT_LINE + "\n");
    int errno = errno(errnoName);
    syscalls.onUmount2((target, flags) -> errno);

    kernel.unmount(Path.of(TARGET));
    kernel.unmount(Path.of(TARGET));

    assertThat(syscalls.umounts())
        .containsExactly(
            new FakeSyscalls.Umount(TARGET, Syscalls.UMOUNT_NOFOLLOW),
            new FakeSyscalls.Umount(TARGET, Syscalls.UMOUNT_NOFOLLOW));
  }

  @ParameterizedTest
  @CsvSource({"EBUSY", "ENOTCONN", "EIO"})
  void unmount_busyOrDead_detachesLazily(String errnoName) {
    int errno = errno(errnoName);
    syscalls.onUmount2(
        (target, flags) -> (flags & Syscalls.MNT_DETACH) != 0 ? removeOneLine(target) : errno);

    kernel.unmount(Path.of(TARGET));

    assertThat(syscalls.umounts())
        .containsExactly(
            new FakeSyscalls.Umount(TARGET, Syscalls.UMOUNT_NOFOLLOW),
            new FakeSyscalls.Umount(TARGET, Syscalls.UMOUNT_NOFOLLOW | Syscalls.MNT_DETACH));
    assertThat(kernel.table().at(Path.of(TARGET))).isEmpty();
  }

  @Test
  void unmount_stackedMounts_unmountsEachOne() throws IOException {
    Files.writeString(mountinfo, ROOT_LINE + "\n" + FUSE_LINE + "\n" + FUSE_LINE + "\n");
    syscalls.onUmount2((target, flags) -> removeOneLine(target));

    kernel.unmount(Path.of(TARGET));

    assertThat(syscalls.umounts()).hasSize(2);
    assertThat(kernel.table().at(Path.of(TARGET))).isEmpty();
  }

  @Test
  void unmount_notPermitted_throwsInternalNamingBothErrnos() {
    syscalls.onUmount2((target, flags) -> Errnos.EPERM);

    assertThatThrownBy(() -> kernel.unmount(Path.of(TARGET)))
        .isInstanceOf(DriverException.class)
        .hasMessage(
            "cannot unmount "
                + TARGET
                + ": umount2 failed with EPERM (Operation not permitted), and with MNT_DETACH"
                + " with EPERM (Operation not permitted); the driver needs CAP_SYS_ADMIN")
        .extracting(e -> ((DriverException) e).kind())
        .isEqualTo(ErrorKind.INTERNAL);
  }

  @Test
  void unmount_notAMountPointButListed_throwsInternal() {
    syscalls.onUmount2((target, flags) -> Errnos.EINVAL);

    assertThatThrownBy(() -> kernel.unmount(Path.of(TARGET)))
        .isInstanceOf(DriverException.class)
        .hasMessage(
            "cannot unmount "
                + TARGET
                + ": umount2 failed with EINVAL (Invalid argument) although the mount table"
                + " lists a fuse.s3fs mount there");
  }

  @Test
  void unmount_mountThatNeverGoes_givesUpAfterTheStackLimit() {
    syscalls.onUmount2((target, flags) -> 0);

    assertThatThrownBy(() -> kernel.unmount(Path.of(TARGET)))
        .isInstanceOf(DriverException.class)
        .hasMessage(
            "cannot unmount " + TARGET + ": mounts stay there after 16 successful unmounts");
    assertThat(syscalls.umounts()).hasSize(KernelMounts.MAX_STACKED_MOUNTS);
  }

  @Test
  void problem_responding_isEmpty() {
    assertThat(kernel.problem(Path.of(TARGET), Duration.ofSeconds(5))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "stat   | ENOTCONN     | the FUSE client is gone: stat failed with ENOTCONN (Transport"
            + " endpoint is not connected)",
        "statfs | ENOTCONN     | the FUSE client is gone: statfs failed with ENOTCONN (Transport"
            + " endpoint is not connected)",
        "statfs | ECONNABORTED | the FUSE client is gone: statfs failed with ECONNABORTED"
            + " (Software caused connection abort)",
        "stat   | EIO          | the mount returns I/O errors: stat failed with EIO (Input/output"
            + " error)",
        "stat   | ENOENT       | the mount point has disappeared: stat failed with ENOENT (No such"
            + " file or directory)",
        "statfs | EACCES       | the mount does not serve: statfs failed with EACCES (Permission"
            + " denied)",
      })
  void problem_failingCall_classifiesTheErrno(String call, String errnoName, String expected) {
    if (call.equals("stat")) {
      syscalls.statErrno(errno(errnoName));
    } else {
      syscalls.statfsErrno(errno(errnoName));
    }

    assertThat(kernel.problem(Path.of(TARGET), Duration.ofSeconds(5))).hasValue(expected);
  }

  @Test
  void problem_hungClient_reportsNotRespondingAndKeepsOneProbeThread() {
    CountDownLatch gate = syscalls.hangStatfs();
    try {
      long start = System.nanoTime();
      Optional<String> first = kernel.problem(Path.of(TARGET), Duration.ofMillis(200));
      Optional<String> second = kernel.problem(Path.of(TARGET), Duration.ofMillis(200));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(first)
          .hasValue(
              "the FUSE client is not responding: the mount did not answer statfs and stat within 200 ms");
      assertThat(second).isEqualTo(first);
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      assertThat(syscalls.statfsCalls()).isEqualTo(1);
    } finally {
      gate.countDown();
    }
  }

  @Test
  void problem_clientRecovers_laterProbeSucceeds() {
    CountDownLatch gate = syscalls.hangStatfs();
    assertThat(kernel.problem(Path.of(TARGET), Duration.ofMillis(100))).isPresent();

    gate.countDown();

    assertThat(kernel.problem(Path.of(TARGET), Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void problem_afterAFinishedProbe_alwaysProbesAgain() {
    for (int i = 0; i < 200; i++) {
      boolean dead = i % 2 == 1;
      syscalls.statfsErrno(dead ? Errnos.ENOTCONN : 0);

      assertThat(kernel.problem(Path.of(TARGET), Duration.ofSeconds(5)).isPresent())
          .as("probe %d", i)
          .isEqualTo(dead);
    }
  }

  @Test
  void describe_unknownErrno_namesTheNumber() {
    assertThat(Errnos.describe(4242)).isEqualTo("errno 4242");
    assertThat(Errnos.describe(Errnos.ENOTCONN))
        .isEqualTo("ENOTCONN (Transport endpoint is not connected)");
  }

  private int removeOneLine(String target) {
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(mountinfo));
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).contains(" " + target + " ")) {
          lines.remove(i);
          Files.write(mountinfo, lines);
          return 0;
        }
      }
      return Errnos.EINVAL;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int errno(String name) {
    return jnr.constants.platform.Errno.valueOf(name).intValue();
  }
}
