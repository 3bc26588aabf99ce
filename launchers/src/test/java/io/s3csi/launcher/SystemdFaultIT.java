package io.s3csi.launcher;

import static io.s3csi.launcher.CsiRequests.unpublish;
import static io.s3csi.launcher.FuseHost.assumeRunnable;
import static io.s3csi.launcher.NamespacedDriver.unitOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.csi.v1.NodeGetVolumeStatsResponse;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.testkit.junit.S3ServerExtension;
import io.s3csi.testkit.junit.SystemdExtension;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults injected into the packaged node driver with the systemd mounter, in a private namespace
 * whose pid 1 is a real systemd (see {@link SystemdDriverIT}): the FUSE client's unit killed with
 * SIGKILL, and the driver itself killed with SIGKILL in the middle of a publish.
 */
@ExtendWith({SystemdExtension.class, S3ServerExtension.class})
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SystemdFaultIT {
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir static Path dir;
  private static SystemdNamespace systemd;
  private static EmbeddedS3Server s3;
  private static NamespacedDriver driver;
  private static NamespacedLauncher launcher;

  private CsiClient csi;

  @BeforeAll
  static void namespace(SystemdNamespace namespace, EmbeddedS3Server server) {
    systemd = namespace;
    s3 = server;
    driver = new NamespacedDriver(systemd, s3, dir, SystemdFaultIT.class);
    launcher = driver.launcher();
  }

  @AfterEach
  void stopDriver() throws InterruptedException {
    driver.stop();
  }

  @Test
  void unitKilled_statsTurnAbnormal_republishHealsAndTheDataIsStillInS3() throws Exception {
    assumeRunnable(FuseClient.S3FS);
    String bucket = bucket();
    Path target = target("pv-killed");
    String unit = unitOf(target);
    start();
    csi.node().nodePublishVolume(publish(bucket, target));
    Path inside = systemd.hostView(target);
    Files.writeString(inside.resolve("before.txt"), "written before the kill", UTF_8);
    awaitObject(bucket, "before.txt", "written before the kill");
    assertThat(stats(bucket, target).getVolumeCondition().getAbnormal()).isFalse();

    systemd.systemctl("kill", "--signal=KILL", unit).requireSuccess();

    NodeGetVolumeStatsResponse dead =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> stats(bucket, target), s -> s.getVolumeCondition().getAbnormal());
    assertThat(dead.getVolumeCondition().getMessage())
        .startsWith("the FUSE mount of volume " + bucket + " at " + target + " does not serve: ")
        .contains("Restart the pod");

    csi.node().nodePublishVolume(publish(bucket, target)); // kubelet's republish

    assertThat(stats(bucket, target).getVolumeCondition().getAbnormal()).isFalse();
    assertThat(systemd.systemctl("is-active", unit).stdout().strip()).isEqualTo("active");
    assertThat(Files.readString(inside.resolve("before.txt"), UTF_8))
        .isEqualTo("written before the kill");
    Files.writeString(inside.resolve("after.txt"), "written after the republish", UTF_8);
    awaitObject(bucket, "after.txt", "written after the republish");
    csi.node().nodeUnpublishVolume(unpublish(bucket, target));
    assertNothingLeft(target);
  }

  /**
   * Kills the driver once the publish has written the mount record (the unit is about to start), or
   * once the unit runs (the client is mounting).
   */
  @ParameterizedTest
  @ValueSource(strings = {"record written", "unit started"})
  void driverKilledDuringPublish_theNextPublishMountsOnceAndUnpublishLeavesNothing(String when)
      throws Exception {
    assumeRunnable(FuseClient.S3FS);
    String bucket = bucket();
    Path target = target("pv-crash");
    start();
    CsiClient first = csi;
    CompletableFuture<?> inFlight =
        CompletableFuture.runAsync(() -> first.node().nodePublishVolume(publish(bucket, target)));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () ->
                when.equals("record written")
                    ? Files.exists(privateDirectory(target).resolve("mount.properties"))
                    : !systemd
                        .systemctl("show", "-p", "LoadState", unitOf(target))
                        .stdout()
                        .contains("not-found"));

    assertThat(driver.kill()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(inFlight::isDone);
    driver.closeClient();
    System.out.println(
        "[SystemdFaultIT] killed once the "
            + when
            + ": unit "
            + systemd.systemctl("is-active", unitOf(target)).stdout().strip()
            + ", mounted: "
            + launcher.mountinfo().contains(" " + target + " "));

    start();
    csi.node().nodePublishVolume(publish(bucket, target)); // kubelet retries

    assertThat(launcher.mountinfo().lines().filter(l -> l.contains(" " + target + " "))).hasSize(1);
    assertThat(systemd.systemctl("is-active", unitOf(target)).stdout().strip()).isEqualTo("active");
    assertThat(stats(bucket, target).getVolumeCondition().getAbnormal()).isFalse();
    Files.writeString(systemd.hostView(target).resolve("ok.txt"), "converged", UTF_8);
    awaitObject(bucket, "ok.txt", "converged");

    csi.node().nodeUnpublishVolume(unpublish(bucket, target));
    assertNothingLeft(target);
  }

  private void assertNothingLeft(Path target) {
    assertThat(systemd.systemctl("show", "-p", "LoadState", unitOf(target)).stdout().strip())
        .isEqualTo("LoadState=not-found");
    assertThat(privateDirectory(target)).doesNotExist();
    assertThat(launcher.mountinfo()).doesNotContain(" " + target + " ");
    assertThat(target).doesNotExist();
  }

  private void start() {
    driver.start(FuseClient.S3FS, "--sweep-interval", "0");
    csi = driver.csi();
  }

  private NodeGetVolumeStatsResponse stats(String volumeId, Path target) {
    return csi.node().nodeGetVolumeStats(CsiRequests.stats(volumeId, target));
  }

  private static void awaitObject(String bucket, String key, String content) {
    S3Objects.awaitObject(s3, bucket, key, content);
  }

  private static String bucket() {
    String bucket = "fault-sd-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
    return bucket;
  }

  private static Path target(String pv) {
    return driver.directory().target(pv);
  }

  private static Path privateDirectory(Path target) {
    return driver.directory().privateDirectory(target);
  }

  private static NodePublishVolumeRequest publish(String bucket, Path target) {
    return CsiRequests.publishBucket(bucket, target, CsiRequests.singleWriter())
        .putAllSecrets(CsiRequests.keys(s3))
        .build();
  }
}
