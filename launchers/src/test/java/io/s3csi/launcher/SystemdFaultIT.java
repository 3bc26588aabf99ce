package io.s3csi.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.Endpoint;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
import io.s3csi.grpc.csi.v1.NodeGetVolumeStatsRequest;
import io.s3csi.grpc.csi.v1.NodeGetVolumeStatsResponse;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeRequest;
import io.s3csi.grpc.csi.v1.VolumeCapability;
import io.s3csi.testkit.junit.S3ServerExtension;
import io.s3csi.testkit.junit.SystemdExtension;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(90);
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir static Path dir;
  private static SystemdNamespace systemd;
  private static EmbeddedS3Server s3;
  private static NamespacedLauncher launcher;

  private NamespacedLauncher.Running driver;
  private CsiClient csi;

  @BeforeAll
  static void namespace(SystemdNamespace namespace, EmbeddedS3Server server) throws IOException {
    systemd = namespace;
    s3 = server;
    launcher = new NamespacedLauncher(systemd, Files.createDirectories(dir.resolve("logs")));
  }

  @AfterEach
  void stopDriver() throws InterruptedException {
    if (csi != null) {
      csi.close();
    }
    if (driver != null) {
      driver.process().destroy();
      driver.process().waitFor(30, TimeUnit.SECONDS);
      System.out.println("[SystemdFaultIT] driver log:\n" + driver.errors());
    }
  }

  @Test
  void unitKilled_statsTurnAbnormal_republishHealsAndTheDataIsStillInS3() throws Exception {
    assumeS3fs();
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
    assumeS3fs();
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

    driver.process().destroyForcibly();
    assertThat(driver.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(inFlight::isDone);
    first.close();
    csi = null;
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
    Path socket = dir.resolve("csi.sock");
    driver =
        launcher.start(
            Map.of(),
            "driver",
            "--endpoint",
            "unix://" + socket,
            "--node-id",
            "it-node",
            "--mode",
            "node",
            "--kubelet-dir",
            dir.resolve("kubelet").toString(),
            "--state-dir",
            dir.resolve("state").toString(),
            "--fuse-client",
            "s3fs",
            "--s3-endpoint-url",
            s3.endpoint().toString(),
            "--s3-region",
            "us-east-1",
            "--s3-path-style",
            "--sweep-interval",
            "0");
    CsiClient client =
        CsiClient.connect(Endpoint.parse("--endpoint", "unix://" + socket), CALL_DEADLINE);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(
              () -> {
                if (!driver.process().isAlive()) {
                  throw new AssertionError("the driver exited:\n" + driver.errors());
                }
                return client.identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance())
                    != null;
              });
    } catch (RuntimeException e) {
      client.close();
      throw new AssertionError("the driver did not serve:\n" + driver.errors(), e);
    }
    csi = client;
  }

  private NodeGetVolumeStatsResponse stats(String volumeId, Path target) {
    return csi.node()
        .nodeGetVolumeStats(
            NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(volumeId)
                .setVolumePath(target.toString())
                .build());
  }

  private static void awaitObject(String bucket, String key, String content) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(s3.getObject(bucket, key).map(b -> new String(b, UTF_8)))
                    .contains(content));
  }

  private static String bucket() {
    String bucket = "fault-sd-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
    return bucket;
  }

  private static Path target(String pv) throws IOException {
    Path target =
        dir.resolve(
            "kubelet/pods/" + UUID.randomUUID() + "/volumes/kubernetes.io~csi/" + pv + "/mount");
    Files.createDirectories(target.getParent());
    return target;
  }

  private static String unitOf(Path target) {
    return "s3csi-" + PrivateDirectories.keyOf(target) + ".service";
  }

  private static Path privateDirectory(Path target) {
    return new PrivateDirectories(dir.resolve("state").resolve(DriverConfig.MOUNTS_DIRECTORY))
        .directoryFor(target);
  }

  private static NodePublishVolumeRequest publish(String bucket, Path target) {
    return NodePublishVolumeRequest.newBuilder()
        .setVolumeId(bucket)
        .setTargetPath(target.toString())
        .setVolumeCapability(
            VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.getDefaultInstance())
                .setAccessMode(
                    VolumeCapability.AccessMode.newBuilder()
                        .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)))
        .putVolumeContext("bucketName", bucket)
        .putVolumeContext("authenticationSource", "secret")
        .putSecrets("accessKeyId", s3.accessKeyId())
        .putSecrets("secretAccessKey", s3.secretAccessKey())
        .build();
  }

  private static NodeUnpublishVolumeRequest unpublish(String volumeId, Path target) {
    return NodeUnpublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setTargetPath(target.toString())
        .build();
  }

  private static void assumeS3fs() {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "/dev/fuse is missing");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/s3fs")), "s3fs is not installed");
  }
}
