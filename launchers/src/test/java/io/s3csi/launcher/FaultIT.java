package io.s3csi.launcher;

import static io.s3csi.launcher.CsiRequests.multiWriter;
import static io.s3csi.launcher.CsiRequests.unpublish;
import static io.s3csi.launcher.FuseHost.assumeRunnable;
import static io.s3csi.launcher.FuseHost.clientProcesses;
import static io.s3csi.launcher.FuseHost.mountsUnder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.csi.v1.CreateVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeGetVolumeStatsResponse;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.Volume;
import io.s3csi.grpc.csi.v1.VolumeCapability;
import io.s3csi.grpc.csi.v1.VolumeUsage;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into the real driver (in this JVM, process mounter, real s3fs through kernel
 * FUSE): a FUSE client killed with SIGKILL, and the S3 server stopped during a publish and during
 * CreateVolume. The S3 server is this class's own, so stopping it disturbs no other test.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultIT {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static EmbeddedS3Server s3;

  @TempDir Path dir;
  private InJvmDriver driver;
  private CsiClient csi;
  private S3View view;

  @BeforeAll
  static void server() {
    s3 = EmbeddedS3Server.builder().start();
  }

  @AfterAll
  static void closeServer() {
    s3.close();
  }

  @AfterEach
  void stop() {
    s3.restart();
    if (driver != null) {
      driver.close(); // the process mounter unmounts what a failed test left
    }
    if (view != null) {
      view.close();
    }
  }

  @Test
  void clientKilled_statsTurnAbnormal_republishHealsAndTheDataIsStillInS3() throws Exception {
    assumeRunnable(FuseClient.S3FS);
    start();
    String bucket = bucket();
    Path target = target("pv-killed");
    csi.node().nodePublishVolume(publish(bucket, target));
    Files.writeString(target.resolve("before.txt"), "written before the kill");
    awaitObject(bucket, "before.txt", "written before the kill");
    NodeGetVolumeStatsResponse healthy = stats(bucket, target);
    assertThat(healthy.getVolumeCondition().getAbnormal()).isFalse();
    assertThat(healthy.getUsageList())
        .extracting(VolumeUsage::getUnit)
        .containsExactly(VolumeUsage.Unit.BYTES, VolumeUsage.Unit.INODES);
    System.out.println("[FaultIT] s3fs reports " + healthy.getUsageList());

    List<Long> clients = clientProcesses(target);
    assertThat(clients).hasSize(1);
    kill9(clients.get(0));

    NodeGetVolumeStatsResponse dead =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> stats(bucket, target), s -> s.getVolumeCondition().getAbnormal());
    assertThat(dead.getVolumeCondition().getMessage())
        .startsWith("the FUSE mount of volume " + bucket + " at " + target + " does not serve: ")
        .contains("exited with status 137 (killed by signal 9)")
        .contains("Restart the pod");
    assertThat(dead.getUsageList()).isEmpty();

    csi.node().nodePublishVolume(publish(bucket, target)); // kubelet's republish

    assertThat(stats(bucket, target).getVolumeCondition().getAbnormal()).isFalse();
    assertThat(Files.readString(target.resolve("before.txt"))).isEqualTo("written before the kill");
    assertThat(clientProcesses(target)).hasSize(1).doesNotContain(clients.get(0));
    assertThat(mountsUnder(target.getParent())).hasSize(1);
    Files.writeString(target.resolve("after.txt"), "written after the republish");
    awaitObject(bucket, "after.txt", "written after the republish");

    csi.node().nodeUnpublishVolume(unpublish(bucket, target));
    assertThat(target).doesNotExist();
    assertThat(privateDirectory(target)).doesNotExist();
  }

  @Test
  void s3StoppedDuringPublish_failsLeavingNothingAndTheRetryAfterARestartMounts() throws Exception {
    assumeRunnable(FuseClient.S3FS);
    start();
    String bucket = bucket();
    Path target = target("pv-outage");
    s3.stop();
    // one retry instead of s3fs's default five: the same failure, sooner
    NodePublishVolumeRequest request =
        publish(bucket, target).toBuilder()
            .setVolumeCapability(
                multiWriter().toBuilder()
                    .setMount(VolumeCapability.MountVolume.newBuilder().addMountFlags("retries=1")))
            .build();

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> csi.node().nodePublishVolume(request));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription())
        .startsWith("s3fs (pid ")
        .contains("before serving " + bucket + "/ at " + target)
        .contains("last output of s3fs:")
        .doesNotContain(s3.secretAccessKey());
    System.out.println("[FaultIT] publish with S3 down: " + e.getStatus().getDescription());
    assertThat(mountsUnder(target.getParent())).isEmpty();
    assertThat(clientProcesses(target)).isEmpty();
    assertThat(privateDirectory(target)).doesNotExist();

    s3.restart();
    csi.node().nodePublishVolume(request); // kubelet retries with back-off

    assertThat(stats(bucket, target).getVolumeCondition().getAbnormal()).isFalse();
    Files.writeString(target.resolve("back.txt"), "S3 is back");
    awaitObject(bucket, "back.txt", "S3 is back");
    csi.node().nodeUnpublishVolume(unpublish(bucket, target));
  }

  @Test
  void s3StoppedDuringCreateVolume_isUnavailableAndTheRetryAfterARestartCreates() {
    start();
    CreateVolumeRequest request = CsiRequests.createVolume(CsiRequests.keys(s3)).build();
    s3.stop();

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> csi.controller().createVolume(request));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).doesNotContain(s3.secretAccessKey());

    s3.restart();
    // as the external-provisioner does: the same request again, with back-off, while UNAVAILABLE
    Volume volume =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsMatching(
                t ->
                    t instanceof StatusRuntimeException s
                        && s.getStatus().getCode() == Status.Code.UNAVAILABLE)
            .until(() -> csi.controller().createVolume(request).getVolume(), v -> true);
    String bucket = volume.getVolumeContextMap().get("bucketName");
    assertThat(view.find(bucket, ".s3csi-volume")).isPresent();
    assertThat(csi.controller().createVolume(request).getVolume()).isEqualTo(volume);
  }

  @Test
  void driverSweep_scheduledEveryInterval_removesCredentialFilesLeftWithoutAMount()
      throws IOException {
    Path mounts =
        Files.createDirectories(dir.resolve("state").resolve(DriverConfig.MOUNTS_DIRECTORY));
    Path leftover = Files.createDirectories(mounts.resolve("00112233aabbccdd"));
    Files.writeString(leftover.resolve("passwd-s3fs"), "AKIA:left-by-a-crash");
    // older than the sweep's grace period, as if the crash had been a while ago
    Files.setLastModifiedTime(
        leftover, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(600)));

    start("500ms");

    await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(leftover));
  }

  private void start() {
    start("0");
  }

  private void start(String sweepInterval) {
    driver = InJvmDriver.start(dir, s3, "all", FuseClient.S3FS, "--sweep-interval", sweepInterval);
    csi = driver.csi();
    view = new S3View(s3.endpoint(), "us-east-1", s3.accessKeyId(), s3.secretAccessKey());
  }

  private NodeGetVolumeStatsResponse stats(String volumeId, Path target) {
    return csi.node().nodeGetVolumeStats(CsiRequests.stats(volumeId, target));
  }

  private static String bucket() {
    String bucket = "fault-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
    return bucket;
  }

  private Path target(String pv) {
    return driver.directory().target(pv);
  }

  private static NodePublishVolumeRequest publish(String bucket, Path target) {
    return CsiRequests.publishBucket(bucket, target, multiWriter())
        .putAllSecrets(CsiRequests.keys(s3))
        .build();
  }

  private void awaitObject(String bucket, String key, String content) {
    S3Objects.awaitObject(view, bucket, key, content);
  }

  private Path privateDirectory(Path target) {
    return driver.directory().privateDirectory(target);
  }

  private static void kill9(long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}
