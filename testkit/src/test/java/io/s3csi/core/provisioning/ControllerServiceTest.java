package io.s3csi.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.node.VolumeLocks;
import io.s3csi.core.provisioning.RequestedCapability.AccessType;
import io.s3csi.core.volume.AccessMode;
import io.s3csi.testkit.provisioning.FakeBucketProvisioner;
import io.s3csi.testkit.provisioning.FakeBucketProvisioner.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The controller use-cases against {@link FakeBucketProvisioner}. The test lives in testkit because
 * testkit depends on core: core's own tests cannot see the fake.
 */
class ControllerServiceTest {
  static final String NAME = "pvc-0f9e2c9c-8a7d-4c1b-9d55-2f1f9a0e5b61";
  static final Credentials DRIVER =
      new StaticCredentials("AKIADRIVER", Secret.of("driver-secret"), Optional.empty());
  static final ControllerConfig DEFAULTS =
      new ControllerConfig(
          Optional.of(URI.create("http://minio.minio.svc:9000")), Optional.of("us-east-1"), true);
  static final RequestedCapability RWX =
      new RequestedCapability(AccessType.MOUNT, AccessMode.MULTI_NODE_MULTI_WRITER, List.of(), "");

  FakeBucketProvisioner s3;
  ControllerService controller;

  @BeforeEach
  void setUp() {
    s3 = new FakeBucketProvisioner();
    controller = new ControllerService(DEFAULTS, s3, request -> DRIVER, new VolumeLocks());
  }

  static CreateVolumeRequest create(Map<String, String> params) {
    return create(params, new CapacityRange(1 << 30, 0), Map.of());
  }

  static CreateVolumeRequest create(
      Map<String, String> params, CapacityRange capacity, Map<String, Secret> secrets) {
    return new CreateVolumeRequest(NAME, capacity, List.of(RWX), params, secrets, false);
  }

  static void assertKind(ThrowingCallable call, ErrorKind kind, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(kind))
        .hasMessage(message);
  }

  @Nested
  class CreateVolume {

    @Test
    void bucketMode_calledTwice_createsOneBucketWithAMarkerAndReturnsTheSameVolume() {
      ProvisionedVolume first = controller.createVolume(create(Map.of()));
      ProvisionedVolume second = controller.createVolume(create(Map.of()));

      assertThat(first.alreadyExisted()).isFalse();
      assertThat(second)
          .isEqualTo(new ProvisionedVolume(first.volumeId(), 1 << 30, first.volumeContext(), true));
      assertThat(first.volumeId())
          .matches(
              "s3csi:1:retain:[0-9a-f]{12}:"
                  + NAME
                  + ";endpoint=http://minio.minio.svc:9000;region=us-east-1;pathStyle=true");
      assertThat(first.volumeContext())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "bucketName", NAME,
                  "endpointUrl", "http://minio.minio.svc:9000",
                  "region", "us-east-1",
                  "pathStyle", "true"));
      assertThat(s3.bucketsCreated()).isEqualTo(1);
      assertThat(s3.keys(NAME)).containsExactly(".s3csi-volume");
      assertThat(s3.metadata(NAME, ".s3csi-volume").orElseThrow())
          .containsEntry("s3csi-volume", NAME)
          .containsEntry("s3csi-capacity-bytes", "1073741824");
    }

    @Test
    void prefixMode_calledTwice_writesOneMarkerInTheSharedBucket() {
      s3.addBucket("shared").putObject("shared", "other/x");
      Map<String, String> params =
          Map.of("bucketName", "shared", "fuseClient", "s3fs", "authenticationSource", "secret");

      ProvisionedVolume first = controller.createVolume(create(params));
      ProvisionedVolume second = controller.createVolume(create(params));

      assertThat(second.volumeId()).isEqualTo(first.volumeId());
      assertThat(second.alreadyExisted()).isTrue();
      assertThat(first.volumeContext())
          .containsEntry("bucketName", "shared")
          .containsEntry("prefix", NAME + "/")
          .containsEntry("fuseClient", "s3fs")
          .containsEntry("authenticationSource", "secret");
      assertThat(s3.keys("shared")).containsExactly("other/x", NAME + "/");
      assertThat(s3.bucketsCreated()).isZero();
    }

    @Test
    void storageClassConnection_overridesTheDriverDefaults() {
      ProvisionedVolume volume =
          controller.createVolume(
              create(
                  Map.of(
                      "endpointUrl", "https://s3.eu.example",
                      "region", "eu-west-1",
                      "pathStyle", "false")));

      assertThat(s3.connections())
          .allSatisfy(
              c ->
                  assertThat(c)
                      .isEqualTo(
                          new Connection(
                              Optional.of(URI.create("https://s3.eu.example")),
                              Optional.of("eu-west-1"),
                              false,
                              DRIVER)));
      assertThat(volume.volumeContext())
          .containsEntry("endpointUrl", "https://s3.eu.example")
          .containsEntry("region", "eu-west-1")
          .containsEntry("pathStyle", "false");
    }

    @Test
    void provisionerSecrets_areTheIdentityUsed() {
      controller.createVolume(
          create(
              Map.of(),
              CapacityRange.UNSET,
              Map.of("accessKeyId", Secret.of("AKIASC"), "secretAccessKey", Secret.of("sc"))));

      assertThat(s3.connections())
          .extracting(Connection::credentials)
          .containsOnly(new StaticCredentials("AKIASC", Secret.of("sc"), Optional.empty()));
    }

    @Test
    void provisionerSecretsWithoutKeyId_isInvalidArgumentNamingTheKey() {
      assertThatThrownBy(
              () ->
                  controller.createVolume(
                      create(
                          Map.of(),
                          CapacityRange.UNSET,
                          Map.of("secretAccessKey", Secret.of("sc")))))
          .isInstanceOfSatisfying(
              InvalidArgumentException.class,
              e -> assertThat(e.field()).isEqualTo("secrets.accessKeyId"));
      assertThat(s3.calls()).isEmpty();
    }

    @Test
    void otherDeletePolicy_isAlreadyExistsNamingTheDifference() {
      controller.createVolume(create(Map.of("deletePolicy", "retain")));

      assertKind(
          () -> controller.createVolume(create(Map.of("deletePolicy", "delete"))),
          ErrorKind.ALREADY_EXISTS,
          "volume "
              + NAME
              + " already exists with other parameters: deletePolicy was retain, now"
              + " delete");
    }

    @Test
    void capacityOutsideTheNewRange_isAlreadyExists() {
      controller.createVolume(create(Map.of()));

      assertKind(
          () -> controller.createVolume(create(Map.of(), new CapacityRange(2L << 30, 0), Map.of())),
          ErrorKind.ALREADY_EXISTS,
          "volume "
              + NAME
              + " already exists with a capacity of 1073741824 bytes, outside the requested range"
              + " [required=2147483648, limit=0]");
    }

    @Test
    void capacityInsideTheNewRange_returnsTheRecordedCapacity() {
      controller.createVolume(create(Map.of()));

      ProvisionedVolume again =
          controller.createVolume(create(Map.of(), new CapacityRange(1, 4L << 30), Map.of()));

      assertThat(again.capacityBytes()).isEqualTo(1 << 30);
    }

    @Test
    void templateGivingTwoVolumesOneLocation_isAlreadyExists() {
      s3.addBucket("shared");
      Map<String, String> params =
          new HashMap<>(
              Map.of(
                  "bucketName", "shared",
                  "nameTemplate", "${pvc.namespace}-${pvc.name}",
                  "csi.storage.k8s.io/pvc/name", "data",
                  "csi.storage.k8s.io/pvc/namespace", "team-a"));
      controller.createVolume(create(params));

      assertKind(
          () ->
              controller.createVolume(
                  new CreateVolumeRequest(
                      "pvc-other", CapacityRange.UNSET, List.of(RWX), params, Map.of(), false)),
          ErrorKind.ALREADY_EXISTS,
          "s3://shared/team-a-data/ already holds volume "
              + NAME
              + "; the nameTemplate gives volume pvc-other the same location: use ${pv.name} in"
              + " it");
    }

    @Test
    void locationHoldingForeignObjects_isAlreadyExistsAndUntouched() {
      s3.addBucket(NAME).putObject(NAME, "someone/else.txt");

      assertKind(
          () -> controller.createVolume(create(Map.of())),
          ErrorKind.ALREADY_EXISTS,
          "s3://"
              + NAME
              + "/ already holds objects that s3csi did not provision (such as"
              + " 'someone/else.txt'); choose another nameTemplate or bucketNamePrefix, or mount it"
              + " as a static volume");
      assertThat(s3.keys(NAME)).containsExactly("someone/else.txt");
    }

    @Test
    void prefixWithOnlyAForeignDirectoryObject_isTakenOver() {
      s3.addBucket("shared").putObject("shared", NAME + "/");

      controller.createVolume(create(Map.of("bucketName", "shared")));

      assertThat(s3.metadata("shared", NAME + "/").orElseThrow())
          .containsEntry("s3csi-volume", NAME);
    }

    @Test
    void bucketOwnedByAnotherAccount_isAlreadyExists() {
      s3.addForeignBucket(NAME);

      assertKind(
          () -> controller.createVolume(create(Map.of())),
          ErrorKind.ALREADY_EXISTS,
          "bucket " + NAME + " is owned by another account (BucketAlreadyExists)");
    }

    @Test
    void prefixModeWithoutItsBucket_isFailedPrecondition() {
      assertKind(
          () -> controller.createVolume(create(Map.of("bucketName", "shared"))),
          ErrorKind.FAILED_PRECONDITION,
          "bucketName shared does not exist; provisioningMode prefix creates volumes inside an"
              + " existing bucket: create it first");
    }

    @Test
    void failureAfterTheBucketWasCreated_isCompletedByTheRetry() {
      s3.failNext(
          Operation.WRITE_MARKER, () -> DriverException.unavailable("S3 is busy (SlowDown)", null));

      assertKind(
          () -> controller.createVolume(create(Map.of())),
          ErrorKind.UNAVAILABLE,
          "S3 is busy (SlowDown)");
      ProvisionedVolume retried = controller.createVolume(create(Map.of()));

      assertThat(retried.alreadyExisted()).isFalse();
      assertThat(s3.keys(NAME)).containsExactly(".s3csi-volume");
      assertThat(s3.bucketsCreated()).isEqualTo(1);
    }

    @Test
    void blockCapability_isInvalidArgumentBeforeAnyS3Call() {
      CreateVolumeRequest block =
          new CreateVolumeRequest(
              NAME,
              CapacityRange.UNSET,
              List.of(
                  RWX,
                  new RequestedCapability(
                      AccessType.BLOCK, AccessMode.SINGLE_NODE_WRITER, List.of(), "")),
              Map.of(),
              Map.of(),
              false);

      assertKind(
          () -> controller.createVolume(block),
          ErrorKind.INVALID_ARGUMENT,
          "volume_capability.block: block access is not supported: S3 volumes are mount only");
      assertThat(s3.calls()).isEmpty();
    }

    @Test
    void badRequests_areInvalidArgumentNamingTheField() {
      assertKind(
          () ->
              controller.createVolume(
                  new CreateVolumeRequest(
                      " ", CapacityRange.UNSET, List.of(RWX), Map.of(), Map.of(), false)),
          ErrorKind.INVALID_ARGUMENT,
          "name: must not be empty");
      assertKind(
          () ->
              controller.createVolume(
                  new CreateVolumeRequest(
                      NAME, CapacityRange.UNSET, List.of(), Map.of(), Map.of(), false)),
          ErrorKind.INVALID_ARGUMENT,
          "volume_capabilities: must not be empty");
      assertKind(
          () ->
              controller.createVolume(
                  new CreateVolumeRequest(
                      NAME, CapacityRange.UNSET, List.of(RWX), Map.of(), Map.of(), true)),
          ErrorKind.INVALID_ARGUMENT,
          "volume_content_source: is not supported: s3csi creates empty volumes (no snapshots,"
              + " no clones)");
      assertKind(
          () -> controller.createVolume(create(Map.of("bukcetName", "x"))),
          ErrorKind.INVALID_ARGUMENT,
          "bukcetName: unknown StorageClass parameter; known parameters are"
              + " authenticationSource, bucketName, bucketNamePrefix, deletePolicy, endpointUrl,"
              + " fuseClient, nameTemplate, pathStyle, provisioningMode, region, stsRegion and"
              + " csi.storage.k8s.io/*");
      assertThat(s3.calls()).isEmpty();
    }

    @Test
    void concurrentCallsForOneName_createOneBucket() throws Exception {
      s3.holdCreateBucket();
      CompletableFuture<ProvisionedVolume> first =
          CompletableFuture.supplyAsync(() -> controller.createVolume(create(Map.of())));
      assertThat(s3.awaitHeldCreateBucket(Duration.ofSeconds(10))).isTrue();

      assertThatThrownBy(() -> controller.createVolume(create(Map.of())))
          .isInstanceOfSatisfying(
              DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ABORTED))
          .hasMessageStartingWith("an operation on volume " + NAME + " (s3://" + NAME + "/)");
      s3.release();
      ProvisionedVolume created = first.get(10, TimeUnit.SECONDS);
      ProvisionedVolume retried = controller.createVolume(create(Map.of()));

      assertThat(retried.volumeId()).isEqualTo(created.volumeId());
      assertThat(s3.bucketsCreated()).isEqualTo(1);
    }

    @Test
    void newBucket_writesTheMarkerWithoutLookingInside() {
      controller.createVolume(create(Map.of()));

      assertThat(s3.calls())
          .containsExactly("createBucket " + NAME, "writeMarker " + NAME + "/.s3csi-volume");
    }

    @Test
    void existingEmptyBucket_isCheckedByOneListingBeforeTheMarker() {
      s3.addBucket(NAME);

      ProvisionedVolume volume = controller.createVolume(create(Map.of()));

      assertThat(volume.alreadyExisted()).isFalse();
      assertThat(s3.calls())
          .containsExactly(
              "createBucket " + NAME,
              "listKeys " + NAME + "/",
              "writeMarker " + NAME + "/.s3csi-volume");
    }

    @Test
    void calledTwice_secondReadsTheMarkerItsListingShows() {
      controller.createVolume(create(Map.of()));
      s3.clearCalls();

      assertThat(controller.createVolume(create(Map.of())).alreadyExisted()).isTrue();

      assertThat(s3.calls())
          .containsExactly(
              "createBucket " + NAME,
              "listKeys " + NAME + "/",
              "readMarker " + NAME + "/.s3csi-volume");
    }

    @Test
    void twoControllersAtOnce_bothReturnTheOneVolume() throws Exception {
      ControllerService other =
          new ControllerService(DEFAULTS, s3, request -> DRIVER, new VolumeLocks());
      s3.holdCreateBucket();
      CompletableFuture<ProvisionedVolume> first =
          CompletableFuture.supplyAsync(() -> controller.createVolume(create(Map.of())));
      CompletableFuture<ProvisionedVolume> second =
          CompletableFuture.supplyAsync(() -> other.createVolume(create(Map.of())));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s3.calls().stream().filter(c -> c.startsWith("createBucket")).count() == 2);

      s3.release();

      ProvisionedVolume one = first.get(10, TimeUnit.SECONDS);
      ProvisionedVolume two = second.get(10, TimeUnit.SECONDS);
      assertThat(two.volumeId()).isEqualTo(one.volumeId());
      assertThat(s3.bucketsCreated()).isEqualTo(1);
      assertThat(s3.keys(NAME)).containsExactly(".s3csi-volume");
      assertThat(s3.metadata(NAME, ".s3csi-volume").orElseThrow())
          .containsEntry("s3csi-volume", NAME);
    }

    @Test
    void anotherControllerInstance_findsTheVolumeThroughItsMarker() {
      ProvisionedVolume volume = controller.createVolume(create(Map.of()));
      ControllerService restarted =
          new ControllerService(DEFAULTS, s3, request -> DRIVER, new VolumeLocks());

      assertThat(restarted.createVolume(create(Map.of())))
          .isEqualTo(
              new ProvisionedVolume(volume.volumeId(), 1 << 30, volume.volumeContext(), true));
    }
  }
}
