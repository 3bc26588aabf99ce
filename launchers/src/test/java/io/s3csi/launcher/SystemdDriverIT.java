package io.s3csi.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.Endpoint;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
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
import java.util.Optional;
import java.util.UUID;
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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged driver, {@code s3csi driver --mode node} (whose default mounter is systemd), running
 * inside a private namespace whose pid 1 is a real systemd, as a node plugin runs beside the host's
 * systemd. The test talks CSI to it over its unix socket in the shared /tmp, as kubelet does, and
 * checks the mounts from the host through the namespace's root.
 */
@ExtendWith({SystemdExtension.class, S3ServerExtension.class})
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SystemdDriverIT {
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
      System.out.println("[SystemdDriverIT] driver log:\n" + driver.errors());
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void publish_thenKill9_mountKeepsServingAndANewDriverUnpublishes(FuseClient client)
      throws Exception {
    assumeRunnable(client);
    String bucket = bucket();
    Path target = target("pv-" + client.id());
    String unit = "s3csi-" + PrivateDirectories.keyOf(target) + ".service";
    start(client);

    csi.node().nodePublishVolume(publish(bucket, target, s3.secretAccessKey()));

    Path inside = systemd.hostView(target);
    Files.writeString(inside.resolve("hello.txt"), "hello from a pod", UTF_8);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(s3.getObject(bucket, "hello.txt").map(b -> new String(b, UTF_8)))
                    .contains("hello from a pod"));
    assertThat(systemd.systemctl("show", unit).requireSuccess().stdout())
        .contains("ActiveState=active", "Description=s3csi: " + client.id() + " mount of ")
        .doesNotContain(s3.secretAccessKey());
    assertThat(launcher.exec("cat", "/run/systemd/transient/" + unit))
        .contains("ExecStart=")
        .doesNotContain(s3.secretAccessKey());
    assertThat(privateDirectory(target)).isDirectory();

    driver.process().destroyForcibly();
    assertThat(driver.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    csi.close();
    csi = null;

    assertThat(Files.readString(inside.resolve("hello.txt"), UTF_8)).isEqualTo("hello from a pod");
    assertThat(systemd.systemctl("is-active", unit).stdout().strip()).isEqualTo("active");

    start(client);
    csi.node().nodeUnpublishVolume(unpublish(bucket, target));

    assertThat(systemd.systemctl("show", "-p", "LoadState", unit).stdout().strip())
        .isEqualTo("LoadState=not-found");
    assertThat(privateDirectory(target)).doesNotExist();
    assertThat(launcher.mountinfo()).doesNotContain(" " + target + " ");
    assertThat(target).doesNotExist();
    assertThat(driver.errors()).contains("found volume " + bucket);
  }

  @Test
  void publish_wrongSecret_failsNamingTheUnitAndQuotingTheClient() throws Exception {
    assumeRunnable(FuseClient.S3FS);
    String bucket = bucket();
    Path target = target("pv-badkeys");
    String wrong = "Wr0ngSecretValueForTheTest0123456789abcd";
    start(FuseClient.S3FS);

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> csi.node().nodePublishVolume(publish(bucket, target, wrong)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription())
        .startsWith(
            "s3fs in unit s3csi-" + PrivateDirectories.keyOf(target) + ".service stopped before")
        .contains("invalid credentials")
        .doesNotContain(wrong)
        .doesNotContain(s3.secretAccessKey());
    assertThat(privateDirectory(target)).doesNotExist();
    assertThat(launcher.mountinfo()).doesNotContain(" " + target + " ");
  }

  @Test
  void publish_missingBucket_failsQuotingTheClient() throws Exception {
    assumeRunnable(FuseClient.S3FS);
    Path target = target("pv-nobucket");
    start(FuseClient.S3FS);

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                csi.node()
                    .nodePublishVolume(publish("no-such-bucket", target, s3.secretAccessKey())));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription())
        .contains("in unit s3csi-" + PrivateDirectories.keyOf(target) + ".service")
        .contains("bucket or key not found");
  }

  private void start(FuseClient client) {
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
            client.id(),
            "--s3-endpoint-url",
            s3.endpoint().toString(),
            "--s3-region",
            "us-east-1",
            "--s3-path-style");
    Endpoint endpoint = Endpoint.parse("--endpoint", "unix://" + socket);
    CsiClient client0 = CsiClient.connect(endpoint, CALL_DEADLINE);
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(
              () -> {
                if (!driver.process().isAlive()) {
                  throw new AssertionError("the driver exited:\n" + driver.errors());
                }
                return client0.identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance())
                    != null;
              });
    } catch (RuntimeException e) {
      client0.close();
      throw new AssertionError("the driver did not serve:\n" + driver.errors(), e);
    }
    csi = client0;
  }

  private static String bucket() {
    String bucket = "drv-it-" + BUCKETS.incrementAndGet();
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

  private static Path privateDirectory(Path target) {
    return new PrivateDirectories(dir.resolve("state").resolve(DriverConfig.MOUNTS_DIRECTORY))
        .directoryFor(target);
  }

  private static NodePublishVolumeRequest publish(String bucket, Path target, String secret) {
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
        .putSecrets("secretAccessKey", secret)
        .build();
  }

  private static NodeUnpublishVolumeRequest unpublish(String volumeId, Path target) {
    return NodeUnpublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setTargetPath(target.toString())
        .build();
  }

  private static void assumeRunnable(FuseClient client) {
    Optional<String> missing = Optional.empty();
    if (!Files.exists(Path.of("/dev/fuse"))) {
      missing = Optional.of("/dev/fuse is missing");
    } else if (!Files.isExecutable(Path.of("/usr/bin", client.id()))) {
      missing = Optional.of(client.id() + " is not installed in /usr/bin");
    }
    Optional<String> why = missing;
    Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
  }
}
