package io.s3csi.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.s3csi.core.credentials.CredentialProvider;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.node.VolumeLocks;
import io.s3csi.core.provisioning.CapacityRange;
import io.s3csi.core.provisioning.ControllerConfig;
import io.s3csi.core.provisioning.ControllerService;
import io.s3csi.core.provisioning.CreateVolumeRequest;
import io.s3csi.core.provisioning.DeleteResult;
import io.s3csi.core.provisioning.DeleteVolumeRequest;
import io.s3csi.core.provisioning.ProvisionedVolume;
import io.s3csi.core.provisioning.RequestedCapability;
import io.s3csi.core.provisioning.RequestedCapability.AccessType;
import io.s3csi.core.provisioning.ValidateVolumeRequest;
import io.s3csi.core.provisioning.Validation;
import io.s3csi.core.volume.AccessMode;
import io.s3csi.core.volume.VolumeContext;
import io.s3csi.testkit.junit.S3ServerExtension;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The controller use-cases on the real S3 adapter against a real S3 server: what CreateVolume and
 * DeleteVolume leave in S3 is checked through an independent SDK client.
 */
@ExtendWith(S3ServerExtension.class)
class ProvisioningIT {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final List<RequestedCapability> RWX =
      List.of(
          new RequestedCapability(
              AccessType.MOUNT, AccessMode.MULTI_NODE_MULTI_WRITER, List.of(), ""));

  private static S3BucketProvisioner provisioner;
  private static S3Client sdk;
  private ControllerService controller;
  private String name;
  private String shared;

  @BeforeAll
  static void open(EmbeddedS3Server s3) {
    provisioner = new S3BucketProvisioner(S3Fixtures.FAST);
    sdk = S3Fixtures.sdk(s3);
  }

  @AfterAll
  static void close() {
    provisioner.close();
    sdk.close();
  }

  @BeforeEach
  void fresh(EmbeddedS3Server s3) {
    controller = controller(s3);
    int n = NAMES.incrementAndGet();
    name = "pvc-0f9e2c9c-8a7d-4c1b-9d55-2f1f9a0e" + String.format("%04d", n);
    shared = "shared-" + n;
  }

  /** The driver's identity is the server's key pair, as a controller with AWS_* env would have. */
  private static ControllerService controller(EmbeddedS3Server s3) {
    CredentialProvider driver =
        request ->
            new StaticCredentials(
                s3.accessKeyId(), Secret.of(s3.secretAccessKey()), Optional.empty());
    return new ControllerService(
        new ControllerConfig(Optional.of(s3.endpoint()), Optional.of("us-east-1"), true),
        provisioner,
        driver,
        new VolumeLocks());
  }

  @Test
  void bucketMode_createWriteDelete_removesEveryObjectAndTheBucket() {
    ProvisionedVolume volume = create(Map.of("deletePolicy", "delete"));
    ProvisionedVolume again = create(Map.of("deletePolicy", "delete"));

    assertThat(again)
        .isEqualTo(new ProvisionedVolume(volume.volumeId(), 1 << 30, volume.volumeContext(), true));
    assertThat(volume.alreadyExisted()).isFalse();
    assertThat(volume.volumeContext())
        .containsEntry("bucketName", name)
        .doesNotContainKey("prefix")
        .containsEntry("pathStyle", "true");
    assertThat(keys(name)).containsExactly(".s3csi-volume");
    put(name, "data/a.txt", "a");
    put(name, "b.txt", "b");

    assertThat(delete(volume)).isEqualTo(DeleteResult.DELETED);
    assertThat(delete(volume)).isEqualTo(DeleteResult.ALREADY_GONE);

    assertThatThrownBy(() -> sdk.headBucket(r -> r.bucket(name)))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void bucketMode_volumeContext_isAcceptedAsAStaticVolume() {
    ProvisionedVolume volume = create(Map.of("fuseClient", "s3fs"));

    VolumeContext parsed = VolumeContext.parse(volume.volumeId(), volume.volumeContext());

    assertThat(parsed.bucket()).isEqualTo(name);
    assertThat(parsed.prefix()).isEmpty();
    assertThat(parsed.pathStyle()).hasValue(true);
    assertThat(parsed.region()).hasValue("us-east-1");
  }

  @Test
  void prefixMode_createWriteDelete_removesOnlyTheVolumesObjects(EmbeddedS3Server s3) {
    s3.createBucket(shared);
    s3.putObject(shared, "other/keep.txt", "x".getBytes(UTF_8));
    Map<String, String> params = Map.of("bucketName", shared, "deletePolicy", "delete");
    ProvisionedVolume volume = create(params);

    assertThat(create(params).volumeId()).isEqualTo(volume.volumeId());
    assertThat(volume.volumeContext())
        .containsEntry("bucketName", shared)
        .containsEntry("prefix", name + "/");
    assertThat(keys(shared)).containsExactly("other/keep.txt", name + "/");
    put(shared, name + "/a.txt", "a");
    put(shared, name + "/dir/b.txt", "b");

    assertThat(delete(volume)).isEqualTo(DeleteResult.DELETED);
    assertThat(delete(volume)).isEqualTo(DeleteResult.ALREADY_GONE);

    assertThat(keys(shared)).containsExactly("other/keep.txt");
  }

  @Test
  void retain_delete_keepsEveryObjectAndTheMarker(EmbeddedS3Server s3) {
    s3.createBucket(shared);
    ProvisionedVolume volume = create(Map.of("bucketName", shared));
    put(shared, name + "/a.txt", "a");

    assertThat(delete(volume)).isEqualTo(DeleteResult.RETAINED);
    assertThat(delete(volume)).isEqualTo(DeleteResult.RETAINED);

    assertThat(keys(shared)).containsExactly(name + "/", name + "/a.txt");
  }

  @Test
  void deleteIfEmpty_withObjects_failsNamingTheCountAndKeepsThem(EmbeddedS3Server s3) {
    s3.createBucket(shared);
    ProvisionedVolume volume =
        create(Map.of("bucketName", shared, "deletePolicy", "deleteIfEmpty"));
    put(shared, name + "/a.txt", "a");
    put(shared, name + "/b.txt", "b");

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> delete(volume))
          .isInstanceOfSatisfying(
              DriverException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
          .hasMessageContaining("still holds 2 objects (such as '" + name + "/a.txt')");
    }
    assertThat(keys(shared)).containsExactly(name + "/", name + "/a.txt", name + "/b.txt");

    sdk.deleteObject(r -> r.bucket(shared).key(name + "/a.txt"));
    sdk.deleteObject(r -> r.bucket(shared).key(name + "/b.txt"));

    assertThat(delete(volume)).isEqualTo(DeleteResult.DELETED);
    assertThat(keys(shared)).isEmpty();
  }

  @Test
  void deleteIfEmpty_emptyBucket_deletesTheBucket() {
    ProvisionedVolume volume = create(Map.of("deletePolicy", "deleteIfEmpty"));

    assertThat(delete(volume)).isEqualTo(DeleteResult.DELETED);

    assertThatThrownBy(() -> sdk.headBucket(r -> r.bucket(name)))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void delete_versionedBucket_removesEveryVersionThenTheBucket() {
    ProvisionedVolume volume = create(Map.of("deletePolicy", "delete"));
    sdk.putBucketVersioning(
        r -> r.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    put(name, "a.txt", "1");
    put(name, "a.txt", "2");
    sdk.deleteObject(r -> r.bucket(name).key("a.txt"));

    assertThat(delete(volume)).isEqualTo(DeleteResult.DELETED);

    assertThatThrownBy(() -> sdk.headBucket(r -> r.bucket(name)))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void createVolume_incompatibleParameters_isAlreadyExists(EmbeddedS3Server s3) {
    s3.createBucket(shared);
    create(Map.of("bucketName", shared, "deletePolicy", "retain"));

    assertThatThrownBy(() -> create(Map.of("bucketName", shared, "deletePolicy", "delete")))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
        .hasMessage(
            "volume "
                + name
                + " already exists with other parameters: deletePolicy was retain, now delete");
  }

  @Test
  void createVolume_afterControllerRestart_returnsTheSameVolume(EmbeddedS3Server s3) {
    ProvisionedVolume volume = create(Map.of());

    ProvisionedVolume again = controller(s3).createVolume(request(Map.of(), Map.of()));

    assertThat(again.volumeId()).isEqualTo(volume.volumeId());
    assertThat(again.alreadyExisted()).isTrue();
  }

  @Test
  void createVolume_concurrentSameName_createsOneBucket() throws Exception {
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    try {
      for (int i = 0; i < callers; i++) {
        Callable<String> call =
            () -> {
              start.await();
              while (true) {
                try {
                  return controller.createVolume(request(Map.of(), Map.of())).volumeId();
                } catch (DriverException e) {
                  if (e.kind() != ErrorKind.ABORTED) {
                    throw e;
                  }
                }
              }
            };
        results.add(pool.submit(call));
      }
      start.countDown();
      List<String> ids = new ArrayList<>();
      for (Future<String> result : results) {
        ids.add(result.get(60, TimeUnit.SECONDS));
      }
      assertThat(ids).hasSize(callers).containsOnly(ids.get(0));
    } finally {
      pool.shutdownNow();
    }
    assertThat(sdk.listBuckets().buckets()).filteredOn(b -> b.name().equals(name)).hasSize(1);
    assertThat(keys(name)).containsExactly(".s3csi-volume");
  }

  @Test
  void validate_existingThenDeleted_confirmsThenIsNotFound() {
    ProvisionedVolume volume = create(Map.of("deletePolicy", "delete"));
    ValidateVolumeRequest validate =
        new ValidateVolumeRequest(
            volume.volumeId(), volume.volumeContext(), RWX, Map.of(), Map.of());

    assertThat(controller.validateVolumeCapabilities(validate)).isEqualTo(Validation.CONFIRMED);
    assertThat(controller.validateVolumeCapabilities(validate)).isEqualTo(Validation.CONFIRMED);
    delete(volume);

    assertThatThrownBy(() -> controller.validateVolumeCapabilities(validate))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
        .hasMessage(
            "volume "
                + volume.volumeId()
                + " does not exist: s3://"
                + name
                + "/ holds no s3csi marker for it");
  }

  @Test
  void validate_staticVolume_checksItsBucket(EmbeddedS3Server s3) {
    s3.createBucket(shared);
    Map<String, String> context = Map.of("bucketName", shared, "prefix", "data/");

    assertThat(
            controller.validateVolumeCapabilities(
                new ValidateVolumeRequest("static-pv", context, RWX, Map.of(), Map.of())))
        .isEqualTo(Validation.CONFIRMED);
    assertThatThrownBy(
            () ->
                controller.validateVolumeCapabilities(
                    new ValidateVolumeRequest(
                        "static-pv",
                        Map.of("bucketName", "no-such-bucket"),
                        RWX,
                        Map.of(),
                        Map.of())))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
        .hasMessage("volume static-pv does not exist: bucket no-such-bucket does not exist");
  }

  @Test
  void createVolume_provisionerSecretWithWrongKey_isPermissionDenied(EmbeddedS3Server s3) {
    Map<String, Secret> secrets =
        Map.of("accessKeyId", Secret.of(s3.accessKeyId()), "secretAccessKey", Secret.of("wrong"));

    assertThatThrownBy(() -> controller.createVolume(request(Map.of(), secrets)))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED))
        .hasMessageStartingWith("cannot create bucket " + name + ": S3 refuses the identity");
    assertThat(sdk.listBuckets().buckets()).noneMatch(b -> b.name().equals(name));
  }

  @Test
  void createVolume_provisionerSecret_isTheIdentityUsed(EmbeddedS3Server s3) {
    Map<String, Secret> secrets =
        Map.of(
            "key_id", Secret.of(s3.accessKeyId()),
            "access_key", Secret.of(s3.secretAccessKey()));
    ControllerService noDriverIdentity =
        new ControllerService(
            new ControllerConfig(Optional.of(s3.endpoint()), Optional.empty(), true),
            provisioner,
            request -> {
              throw new AssertionError("the driver identity must not be used");
            },
            new VolumeLocks());

    ProvisionedVolume volume = noDriverIdentity.createVolume(request(Map.of(), secrets));

    assertThat(keys(name)).containsExactly(".s3csi-volume");
    assertThat(volume.volumeContext()).doesNotContainKey("region");
  }

  @Test
  void createAndDelete_serverStopped_areUnavailable(EmbeddedS3Server s3) {
    ProvisionedVolume volume = create(Map.of("deletePolicy", "delete"));
    s3.stop();
    try {
      assertThatThrownBy(() -> create(Map.of("deletePolicy", "delete")))
          .isInstanceOfSatisfying(
              DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
      assertThatThrownBy(() -> delete(volume))
          .isInstanceOfSatisfying(
              DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    } finally {
      s3.restart();
    }
    // As the external-provisioner does: retry while UNAVAILABLE. The first calls after a restart
    // may meet connections the JDK's keep-alive cache still holds to the old server.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsMatching(
            e -> e instanceof DriverException d && d.kind() == ErrorKind.UNAVAILABLE)
        .untilAsserted(
            () -> assertThat(delete(volume)).isIn(DeleteResult.DELETED, DeleteResult.ALREADY_GONE));
  }

  private ProvisionedVolume create(Map<String, String> params) {
    return controller.createVolume(request(params, Map.of()));
  }

  private CreateVolumeRequest request(Map<String, String> params, Map<String, Secret> secrets) {
    Map<String, String> withMetadata = new HashMap<>(params);
    withMetadata.put("csi.storage.k8s.io/pv/name", name);
    withMetadata.put("csi.storage.k8s.io/pvc/name", "data");
    withMetadata.put("csi.storage.k8s.io/pvc/namespace", "team-a");
    return new CreateVolumeRequest(
        name, new CapacityRange(1 << 30, 0), RWX, withMetadata, secrets, false);
  }

  private DeleteResult delete(ProvisionedVolume volume) {
    return controller.deleteVolume(new DeleteVolumeRequest(volume.volumeId(), Map.of()));
  }

  private static void put(String bucket, String key, String content) {
    sdk.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content, UTF_8));
  }

  private static List<String> keys(String bucket) {
    return sdk.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }
}
