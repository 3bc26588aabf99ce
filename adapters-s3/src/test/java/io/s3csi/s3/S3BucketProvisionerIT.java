package io.s3csi.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.provisioning.BucketCreation;
import io.s3csi.core.provisioning.Connection;
import io.s3csi.testkit.junit.S3ServerExtension;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The port contract of {@link S3BucketProvisioner}, against a real S3 server (S3Proxy). */
@ExtendWith(S3ServerExtension.class)
class S3BucketProvisionerIT {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static S3BucketProvisioner provisioner;
  private static S3Client sdk;
  private Connection connection;
  private String bucket;

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
    connection = S3Fixtures.connection(s3);
    bucket = "it-bucket-" + NAMES.incrementAndGet();
  }

  @Test
  void createBucket_calledTwice_createsThenReportsOwned() {
    // An S3-compatible endpoint's 200 OK does not prove a new bucket (Ceph RGW answers it to
    // re-creating one's own bucket too), so only BucketAlreadyOwnedByYou is told apart.
    assertThat(provisioner.createBucket(connection, bucket))
        .isEqualTo(BucketCreation.CREATED_OR_OWNED);
    assertThat(provisioner.createBucket(connection, bucket))
        .isEqualTo(BucketCreation.ALREADY_OWNED);

    assertThat(sdk.listBuckets().buckets()).anyMatch(b -> b.name().equals(bucket));
  }

  @Test
  void createBucket_nameTheSdkRejects_isInvalidArgumentNamingBucketName() {
    assertThatThrownBy(() -> provisioner.createBucket(connection, "Not_A_Bucket"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("bucketName"))
        .hasMessageStartingWith(
            "bucketName: S3 rejects the bucket name: cannot create bucket Not_A_Bucket (Bucket name"
                + " should not contain uppercase characters)");
  }

  @Test
  void bucketExists_beforeAndAfterCreation_tellsTheTruth() {
    assertThat(provisioner.bucketExists(connection, bucket)).isFalse();
    provisioner.createBucket(connection, bucket);
    assertThat(provisioner.bucketExists(connection, bucket)).isTrue();
  }

  @Test
  void writeMarker_thenReadMarker_roundTripsTheUserMetadata() {
    provisioner.createBucket(connection, bucket);
    Map<String, String> metadata =
        Map.of("s3csi-volume", "pvc-1", "s3csi-parameters", "a=b&c=d%3B");

    provisioner.writeMarker(connection, bucket, "pvc-1/", metadata);
    provisioner.writeMarker(connection, bucket, "pvc-1/", metadata);

    assertThat(provisioner.readMarker(connection, bucket, "pvc-1/")).hasValue(metadata);
    assertThat(sdk.headObject(r -> r.bucket(bucket).key("pvc-1/")).contentLength()).isZero();
  }

  @Test
  void readMarker_missingObjectOrBucket_isEmpty() {
    provisioner.createBucket(connection, bucket);

    assertThat(provisioner.readMarker(connection, bucket, "nothing/")).isEmpty();
    assertThat(provisioner.readMarker(connection, bucket + "-missing", "nothing/")).isEmpty();
  }

  @Test
  void writeMarker_missingBucket_isNotFound() {
    assertThatThrownBy(() -> provisioner.writeMarker(connection, bucket, "k", Map.of()))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
        .hasMessageContaining("NoSuchBucket");
  }

  @Test
  void listKeys_moreKeysThanOnePage_paginatesUpToTheLimit(EmbeddedS3Server s3) {
    s3.createBucket(bucket);
    IntStream.range(0, 1005)
        .forEach(i -> s3.putObject(bucket, String.format("p/%05d", i), new byte[0]));
    s3.putObject(bucket, "q/other", new byte[0]);

    List<String> keys = provisioner.listKeys(connection, bucket, "p/", 1003);
    List<String> all = provisioner.listKeys(connection, bucket, "", 5000);

    assertThat(keys).hasSize(1003).startsWith("p/00000").endsWith("p/01002");
    assertThat(all).hasSize(1006).endsWith("q/other");
    assertThat(provisioner.listKeys(connection, bucket, "q/", 1)).containsExactly("q/other");
  }

  @Test
  void deleteObjects_unversioned_removesThePrefixButTheKeptKey(EmbeddedS3Server s3) {
    s3.createBucket(bucket);
    for (String key : List.of("v/", "v/a", "v/dir/b", "w/c")) {
      s3.putObject(bucket, key, "x".getBytes(UTF_8));
    }

    provisioner.deleteObjects(connection, bucket, "v/", Optional.of("v/"));
    provisioner.deleteObjects(connection, bucket, "v/", Optional.of("v/"));

    assertThat(keys()).containsExactly("v/", "w/c");
  }

  @Test
  void deleteObjects_versionedBucket_removesEveryVersionAndDeleteMarker() {
    provisioner.createBucket(connection, bucket);
    sdk.putBucketVersioning(
        r ->
            r.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    put("a", "1");
    put("a", "2");
    put("b", "1");
    sdk.deleteObject(r -> r.bucket(bucket).key("b"));
    put(".s3csi-volume", "");
    // At least: a and its old version, b's old version, the marker; more when the HTTP client
    // retried a PUT that S3 had already stored (a retried PUT makes one more version).
    var before = sdk.listObjectVersions(r -> r.bucket(bucket));
    assertThat(before.versions()).filteredOn(v -> v.key().equals("a")).hasSizeGreaterThan(1);
    assertThat(before.deleteMarkers()).extracting(m -> m.key()).containsExactly("b");

    provisioner.deleteObjects(connection, bucket, "", Optional.of(".s3csi-volume"));

    var left = sdk.listObjectVersions(r -> r.bucket(bucket));
    assertThat(left.versions()).extracting(v -> v.key()).containsOnly(".s3csi-volume");
    assertThat(left.deleteMarkers()).isEmpty();

    provisioner.deleteObject(connection, bucket, ".s3csi-volume");
    provisioner.deleteBucket(connection, bucket);

    assertThatThrownBy(() -> sdk.headBucket(r -> r.bucket(bucket)))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void deleteObjectsThenKey_calledTwice_removesThePrefixWithItsMarkerOnly(EmbeddedS3Server s3) {
    s3.createBucket(bucket);
    for (String key : List.of("v/", "v/a", "v/dir/b", "w/c")) {
      s3.putObject(bucket, key, "x".getBytes(UTF_8));
    }

    provisioner.deleteObjectsThenKey(connection, bucket, "v/", "v/");
    provisioner.deleteObjectsThenKey(connection, bucket, "v/", "v/");

    assertThat(keys()).containsExactly("w/c");
  }

  @Test
  void deleteObjectsThenKey_versionedBucket_removesEveryVersionOfTheMarkerToo() {
    provisioner.createBucket(connection, bucket);
    sdk.putBucketVersioning(
        r ->
            r.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    put("a", "1");
    put("a", "2");
    put(".s3csi-volume", "");
    put(".s3csi-volume", "");
    sdk.deleteObject(r -> r.bucket(bucket).key("a"));

    provisioner.deleteObjectsThenKey(connection, bucket, "", ".s3csi-volume");

    var left = sdk.listObjectVersions(r -> r.bucket(bucket));
    assertThat(left.versions()).isEmpty();
    assertThat(left.deleteMarkers()).isEmpty();
    provisioner.deleteBucket(connection, bucket);
    assertThat(provisioner.bucketExists(connection, bucket)).isFalse();
  }

  @Test
  void deleteObjects_unfinishedMultipartUpload_isAborted() {
    provisioner.createBucket(connection, bucket);
    String upload = sdk.createMultipartUpload(r -> r.bucket(bucket).key("big/file")).uploadId();
    assertThat(sdk.listMultipartUploads(r -> r.bucket(bucket)).uploads()).hasSize(1);

    provisioner.deleteObjects(connection, bucket, "big/", Optional.empty());

    assertThat(sdk.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    assertThat(upload).isNotBlank();
  }

  @Test
  void deleteCalls_missingBucket_succeed() {
    provisioner.deleteObjects(connection, bucket, "", Optional.empty());
    provisioner.deleteObject(connection, bucket, "k");
    provisioner.deleteObjectsThenKey(connection, bucket, "", "k");
    provisioner.deleteBucket(connection, bucket);

    assertThat(provisioner.bucketExists(connection, bucket)).isFalse();
  }

  @Test
  void deleteBucket_withObjects_isFailedPrecondition(EmbeddedS3Server s3) {
    s3.createBucket(bucket);
    s3.putObject(bucket, "data", new byte[] {1});

    assertThatThrownBy(() -> provisioner.deleteBucket(connection, bucket))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessageStartingWith("cannot delete bucket " + bucket + ": it is not empty");
    assertThat(provisioner.bucketExists(connection, bucket)).isTrue();
  }

  @Test
  void anyCall_wrongSecretKey_isPermissionDenied(EmbeddedS3Server s3) {
    Connection wrong = S3Fixtures.connection(s3, s3.accessKeyId(), "not-the-secret");

    assertThatThrownBy(() -> provisioner.createBucket(wrong, bucket))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED))
        .hasMessageStartingWith("cannot create bucket " + bucket + ": S3 refuses the identity")
        .hasMessageNotContaining("not-the-secret");
  }

  @Test
  void anyCall_unknownAccessKey_isPermissionDenied(EmbeddedS3Server s3) {
    Connection wrong = S3Fixtures.connection(s3, "AKIANOBODY", "whatever");

    assertThatThrownBy(() -> provisioner.bucketExists(wrong, bucket))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
    assertThatThrownBy(() -> provisioner.listKeys(wrong, "any-bucket", "", 1))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED))
        .hasMessageContaining("InvalidAccessKeyId");
  }

  @Test
  void anyCall_serverStopped_isUnavailable(EmbeddedS3Server s3) {
    provisioner.createBucket(connection, bucket);
    s3.stop();
    try {
      assertThatThrownBy(() -> provisioner.createBucket(connection, bucket + "-x"))
          .isInstanceOfSatisfying(
              DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
          .hasMessageStartingWith(
              "cannot create bucket " + bucket + "-x: S3 is unreachable or did not answer");
      assertThatThrownBy(() -> provisioner.bucketExists(connection, bucket))
          .isInstanceOfSatisfying(
              DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
      assertThatThrownBy(() -> provisioner.deleteObjects(connection, bucket, "", Optional.empty()))
          .isInstanceOfSatisfying(
              DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    } finally {
      s3.restart();
    }
    assertThat(provisioner.bucketExists(connection, bucket)).isTrue();
  }

  private void put(String key, String content) {
    sdk.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content, UTF_8));
  }

  private List<String> keys() {
    try {
      return sdk.listObjectsV2(r -> r.bucket(bucket)).contents().stream()
          .map(o -> o.key())
          .toList();
    } catch (S3Exception e) {
      throw new AssertionError(e);
    }
  }
}
