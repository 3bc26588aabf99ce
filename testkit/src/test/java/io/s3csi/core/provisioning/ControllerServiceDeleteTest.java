package io.s3csi.core.provisioning;

import static io.s3csi.core.provisioning.ControllerServiceTest.DEFAULTS;
import static io.s3csi.core.provisioning.ControllerServiceTest.DRIVER;
import static io.s3csi.core.provisioning.ControllerServiceTest.NAME;
import static io.s3csi.core.provisioning.ControllerServiceTest.RWX;
import static io.s3csi.core.provisioning.ControllerServiceTest.assertKind;
import static io.s3csi.core.provisioning.ControllerServiceTest.create;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.node.VolumeLocks;
import io.s3csi.core.provisioning.RequestedCapability.AccessType;
import io.s3csi.core.volume.AccessMode;
import io.s3csi.testkit.provisioning.FakeBucketProvisioner;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DeleteVolume and ValidateVolumeCapabilities against {@link FakeBucketProvisioner}. */
class ControllerServiceDeleteTest {
  private FakeBucketProvisioner s3;
  private ControllerService controller;

  @BeforeEach
  void setUp() {
    s3 = new FakeBucketProvisioner();
    controller = new ControllerService(DEFAULTS, s3, request -> DRIVER, new VolumeLocks());
  }

  private String provision(Map<String, String> params) {
    return controller.createVolume(create(params)).volumeId();
  }

  private DeleteResult delete(String id) {
    return controller.deleteVolume(new DeleteVolumeRequest(id, Map.of()));
  }

  @Test
  void retain_calledTwice_keepsEverythingWithoutTouchingS3() {
    String id = provision(Map.of());
    s3.putObject(NAME, "data.txt");
    s3.clearCalls();

    assertThat(delete(id)).isEqualTo(DeleteResult.RETAINED);
    assertThat(delete(id)).isEqualTo(DeleteResult.RETAINED);

    assertThat(s3.calls()).isEmpty();
    assertThat(s3.keys(NAME)).containsExactly(".s3csi-volume", "data.txt");
  }

  @Test
  void delete_calledTwice_removesObjectsMarkerAndBucketThenReportsGone() {
    String id = provision(Map.of("deletePolicy", "delete"));
    s3.putObject(NAME, "a.txt").putObject(NAME, "dir/b.txt").addNoncurrentVersions(NAME, 3);

    assertThat(delete(id)).isEqualTo(DeleteResult.DELETED);
    assertThat(delete(id)).isEqualTo(DeleteResult.ALREADY_GONE);

    assertThat(s3.hasBucket(NAME)).isFalse();
  }

  @Test
  void delete_deletesObjectsFirstAndTheMarkerLast() {
    String id = provision(Map.of("deletePolicy", "delete"));
    s3.clearCalls();

    delete(id);

    assertThat(s3.calls())
        .containsSubsequence(
            "deleteObjects " + NAME + "/",
            "deleteObject " + NAME + "/.s3csi-volume",
            "deleteBucket " + NAME);
  }

  @Test
  void delete_markerInPlace_startsWithItAndDeletesTheObjectsAndMarkerInOneStep() {
    String id = provision(Map.of("deletePolicy", "delete"));
    s3.clearCalls();

    delete(id);

    // deleteObjects + deleteObject is the port's default deleteObjectsThenKey, which the fake keeps
    assertThat(s3.calls())
        .containsExactly(
            "readMarker " + NAME + "/.s3csi-volume",
            "deleteObjects " + NAME + "/",
            "deleteObject " + NAME + "/.s3csi-volume",
            "deleteBucket " + NAME);
  }

  @Test
  void delete_bucketGone_looksAtTheBucketOnlyAfterTheMissingMarker() {
    String id = provision(Map.of("deletePolicy", "delete"));
    delete(id);
    s3.clearCalls();

    assertThat(delete(id)).isEqualTo(DeleteResult.ALREADY_GONE);

    assertThat(s3.calls())
        .containsExactly("readMarker " + NAME + "/.s3csi-volume", "bucketExists " + NAME);
  }

  @Test
  void delete_prefixMode_removesOnlyThePrefix() {
    s3.addBucket("shared").putObject("shared", "other/keep.txt");
    String id = provision(Map.of("bucketName", "shared", "deletePolicy", "delete"));
    s3.putObject("shared", NAME + "/a.txt");

    assertThat(delete(id)).isEqualTo(DeleteResult.DELETED);
    assertThat(delete(id)).isEqualTo(DeleteResult.ALREADY_GONE);

    assertThat(s3.keys("shared")).containsExactly("other/keep.txt");
  }

  @Test
  void deleteIfEmpty_withObjects_isFailedPreconditionNamingTheCount() {
    String id = provision(Map.of("deletePolicy", "deleteIfEmpty"));
    s3.putObject(NAME, "a.txt").putObject(NAME, "b.txt").putObject(NAME, "c.txt");

    for (int attempt = 0; attempt < 2; attempt++) {
      assertKind(
          () -> delete(id),
          ErrorKind.FAILED_PRECONDITION,
          "volume "
              + NAME
              + " has deletePolicy deleteIfEmpty and s3://"
              + NAME
              + "/ still holds 3 objects (such as 'a.txt'); its data is kept. Empty it to let the"
              + " deletion finish, or keep the data and remove the marker .s3csi-volume to"
              + " release it");
    }
    assertThat(s3.keys(NAME)).containsExactly(".s3csi-volume", "a.txt", "b.txt", "c.txt");
  }

  @Test
  void deleteIfEmpty_moreObjectsThanCounted_saysMoreThan() {
    s3.addBucket("shared");
    String id = provision(Map.of("bucketName", "shared", "deletePolicy", "deleteIfEmpty"));
    for (int i = 0; i < ControllerService.COUNT_LIMIT + 5; i++) {
      s3.putObject("shared", NAME + "/" + String.format("%05d", i));
    }

    assertKind(
        () -> delete(id),
        ErrorKind.FAILED_PRECONDITION,
        "volume "
            + NAME
            + " has deletePolicy deleteIfEmpty and s3://shared/"
            + NAME
            + "/ still holds more than 1000 objects (such as '"
            + NAME
            + "/00000'); its data is kept. Empty it to let the deletion finish, or keep the data"
            + " and remove the marker "
            + NAME
            + "/ to release it");
  }

  @Test
  void deleteIfEmpty_empty_deletesMarkerAndBucket() {
    String id = provision(Map.of("deletePolicy", "deleteIfEmpty"));

    assertThat(delete(id)).isEqualTo(DeleteResult.DELETED);

    assertThat(s3.hasBucket(NAME)).isFalse();
  }

  @Test
  void deleteIfEmpty_bucketWithNoncurrentVersions_failsAtTheBucketAndRetriesTheSame() {
    String id = provision(Map.of("deletePolicy", "deleteIfEmpty"));
    s3.addNoncurrentVersions(NAME, 2);

    for (int attempt = 0; attempt < 2; attempt++) {
      assertKind(
          () -> delete(id),
          ErrorKind.FAILED_PRECONDITION,
          "bucket " + NAME + " is not empty (BucketNotEmpty): 0 objects, 2 noncurrent versions");
    }
    assertThat(s3.hasBucket(NAME)).isTrue();
  }

  @Test
  void delete_objectLock_isFailedPreconditionAndKeepsTheMarkerForTheRetry() {
    String id = provision(Map.of("deletePolicy", "delete"));
    s3.putObject(NAME, "a.txt").enableObjectLock(NAME);

    assertKind(
        () -> delete(id),
        ErrorKind.FAILED_PRECONDITION,
        "bucket " + NAME + " has Object Lock enabled; s3csi does not bypass retention");

    assertThat(s3.keys(NAME)).containsExactly(".s3csi-volume", "a.txt");
  }

  @Test
  void locationTakenOverByAnotherVolume_isLeftAlone() {
    s3.addBucket("shared");
    String id = provision(Map.of("bucketName", "shared", "deletePolicy", "delete"));
    // The volume was deleted out of band and another one now owns the prefix.
    s3.putObject(
        "shared", NAME + "/", new VolumeMarker("pvc-newer", new TreeMap<>(), 0).toMetadata());
    s3.putObject("shared", NAME + "/new-data.txt");

    assertThat(delete(id)).isEqualTo(DeleteResult.ALREADY_GONE);

    assertThat(s3.keys("shared")).containsExactly(NAME + "/", NAME + "/new-data.txt");
  }

  @Test
  void objectsWithoutMarker_areNeverDeleted() {
    String id = provision(Map.of("deletePolicy", "delete"));
    s3.removeObject(NAME, ".s3csi-volume");
    s3.putObject(NAME, "x.txt");

    assertKind(
        () -> delete(id),
        ErrorKind.FAILED_PRECONDITION,
        "s3://"
            + NAME
            + "/ holds 1 object (such as 'x.txt') but no s3csi marker of volume "
            + id
            + ", so nothing proves s3csi provisioned them and they are left alone; delete them"
            + " by hand if they belong to the volume, and the provisioner's retry completes the"
            + " deletion");
    assertThat(s3.keys(NAME)).containsExactly("x.txt");
  }

  @Test
  void emptyBucketWithoutMarker_isDeleted() {
    String id = provision(Map.of("deletePolicy", "deleteIfEmpty"));
    s3.removeObject(NAME, ".s3csi-volume");

    assertThat(delete(id)).isEqualTo(DeleteResult.DELETED);
    assertThat(s3.hasBucket(NAME)).isFalse();
  }

  @Test
  void staticVolumeHandle_isNotProvisionedAndUntouched() {
    s3.addBucket("static-bucket").putObject("static-bucket", "data");

    assertThat(delete("static-bucket/prefix")).isEqualTo(DeleteResult.NOT_PROVISIONED);

    assertThat(s3.calls()).isEmpty();
  }

  @Test
  void badIds_areInvalidArgument() {
    assertKind(() -> delete(""), ErrorKind.INVALID_ARGUMENT, "volume_id: must not be empty");
    assertKind(
        () -> delete("s3csi:7:delete:0123456789ab:b-1"),
        ErrorKind.INVALID_ARGUMENT,
        "volume_id: 's3csi:7:delete:0123456789ab:b-1' is not a valid s3csi volume id: version 7"
            + " is not known to this driver; upgrade it");
  }

  @Test
  void validate_existingVolume_confirmsTwice() {
    String id = provision(Map.of());
    ValidateVolumeRequest request =
        new ValidateVolumeRequest(id, Map.of(), List.of(RWX), Map.of(), Map.of());

    assertThat(controller.validateVolumeCapabilities(request)).isEqualTo(Validation.CONFIRMED);
    assertThat(controller.validateVolumeCapabilities(request)).isEqualTo(Validation.CONFIRMED);
  }

  @Test
  void validate_block_isNotConfirmed() {
    String id = provision(Map.of());

    Validation validation =
        controller.validateVolumeCapabilities(
            new ValidateVolumeRequest(
                id,
                Map.of(),
                List.of(
                    RWX,
                    new RequestedCapability(
                        AccessType.BLOCK, AccessMode.SINGLE_NODE_WRITER, List.of(), "")),
                Map.of(),
                Map.of()));

    assertThat(validation)
        .isEqualTo(
            Validation.unconfirmed("block access is not supported: S3 volumes are mount only"));
  }

  @Test
  void validate_deletedVolume_isNotFound() {
    String id = provision(Map.of("deletePolicy", "delete"));
    delete(id);

    assertKind(
        () ->
            controller.validateVolumeCapabilities(
                new ValidateVolumeRequest(id, Map.of(), List.of(RWX), Map.of(), Map.of())),
        ErrorKind.NOT_FOUND,
        "volume " + id + " does not exist: s3://" + NAME + "/ holds no s3csi marker for it");
  }

  @Test
  void validate_staticVolume_checksItsBucketOnTheVolumesEndpoint() {
    s3.addBucket("static-bucket");

    assertThat(
            controller.validateVolumeCapabilities(
                new ValidateVolumeRequest(
                    "static-bucket/data",
                    Map.of("endpointUrl", "https://other.example"),
                    List.of(RWX),
                    Map.of(),
                    Map.of())))
        .isEqualTo(Validation.CONFIRMED);
    assertThat(s3.connections().get(0).endpoint()).hasValue(URI.create("https://other.example"));
    assertKind(
        () ->
            controller.validateVolumeCapabilities(
                new ValidateVolumeRequest(
                    "missing-bucket", Map.of(), List.of(RWX), Map.of(), Map.of())),
        ErrorKind.NOT_FOUND,
        "volume missing-bucket does not exist: bucket missing-bucket does not exist");
  }

  @Test
  void validate_badRequests_areInvalidArgument() {
    String id = provision(Map.of());

    assertKind(
        () ->
            controller.validateVolumeCapabilities(
                new ValidateVolumeRequest(id, Map.of(), List.of(), Map.of(), Map.of())),
        ErrorKind.INVALID_ARGUMENT,
        "volume_capabilities: must not be empty");
    assertKind(
        () ->
            controller.validateVolumeCapabilities(
                new ValidateVolumeRequest(
                    id,
                    Map.of(),
                    List.of(new RequestedCapability(AccessType.MOUNT, null, List.of(), "")),
                    Map.of(),
                    Map.of())),
        ErrorKind.INVALID_ARGUMENT,
        "volume_capability.access_mode: must be set to a known CSI access mode");
    assertKind(
        () ->
            controller.validateVolumeCapabilities(
                new ValidateVolumeRequest(
                    id, Map.of(), List.of(RWX), Map.of("deletePolicy", "never"), Map.of())),
        ErrorKind.INVALID_ARGUMENT,
        "deletePolicy: must be one of retain, deleteIfEmpty, delete (was 'never')");
  }
}
