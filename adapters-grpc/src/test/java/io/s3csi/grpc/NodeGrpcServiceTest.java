package io.s3csi.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.s3csi.core.credentials.SecretCredentialProvider;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.node.NodeConfig;
import io.s3csi.core.node.NodeService;
import io.s3csi.core.node.VolumeLocks;
import io.s3csi.grpc.csi.v1.NodeGetCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.NodeGetInfoRequest;
import io.s3csi.grpc.csi.v1.NodeGetInfoResponse;
import io.s3csi.grpc.csi.v1.NodeGetVolumeStatsRequest;
import io.s3csi.grpc.csi.v1.NodeGetVolumeStatsResponse;
import io.s3csi.grpc.csi.v1.NodeGrpc;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeServiceCapability;
import io.s3csi.grpc.csi.v1.NodeStageVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeRequest;
import io.s3csi.grpc.csi.v1.VolumeCapability;
import io.s3csi.grpc.csi.v1.VolumeCondition;
import io.s3csi.grpc.csi.v1.VolumeUsage;
import io.s3csi.testkit.mount.FakeMounter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Node service through a real in-process gRPC channel and stub, over a FakeMounter. */
class NodeGrpcServiceTest {
  private static final String SECRET = "wJalrXUtnFEMI-node-test-secret";

  @TempDir Path kubelet;

  private final FakeMounter mounter = new FakeMounter();
  private Server server;
  private ManagedChannel channel;
  private NodeGrpc.NodeBlockingStub stub;
  private Path target;

  @BeforeEach
  void start() throws Exception {
    NodeConfig config =
        new NodeConfig(
            "node-7", kubelet, FuseClient.S3FS, Optional.empty(), Optional.empty(), true, 42);
    NodeService node =
        new NodeService(config, mounter, new SecretCredentialProvider(), new VolumeLocks());
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name).addService(new NodeGrpcService(node)).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    stub = NodeGrpc.newBlockingStub(channel);
    target = kubelet.resolve("pods/1b2c-3d4e/volumes/kubernetes.io~csi/pv-1/mount");
  }

  @AfterEach
  void stop() throws InterruptedException {
    mounter.release();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private NodePublishVolumeRequest.Builder publish(String volumeId) {
    return NodePublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setTargetPath(target.toString())
        .setVolumeCapability(
            VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.newBuilder().addMountFlags("uid=1000"))
                .setAccessMode(
                    VolumeCapability.AccessMode.newBuilder()
                        .setMode(VolumeCapability.AccessMode.Mode.MULTI_NODE_MULTI_WRITER)))
        .putVolumeContext("bucketName", "photos")
        .putVolumeContext("authenticationSource", "secret")
        .putSecrets("accessKeyId", "AKIANODETEST")
        .putSecrets("secretAccessKey", SECRET);
  }

  private NodeUnpublishVolumeRequest unpublish(String volumeId) {
    return NodeUnpublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setTargetPath(target.toString())
        .build();
  }

  private static void assertStatus(Throwable error, Status.Code code, String message) {
    assertThat(error).isInstanceOf(StatusRuntimeException.class);
    Status status = ((StatusRuntimeException) error).getStatus();
    assertThat(status.getCode()).isEqualTo(code);
    assertThat(status.getDescription()).isEqualTo(message);
  }

  @Test
  void nodePublishVolume_valid_mountsWithTheRequestsSecretAndCreatesTheTarget() {
    stub.nodePublishVolume(publish("pv-1").build());

    MountSpec spec = mounter.mounted(target).orElseThrow();
    assertThat(spec.bucket()).isEqualTo("photos");
    assertThat(spec.client()).isEqualTo(FuseClient.S3FS);
    assertThat(spec.pathStyle()).isTrue();
    assertThat(spec.options().value("uid")).contains("1000");
    assertThat(((StaticCredentials) spec.credentials()).secretAccessKey().reveal())
        .isEqualTo(SECRET);
    assertThat(target).isDirectory();
  }

  @Test
  void nodePublishVolume_calledTwice_succeedsAndMountsOnce() {
    stub.nodePublishVolume(publish("pv-1").build());
    stub.nodePublishVolume(publish("pv-1").build());

    assertThat(mounter.calls()).filteredOn(c -> c.startsWith("mount ")).hasSize(1);
  }

  @Test
  void nodePublishVolume_otherVolumeAtTheTarget_isAlreadyExists() {
    stub.nodePublishVolume(publish("pv-1").build());

    assertThatThrownBy(() -> stub.nodePublishVolume(publish("pv-2").build()))
        .satisfies(
            e ->
                assertStatus(
                    e,
                    Status.Code.ALREADY_EXISTS,
                    "target_path "
                        + target
                        + " already has volume pv-1 (read-write); cannot publish volume pv-2"
                        + " read-write there"));
  }

  @Test
  void nodePublishVolume_sameVolumeReadOnly_isAlreadyExists() {
    stub.nodePublishVolume(publish("pv-1").build());

    assertThatThrownBy(() -> stub.nodePublishVolume(publish("pv-1").setReadonly(true).build()))
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.ALREADY_EXISTS));
  }

  @Test
  void nodePublishVolume_missingVolumeId_isInvalidArgumentNamingIt() {
    assertThatThrownBy(() -> stub.nodePublishVolume(publish("").build()))
        .satisfies(
            e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "volume_id: must not be empty"));
  }

  @Test
  void nodePublishVolume_missingTargetPath_isInvalidArgumentNamingIt() {
    assertThatThrownBy(() -> stub.nodePublishVolume(publish("pv-1").setTargetPath("").build()))
        .satisfies(
            e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "target_path: must not be empty"));
  }

  @Test
  void nodePublishVolume_missingCapability_isInvalidArgumentNamingIt() {
    assertThatThrownBy(
            () -> stub.nodePublishVolume(publish("pv-1").clearVolumeCapability().build()))
        .satisfies(
            e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "volume_capability: must be set"));
  }

  @Test
  void nodePublishVolume_blockCapability_isInvalidArgument() {
    NodePublishVolumeRequest request =
        publish("pv-1")
            .setVolumeCapability(
                VolumeCapability.newBuilder()
                    .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
                    .setAccessMode(
                        VolumeCapability.AccessMode.newBuilder()
                            .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)))
            .build();

    assertThatThrownBy(() -> stub.nodePublishVolume(request))
        .satisfies(
            e ->
                assertStatus(
                    e,
                    Status.Code.INVALID_ARGUMENT,
                    "volume_capability.block: block access is not supported: S3 volumes are"
                        + " mount only"));
  }

  @Test
  void nodePublishVolume_missingSecretKey_namesTheKeyAndNeverTheValue() {
    NodePublishVolumeRequest request =
        publish("pv-1").clearSecrets().putSecrets("accessKeyId", SECRET).build();

    assertThatThrownBy(() -> stub.nodePublishVolume(request))
        .satisfies(
            e -> {
              Status status = ((StatusRuntimeException) e).getStatus();
              assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(status.getDescription())
                  .startsWith("secrets.secretAccessKey: missing or empty")
                  .doesNotContain(SECRET);
            });
  }

  @Test
  void nodePublishVolume_mounterFails_keepsTheKindAndMessage() {
    mounter.failNextMount(
        () -> DriverException.failedPrecondition("s3fs exited: bucket or key not found"));

    assertThatThrownBy(() -> stub.nodePublishVolume(publish("pv-1").build()))
        .satisfies(
            e ->
                assertStatus(
                    e, Status.Code.FAILED_PRECONDITION, "s3fs exited: bucket or key not found"));
  }

  @Test
  void nodePublishVolume_unexpectedException_isInternalNeverUnknown() {
    mounter.failNextMount(() -> new IllegalStateException("boom"));

    assertThatThrownBy(() -> stub.nodePublishVolume(publish("pv-1").build()))
        .satisfies(
            e ->
                assertStatus(
                    e, Status.Code.INTERNAL, "internal error: IllegalStateException: boom"));
  }

  @Test
  void nodePublishVolume_whileAnotherIsInFlight_isAborted() throws Exception {
    mounter.holdMounts();
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(() -> stub.nodePublishVolume(publish("pv-1").build()));
    assertThat(mounter.awaitHeldMount(Duration.ofSeconds(10))).isTrue();

    assertThatThrownBy(() -> stub.nodePublishVolume(publish("pv-1").build()))
        .satisfies(
            e ->
                assertStatus(
                    e,
                    Status.Code.ABORTED,
                    "an operation on volume pv-1 at "
                        + target
                        + " is already in progress; retry when it has finished"));
    mounter.release();
    first.get(10, TimeUnit.SECONDS);
  }

  @Test
  void nodeUnpublishVolume_mounted_unmountsAndRemovesTheTarget() {
    stub.nodePublishVolume(publish("pv-1").build());

    stub.nodeUnpublishVolume(unpublish("pv-1"));

    assertThat(mounter.mounts()).isEmpty();
    assertThat(Files.exists(target)).isFalse();
  }

  @Test
  void nodeUnpublishVolume_calledTwiceOrNeverPublished_succeeds() {
    stub.nodeUnpublishVolume(unpublish("pv-1"));
    stub.nodeUnpublishVolume(unpublish("pv-1"));

    assertThat(mounter.mounts()).isEmpty();
  }

  @Test
  void nodeUnpublishVolume_missingVolumeId_isInvalidArgumentNamingIt() {
    assertThatThrownBy(() -> stub.nodeUnpublishVolume(unpublish("")))
        .satisfies(
            e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "volume_id: must not be empty"));
  }

  @Test
  void nodeGetInfo_reportsNodeIdAndVolumeLimit() {
    NodeGetInfoResponse info = stub.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance());

    assertThat(info.getNodeId()).isEqualTo("node-7");
    assertThat(info.getMaxVolumesPerNode()).isEqualTo(42);
  }

  @Test
  void nodeGetInfo_withoutTopology_reportsNone() {
    assertThat(stub.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).hasAccessibleTopology())
        .isFalse();
  }

  @Test
  void nodeGetInfo_withTopology_reportsTheSegments() throws Exception {
    Map<String, String> segments =
        Map.of(
            "topology.kubernetes.io/zone",
            "eu-west-1a",
            "topology.kubernetes.io/region",
            "eu-west-1");
    try (Served served = serve(new NodeGrpcService(node(), () -> segments))) {
      NodeGetInfoResponse info = served.stub().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance());

      assertThat(info.getNodeId()).isEqualTo("node-7");
      assertThat(info.getAccessibleTopology().getSegmentsMap()).isEqualTo(segments);
    }
  }

  @Test
  void nodeGetInfo_topologyUnreadable_failsWithTheReadersCode() throws Exception {
    NodeGrpcService service =
        new NodeGrpcService(
            node(),
            () -> {
              throw DriverException.unavailable("cannot reach the Kubernetes API", null);
            });
    try (Served served = serve(service)) {
      assertThatThrownBy(() -> served.stub().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()))
          .satisfies(
              e -> assertStatus(e, Status.Code.UNAVAILABLE, "cannot reach the Kubernetes API"));
    }
  }

  private NodeService node() {
    NodeConfig config =
        new NodeConfig(
            "node-7", kubelet, FuseClient.S3FS, Optional.empty(), Optional.empty(), true, 42);
    return new NodeService(config, mounter, new SecretCredentialProvider(), new VolumeLocks());
  }

  private record Served(Server server, ManagedChannel channel, NodeGrpc.NodeBlockingStub stub)
      implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static Served serve(NodeGrpcService service) throws IOException {
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).addService(service).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    return new Served(server, channel, NodeGrpc.newBlockingStub(channel));
  }

  @Test
  void nodeGetCapabilities_advertisesVolumeStatsAndConditionButNoStaging() {
    assertThat(
            stub.nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList())
        .extracting(c -> c.getRpc().getType())
        .containsExactly(
            NodeServiceCapability.RPC.Type.GET_VOLUME_STATS,
            NodeServiceCapability.RPC.Type.VOLUME_CONDITION);
  }

  @Test
  void unadvertisedRpcs_areUnimplemented() {
    assertThatThrownBy(() -> stub.nodeStageVolume(NodeStageVolumeRequest.getDefaultInstance()))
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  private NodeGetVolumeStatsRequest stats(String volumeId, String path) {
    return NodeGetVolumeStatsRequest.newBuilder().setVolumeId(volumeId).setVolumePath(path).build();
  }

  @Test
  void nodeGetVolumeStats_servingMount_isNormalWithBytesAndInodes() {
    stub.nodePublishVolume(publish("pv-1").build());
    mounter.reportUsage(target, FileSystemUsage.fromStatfs(4096, 100, 75, 70, 1000, 900));

    NodeGetVolumeStatsResponse response = stub.nodeGetVolumeStats(stats("pv-1", target.toString()));

    assertThat(response.getVolumeCondition())
        .isEqualTo(
            VolumeCondition.newBuilder()
                .setAbnormal(false)
                .setMessage("volume pv-1 serves at " + target + " (fuse.s3fs)")
                .build());
    assertThat(response.getUsageList())
        .containsExactly(
            VolumeUsage.newBuilder()
                .setUnit(VolumeUsage.Unit.BYTES)
                .setTotal(409_600)
                .setAvailable(286_720)
                .setUsed(102_400)
                .build(),
            VolumeUsage.newBuilder()
                .setUnit(VolumeUsage.Unit.INODES)
                .setTotal(1000)
                .setAvailable(900)
                .setUsed(100)
                .build());
  }

  @Test
  void nodeGetVolumeStats_deadMount_isAbnormalWithoutUsage() {
    stub.nodePublishVolume(publish("pv-1").build());
    mounter.kill(target);

    NodeGetVolumeStatsResponse response = stub.nodeGetVolumeStats(stats("pv-1", target.toString()));

    assertThat(response.getVolumeCondition().getAbnormal()).isTrue();
    assertThat(response.getVolumeCondition().getMessage())
        .startsWith(
            "the FUSE mount of volume pv-1 at "
                + target
                + " does not serve: Transport endpoint is not connected. Restart the pod");
    assertThat(response.getUsageList()).isEmpty();
  }

  @Test
  void nodeGetVolumeStats_missingVolumeId_isInvalidArgumentNamingIt() {
    assertThatThrownBy(() -> stub.nodeGetVolumeStats(stats("", "some/path")))
        .satisfies(
            e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "volume_id: must not be empty"));
  }

  @Test
  void nodeGetVolumeStats_missingVolumePath_isInvalidArgumentNamingIt() {
    assertThatThrownBy(() -> stub.nodeGetVolumeStats(stats("pv-1", "")))
        .satisfies(
            e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "volume_path: must not be empty"));
  }

  @Test
  void nodeGetVolumeStats_relativePathAsCsiSanitySendsIt_isNotFound() {
    stub.nodePublishVolume(publish("pv-1").build());

    assertThatThrownBy(() -> stub.nodeGetVolumeStats(stats("pv-1", "some/path")))
        .satisfies(
            e ->
                assertStatus(
                    e,
                    Status.Code.NOT_FOUND,
                    "volume pv-1 is not published at some/path: must be an absolute path (was"
                        + " 'some/path')"));
  }

  @Test
  void nodeGetVolumeStats_unpublishedVolume_isNotFound() {
    assertThatThrownBy(() -> stub.nodeGetVolumeStats(stats("pv-1", target.toString())))
        .satisfies(
            e ->
                assertStatus(
                    e, Status.Code.NOT_FOUND, "volume_path " + target + " does not exist"));
  }

  @Test
  void nodePublishVolume_secretsNeverReachTheMountSpecsText() {
    stub.nodePublishVolume(publish("pv-1").putAllVolumeContext(Map.of()).build());

    assertThat(mounter.mounted(target).orElseThrow().toString()).doesNotContain(SECRET);
  }
}
