package io.s3csi.launcher;

import static io.s3csi.launcher.CsiRequests.multiWriter;
import static io.s3csi.launcher.CsiRequests.unpublish;
import static io.s3csi.launcher.FuseHost.clientProcesses;
import static io.s3csi.launcher.FuseHost.mountsUnder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.csi.v1.ControllerGetCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.ControllerServiceCapability;
import io.s3csi.grpc.csi.v1.DeleteVolumeRequest;
import io.s3csi.grpc.csi.v1.GetPluginCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
import io.s3csi.grpc.csi.v1.NodeGetInfoRequest;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.PluginCapability;
import io.s3csi.grpc.csi.v1.Volume;
import io.s3csi.testkit.junit.S3ServerExtension;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real driver, in this JVM, on a real unix socket: the process mounter runs real FUSE clients
 * against an embedded S3 server, and every call goes through {@link CsiClient} as kubelet's would.
 * Needs root, {@code /dev/fuse}, s3fs and rclone.
 */
@ExtendWith(S3ServerExtension.class)
class DriverIT {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static EmbeddedS3Server s3;

  @TempDir Path dir;
  private InJvmDriver driver;
  private CsiClient csi;
  private S3View view;
  private final List<Published> published = new ArrayList<>();

  @BeforeAll
  static void server(EmbeddedS3Server server) {
    s3 = server;
  }

  @AfterEach
  void stop() {
    for (Published p : published) {
      try {
        csi.node().nodeUnpublishVolume(unpublish(p.volumeId(), p.target()));
      } catch (RuntimeException e) {
        // the test failed already; the driver's close unmounts what is left
      }
    }
    if (driver != null) {
      driver.close();
    }
    if (view != null) {
      view.close();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = FuseClient.class,
      names = {"S3FS", "RCLONE"})
  void publish_bucket_fileWrittenThroughTheMountIsAnObjectInS3(FuseClient client)
      throws IOException {
    start(client);
    String bucket = bucket();
    Path target = target("pv-bucket");

    publish(bucket, bucket, target);
    Files.writeString(target.resolve("hello.txt"), "hello " + client, StandardCharsets.UTF_8);

    assertThat(Files.readString(target.resolve("hello.txt"))).isEqualTo("hello " + client);
    awaitObject(bucket, "hello.txt", "hello " + client);
    assertThat(clientProcesses(target)).hasSize(1);
    assertThat(privateDirectory(target)).isDirectory();
  }

  @ParameterizedTest
  @EnumSource(
      value = FuseClient.class,
      names = {"S3FS", "RCLONE"})
  void publish_bucketSlashPrefixHandle_writesUnderThePrefix(FuseClient client) throws IOException {
    start(client);
    String bucket = bucket();
    s3.putObject(bucket, "outside.txt", "not in the volume".getBytes(StandardCharsets.UTF_8));
    Path target = target("pv-prefix");

    publishHandle(bucket + "/team-a", target, Map.of());
    Files.writeString(target.resolve("report.csv"), "a,b\n", StandardCharsets.UTF_8);

    awaitObject(bucket, "team-a/report.csv", "a,b\n");
    try (Stream<Path> files = Files.list(target)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.csv");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = FuseClient.class,
      names = {"S3FS", "RCLONE"})
  void publish_twice_succeedsWithTheSameMount(FuseClient client) throws IOException {
    start(client);
    String bucket = bucket();
    s3.putObject(bucket, "seen.txt", "seen".getBytes(StandardCharsets.UTF_8));
    Path target = target("pv-twice");

    publish(bucket, bucket, target);
    long pid = clientProcesses(target).get(0);
    publish(bucket, bucket, target);

    assertThat(clientProcesses(target)).containsExactly(pid);
    assertThat(Files.readString(target.resolve("seen.txt"))).isEqualTo("seen");
  }

  @ParameterizedTest
  @EnumSource(
      value = FuseClient.class,
      names = {"S3FS", "RCLONE"})
  void publish_otherVolumeAtAMountedTarget_isAlreadyExists(FuseClient client) {
    start(client);
    String first = bucket();
    String second = bucket();
    Path target = target("pv-taken");
    publish(first, first, target);

    assertThatThrownBy(() -> publish(second, second, target))
        .satisfies(
            e ->
                assertStatus(
                    e,
                    Status.Code.ALREADY_EXISTS,
                    "already has volume "
                        + first
                        + " (read-write); cannot publish volume "
                        + second));
    assertThat(clientProcesses(target)).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(
      value = FuseClient.class,
      names = {"S3FS", "RCLONE"})
  void unpublish_mounted_removesTargetPrivateFilesAndClient(FuseClient client) throws IOException {
    start(client);
    String bucket = bucket();
    Path target = target("pv-gone");
    publish(bucket, bucket, target);
    assertThat(clientProcesses(target)).hasSize(1);

    csi.node().nodeUnpublishVolume(unpublish(bucket, target));

    assertThat(target).doesNotExist();
    assertThat(privateDirectory(target)).doesNotExist();
    assertThat(clientProcesses(target)).isEmpty();
    assertThat(mountsUnder(dir)).isEmpty();

    csi.node().nodeUnpublishVolume(unpublish(bucket, target));
    assertThat(target).doesNotExist();
  }

  @Test
  void identity_modeAll_reportsTheDriverAndTheControllerService() {
    start(FuseClient.S3FS);

    var info = csi.identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
    var capabilities =
        csi.identity().getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance());

    assertThat(info.getName()).isEqualTo("s3.csi.s3csi.io");
    assertThat(info.getVendorVersion()).isEqualTo(VersionProvider.version());
    assertThat(capabilities.getCapabilitiesList())
        .extracting(c -> c.getService().getType())
        .containsExactly(PluginCapability.Service.Type.CONTROLLER_SERVICE);
    assertThat(csi.node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId())
        .isEqualTo("it-node");
  }

  @Test
  void publish_withoutSecrets_isInvalidArgumentNamingSecrets() {
    start(FuseClient.S3FS);
    String bucket = bucket();
    Path target = target("pv-nosecret");

    assertThatThrownBy(
            () -> csi.node().nodePublishVolume(publishRequest(bucket, target, Map.of(), Map.of())))
        .satisfies(
            e ->
                assertStatus(
                    e,
                    Status.Code.INVALID_ARGUMENT,
                    "secrets: authenticationSource is secret but the request carries no secret"));
    assertThat(target).doesNotExist();
  }

  @Test
  void publish_targetOutsideTheKubeletDir_isInvalidArgumentNamingTheTarget() {
    start(FuseClient.S3FS);
    String bucket = bucket();
    Path outside = dir.resolve("elsewhere/mount");

    assertThatThrownBy(() -> publish(bucket, bucket, outside))
        .satisfies(
            e ->
                assertStatus(
                    e,
                    Status.Code.INVALID_ARGUMENT,
                    "target_path: must be a directory under the kubelet root"));
    assertThat(outside).doesNotExist();
  }

  @ParameterizedTest(name = "{0} mode, deletePolicy {1}")
  @CsvSource({
    "prefix, retain",
    "prefix, deleteIfEmpty",
    "prefix, delete",
    "bucket, retain",
    "bucket, deleteIfEmpty",
    "bucket, delete"
  })
  void createVolume_isPublishedWrittenUnpublishedAndDeletedByItsPolicy(String mode, String policy)
      throws IOException {
    start(FuseClient.S3FS);
    Map<String, String> secrets = CsiRequests.keys(s3);
    Map<String, String> parameters = new HashMap<>();
    parameters.put("provisioningMode", mode);
    parameters.put("deletePolicy", policy);
    if (mode.equals("prefix")) {
      parameters.put("bucketName", bucket());
    }

    Volume volume =
        csi.controller()
            .createVolume(CsiRequests.createVolume(secrets).putAllParameters(parameters).build())
            .getVolume();
    String bucket = volume.getVolumeContextMap().get("bucketName");
    Path target = target("pv-dynamic");
    published.add(new Published(volume.getVolumeId(), target));
    csi.node()
        .nodePublishVolume(
            CsiRequests.publish(volume.getVolumeId(), target, multiWriter())
                .putAllVolumeContext(volume.getVolumeContextMap())
                .putAllSecrets(secrets)
                .build());
    Files.writeString(target.resolve("data.txt"), "dynamic", StandardCharsets.UTF_8);
    await()
        .atMost(S3Objects.UPLOAD)
        .untilAsserted(
            () -> assertThat(s3.listObjects(bucket)).anyMatch(k -> k.endsWith("data.txt")));
    csi.node().nodeUnpublishVolume(unpublish(volume.getVolumeId(), target));
    DeleteVolumeRequest delete = CsiRequests.deleteVolume(volume.getVolumeId(), secrets);

    switch (policy) {
      case "retain" -> {
        csi.controller().deleteVolume(delete);
        assertThat(s3.listObjects(bucket)).anyMatch(k -> k.endsWith("data.txt"));
      }
      case "deleteIfEmpty" -> {
        assertThatThrownBy(() -> csi.controller().deleteVolume(delete))
            .satisfies(
                e -> {
                  Status status = ((StatusRuntimeException) e).getStatus();
                  assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                  assertThat(status.getDescription()).contains("1 object");
                });
        assertThat(s3.listObjects(bucket)).anyMatch(k -> k.endsWith("data.txt"));
      }
      default -> {
        csi.controller().deleteVolume(delete);
        csi.controller().deleteVolume(delete); // idempotent
        if (mode.equals("prefix")) {
          assertThat(s3.listObjects(bucket)).isEmpty();
        } else {
          assertThatThrownBy(() -> s3.listObjects(bucket))
              .isInstanceOf(IllegalArgumentException.class);
        }
      }
    }
  }

  @Test
  void modeController_servesControllerNotNode() throws IOException {
    driver =
        InJvmDriver.start(
            dir,
            "--endpoint",
            "unix://" + dir.resolve("ctl.sock"),
            "--node-id",
            "it-node",
            "--mode",
            "controller",
            "--state-dir",
            dir.resolve("state").toString());
    csi = driver.csi();

    assertThatThrownBy(() -> csi.node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()))
        .satisfies(e -> assertStatus(e, Status.Code.UNIMPLEMENTED, "csi.v1.Node"));
    assertThat(
            csi.identity()
                .getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesCount())
        .isEqualTo(1);
    assertThat(
            csi.controller()
                .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList())
        .extracting(c -> c.getRpc().getType())
        .containsExactly(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME);
  }

  private void start(FuseClient client) {
    driver = InJvmDriver.start(dir, s3, "all", client);
    csi = driver.csi();
    view = new S3View(s3.endpoint(), "us-east-1", s3.accessKeyId(), s3.secretAccessKey());
  }

  private static String bucket() {
    String bucket = "it-bucket-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
    return bucket;
  }

  private Path target(String pv) {
    return driver.directory().target(pv);
  }

  private void publish(String volumeId, String bucket, Path target) {
    publishHandle(volumeId, target, Map.of("bucketName", bucket));
  }

  private void publishHandle(String volumeId, Path target, Map<String, String> attributes) {
    Map<String, String> secrets = CsiRequests.keys(s3);
    published.add(new Published(volumeId, target));
    csi.node().nodePublishVolume(publishRequest(volumeId, target, attributes, secrets));
  }

  private static NodePublishVolumeRequest publishRequest(
      String volumeId, Path target, Map<String, String> attributes, Map<String, String> secrets) {
    return CsiRequests.publish(volumeId, target, multiWriter())
        .putAllVolumeContext(attributes)
        .putVolumeContext("authenticationSource", "secret")
        .putAllSecrets(secrets)
        .build();
  }

  private void awaitObject(String bucket, String key, String content) {
    S3Objects.awaitObject(view, bucket, key, content);
  }

  private Path privateDirectory(Path target) {
    return driver.directory().privateDirectory(target);
  }

  private static void assertStatus(Throwable e, Status.Code code, String message) {
    assertThat(e).isInstanceOf(StatusRuntimeException.class);
    Status status = ((StatusRuntimeException) e).getStatus();
    assertThat(status.getCode()).isEqualTo(code);
    assertThat(status.getDescription()).contains(message);
  }

  private record Published(String volumeId, Path target) {}
}
