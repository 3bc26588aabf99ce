package io.s3csi.launcher;

import static io.s3csi.launcher.CsiRequests.unpublish;
import static io.s3csi.launcher.FuseHost.assumeRunnable;
import static io.s3csi.launcher.NamespacedDriver.unitOf;
import static io.s3csi.launcher.S3Objects.awaitObject;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.testkit.junit.S3ServerExtension;
import io.s3csi.testkit.junit.SystemdExtension;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
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
    driver = new NamespacedDriver(systemd, s3, dir, SystemdDriverIT.class);
    launcher = driver.launcher();
  }

  @AfterEach
  void stopDriver() throws InterruptedException {
    driver.stop();
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void publish_thenKill9_mountKeepsServingAndANewDriverUnpublishes(FuseClient client)
      throws Exception {
    assumeRunnable(client);
    String bucket = bucket();
    Path target = target("pv-" + client.id());
    String unit = unitOf(target);
    start(client);

    csi.node().nodePublishVolume(publish(bucket, target, s3.secretAccessKey()));

    Path inside = systemd.hostView(target);
    Files.writeString(inside.resolve("hello.txt"), "hello from a pod", UTF_8);
    awaitObject(s3, bucket, "hello.txt", "hello from a pod");
    assertThat(systemd.systemctl("show", unit).requireSuccess().stdout())
        .contains("ActiveState=active", "Description=s3csi: " + client.id() + " mount of ")
        .doesNotContain(s3.secretAccessKey());
    assertThat(launcher.exec("cat", "/run/systemd/transient/" + unit))
        .contains("ExecStart=")
        .doesNotContain(s3.secretAccessKey());
    assertThat(privateDirectory(target)).isDirectory();

    assertThat(driver.kill()).isTrue();
    driver.closeClient();

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
    driver.start(client);
    csi = driver.csi();
  }

  private static String bucket() {
    String bucket = "drv-it-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
    return bucket;
  }

  private static Path target(String pv) {
    return driver.directory().target(pv);
  }

  private static Path privateDirectory(Path target) {
    return driver.directory().privateDirectory(target);
  }

  private static NodePublishVolumeRequest publish(String bucket, Path target, String secret) {
    return CsiRequests.publishBucket(bucket, target, CsiRequests.singleWriter())
        .putAllSecrets(CsiRequests.keys(s3.accessKeyId(), secret))
        .build();
  }
}
