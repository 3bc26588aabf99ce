package io.s3csi.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.node.VolumeLocks;
import io.s3csi.core.provisioning.ControllerConfig;
import io.s3csi.core.provisioning.ControllerService;
import io.s3csi.grpc.csi.v1.CapacityRange;
import io.s3csi.grpc.csi.v1.ControllerGetCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.ControllerGrpc;
import io.s3csi.grpc.csi.v1.ControllerServiceCapability;
import io.s3csi.grpc.csi.v1.CreateVolumeRequest;
import io.s3csi.grpc.csi.v1.CreateVolumeResponse;
import io.s3csi.grpc.csi.v1.DeleteVolumeRequest;
import io.s3csi.grpc.csi.v1.DeleteVolumeResponse;
import io.s3csi.grpc.csi.v1.ListVolumesRequest;
import io.s3csi.grpc.csi.v1.ValidateVolumeCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.ValidateVolumeCapabilitiesResponse;
import io.s3csi.grpc.csi.v1.VolumeCapability;
import io.s3csi.grpc.csi.v1.VolumeContentSource;
import io.s3csi.testkit.provisioning.FakeBucketProvisioner;
import io.s3csi.testkit.provisioning.FakeBucketProvisioner.Operation;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Controller service through a real in-process gRPC channel and stub. */
class ControllerGrpcServiceTest {
  private static final String NAME = "pvc-0f9e2c9c-8a7d-4c1b-9d55-2f1f9a0e5b61";
  private static final VolumeCapability RWX =
      VolumeCapability.newBuilder()
          .setMount(VolumeCapability.MountVolume.newBuilder().addMountFlags("allow-delete"))
          .setAccessMode(
              VolumeCapability.AccessMode.newBuilder()
                  .setMode(VolumeCapability.AccessMode.Mode.MULTI_NODE_MULTI_WRITER))
          .build();
  private static final VolumeCapability BLOCK =
      VolumeCapability.newBuilder()
          .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
          .setAccessMode(
              VolumeCapability.AccessMode.newBuilder()
                  .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
          .build();

  private final FakeBucketProvisioner s3 = new FakeBucketProvisioner();
  private Server server;
  private ManagedChannel channel;
  private ControllerGrpc.ControllerBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    ControllerService controller =
        new ControllerService(
            new ControllerConfig(
                Optional.of(URI.create("http://minio:9000")), Optional.of("us-east-1"), true),
            s3,
            request ->
                new StaticCredentials("AKIADRIVER", Secret.of("driver-secret"), Optional.empty()),
            new VolumeLocks());
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new ControllerGrpcService(controller))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = ControllerGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static CreateVolumeRequest.Builder create() {
    return CreateVolumeRequest.newBuilder()
        .setName(NAME)
        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(5L << 30))
        .addVolumeCapabilities(RWX)
        .putParameters("deletePolicy", "delete")
        .putParameters("csi.storage.k8s.io/pvc/name", "data")
        .putParameters("csi.storage.k8s.io/pvc/namespace", "team-a")
        .putParameters("csi.storage.k8s.io/pv/name", NAME);
  }

  private static void assertStatus(Runnable call, Status.Code code, String description) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).isEqualTo(description);
            });
  }

  @Test
  void controllerGetCapabilities_advertisesCreateDeleteVolumeOnly() {
    assertThat(
            stub.controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList())
        .extracting(c -> c.getRpc().getType())
        .containsExactly(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME);
  }

  @Test
  void createVolume_calledTwice_returnsTheSameVolumeWithItsCapacityAndContext() {
    CreateVolumeResponse first = stub.createVolume(create().build());
    CreateVolumeResponse second = stub.createVolume(create().build());

    assertThat(second).isEqualTo(first);
    assertThat(first.getVolume().getCapacityBytes()).isEqualTo(5L << 30);
    assertThat(first.getVolume().getVolumeId()).startsWith("s3csi:1:delete:").contains(":" + NAME);
    assertThat(first.getVolume().getVolumeContextMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "bucketName", NAME,
                "endpointUrl", "http://minio:9000",
                "region", "us-east-1",
                "pathStyle", "true"));
    assertThat(s3.bucketsCreated()).isEqualTo(1);
  }

  @Test
  void createVolume_provisionerSecrets_reachTheProvisionerAsTheIdentity() {
    stub.createVolume(
        create()
            .putSecrets("accessKeyId", "AKIASC")
            .putSecrets("secretAccessKey", "sc-secret")
            .build());

    assertThat(s3.connections())
        .allSatisfy(
            c ->
                assertThat(c.credentials())
                    .isEqualTo(
                        new StaticCredentials("AKIASC", Secret.of("sc-secret"), Optional.empty())));
  }

  @Test
  void createVolume_errors_mapToTheirCodes() {
    assertStatus(
        () -> stub.createVolume(create().addVolumeCapabilities(BLOCK).build()),
        Status.Code.INVALID_ARGUMENT,
        "volume_capability.block: block access is not supported: S3 volumes are mount only");
    assertStatus(
        () ->
            stub.createVolume(
                create()
                    .setVolumeContentSource(
                        VolumeContentSource.newBuilder()
                            .setSnapshot(
                                VolumeContentSource.SnapshotSource.newBuilder()
                                    .setSnapshotId("snap")))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "volume_content_source: is not supported: s3csi creates empty volumes (no snapshots, no"
            + " clones)");
    assertStatus(
        () ->
            stub.createVolume(
                create().setCapacityRange(CapacityRange.newBuilder().setLimitBytes(-1)).build()),
        Status.Code.INVALID_ARGUMENT,
        "capacity_range.limit_bytes: must not be negative (was -1)");

    stub.createVolume(create().build());
    assertStatus(
        () -> stub.createVolume(create().putParameters("deletePolicy", "retain").build()),
        Status.Code.ALREADY_EXISTS,
        "volume "
            + NAME
            + " already exists with other parameters: deletePolicy was delete, now"
            + " retain");
    assertStatus(
        () ->
            stub.createVolume(
                create()
                    .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(6L << 30))
                    .build()),
        Status.Code.ALREADY_EXISTS,
        "volume "
            + NAME
            + " already exists with a capacity of 5368709120 bytes, outside the requested range"
            + " [required=6442450944, limit=0]");
  }

  @Test
  void createVolume_s3Failures_keepTheirKinds() {
    s3.failNext(
            Operation.CREATE_BUCKET,
            () -> DriverException.unavailable("cannot create bucket: connection refused", null))
        .failNext(
            Operation.CREATE_BUCKET,
            () -> new DriverException(ErrorKind.PERMISSION_DENIED, "AccessDenied"));

    assertStatus(
        () -> stub.createVolume(create().build()),
        Status.Code.UNAVAILABLE,
        "cannot create bucket: connection refused");
    assertStatus(
        () -> stub.createVolume(create().build()), Status.Code.PERMISSION_DENIED, "AccessDenied");
  }

  @Test
  void deleteVolume_calledTwice_deletesThenSucceedsAgain() {
    String id = stub.createVolume(create().build()).getVolume().getVolumeId();
    s3.putObject(NAME, "data.txt");
    DeleteVolumeRequest delete = DeleteVolumeRequest.newBuilder().setVolumeId(id).build();

    assertThat(stub.deleteVolume(delete)).isEqualTo(DeleteVolumeResponse.getDefaultInstance());
    assertThat(stub.deleteVolume(delete)).isEqualTo(DeleteVolumeResponse.getDefaultInstance());

    assertThat(s3.hasBucket(NAME)).isFalse();
  }

  @Test
  void deleteVolume_unknownAndMissingIds() {
    assertThat(stub.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("static").build()))
        .isEqualTo(DeleteVolumeResponse.getDefaultInstance());
    assertStatus(
        () -> stub.deleteVolume(DeleteVolumeRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "volume_id: must not be empty");
  }

  @Test
  void deleteVolume_deleteIfEmptyWithObjects_isFailedPrecondition() {
    String id =
        stub.createVolume(create().putParameters("deletePolicy", "deleteIfEmpty").build())
            .getVolume()
            .getVolumeId();
    s3.putObject(NAME, "data.txt");

    assertThatThrownBy(
            () -> stub.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription()).contains("still holds 1 object");
            });
  }

  @Test
  void validateVolumeCapabilities_mount_isConfirmedEchoingTheRequest() {
    String id = stub.createVolume(create().build()).getVolume().getVolumeId();
    ValidateVolumeCapabilitiesRequest request =
        ValidateVolumeCapabilitiesRequest.newBuilder()
            .setVolumeId(id)
            .putVolumeContext("bucketName", NAME)
            .addVolumeCapabilities(RWX)
            .putParameters("deletePolicy", "delete")
            .build();

    ValidateVolumeCapabilitiesResponse response = stub.validateVolumeCapabilities(request);

    assertThat(response)
        .isEqualTo(
            ValidateVolumeCapabilitiesResponse.newBuilder()
                .setConfirmed(
                    ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
                        .addVolumeCapabilities(RWX)
                        .putVolumeContext("bucketName", NAME)
                        .putParameters("deletePolicy", "delete"))
                .build());
    assertThat(stub.validateVolumeCapabilities(request)).isEqualTo(response);
  }

  @Test
  void validateVolumeCapabilities_block_isNotConfirmedWithAMessage() {
    String id = stub.createVolume(create().build()).getVolume().getVolumeId();

    ValidateVolumeCapabilitiesResponse response =
        stub.validateVolumeCapabilities(
            ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId(id)
                .addVolumeCapabilities(BLOCK)
                .build());

    assertThat(response.hasConfirmed()).isFalse();
    assertThat(response.getMessage())
        .isEqualTo("block access is not supported: S3 volumes are mount only");
  }

  @Test
  void validateVolumeCapabilities_missingVolume_isNotFound() {
    assertStatus(
        () ->
            stub.validateVolumeCapabilities(
                ValidateVolumeCapabilitiesRequest.newBuilder()
                    .setVolumeId("no-such-bucket")
                    .addVolumeCapabilities(RWX)
                    .build()),
        Status.Code.NOT_FOUND,
        "volume no-such-bucket does not exist: bucket no-such-bucket does not exist");
  }

  @Test
  void unadvertisedRpc_isUnimplemented() {
    assertThatThrownBy(() -> stub.listVolumes(ListVolumesRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }
}
