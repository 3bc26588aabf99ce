package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mount table watch against the real kernel: a tmpfs mounted and unmounted in this process's
 * mount namespace (root, as every IT of this module).
 */
class MountTableWatchIT {
  @TempDir Path dir;
  private Path target;

  @AfterEach
  void unmount() throws Exception {
    if (target != null) {
      run("umount", "-l", target.toString());
    }
  }

  @Test
  void self_onLinux_isLiveAndShared() {
    assertThat(MountTableWatch.self().live()).isTrue();
    assertThat(MountTableWatch.self()).isSameAs(MountTableWatch.self());
  }

  @Test
  void awaitChange_aMountAppears_wakesTheWaiterBeforeItsTimeout() throws Exception {
    MountTableWatch watch = MountTableWatch.self();
    Path point = Files.createDirectory(dir.resolve("point"));
    long seen = watch.changes();
    CompletableFuture<Long> woke =
        CompletableFuture.supplyAsync(
            () -> {
              long started = System.nanoTime();
              try {
                watch.awaitChange(seen, TimeUnit.MINUTES.toNanos(1));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return System.nanoTime() - started;
            });

    run("mount", "-t", "tmpfs", "s3csi-watch-it", point.toString());
    target = point;

    // a waiter that saw no change before the timeout would take the whole minute
    assertThat(Duration.ofNanos(woke.get(30, TimeUnit.SECONDS))).isLessThan(Duration.ofSeconds(30));
    assertThat(watch.changes()).isGreaterThan(seen);
  }

  @Test
  void sharedTable_afterMountAndUnmount_followsTheKernel() throws Exception {
    KernelMounts kernel = KernelMounts.system();
    Path point = Files.createDirectory(dir.resolve("shared"));
    assertThat(kernel.sharedTable().at(point)).isEmpty();

    long seen = kernel.changes();
    run("mount", "-t", "tmpfs", "s3csi-watch-it", point.toString());
    target = point;
    kernel.awaitChange(seen, Duration.ofSeconds(30));
    assertThat(kernel.sharedTable().at(point))
        .hasValueSatisfying(entry -> assertThat(entry.fsType()).isEqualTo("tmpfs"));

    seen = kernel.changes();
    run("umount", point.toString());
    target = null;
    kernel.awaitChange(seen, Duration.ofSeconds(30));
    assertThat(kernel.sharedTable().at(point)).isEmpty();
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
  }
}
