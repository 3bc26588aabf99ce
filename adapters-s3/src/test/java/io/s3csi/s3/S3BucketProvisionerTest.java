package io.s3csi.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.provisioning.BucketCreation;
import io.s3csi.core.provisioning.Connection;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The adapter's handling of S3 answers the embedded S3 server cannot give, through the real SDK
 * against a scripted HTTP endpoint ({@link StubS3}).
 */
class S3BucketProvisionerTest {
  private static final String NO_LOCK =
      "<Error><Code>ObjectLockConfigurationNotFoundError</Code><Message>none</Message></Error>";

  private StubS3 stub;
  private S3BucketProvisioner provisioner;
  private Connection connection;

  @BeforeEach
  void start() throws Exception {
    stub = new StubS3();
    provisioner = new S3BucketProvisioner(S3Fixtures.FAST);
    connection =
        new Connection(
            Optional.of(stub.endpoint()),
            Optional.of("us-east-1"),
            true,
            new StaticCredentials("AKIATEST", Secret.of("test-secret"), Optional.empty()));
  }

  @AfterEach
  void stop() {
    provisioner.close();
    stub.close();
  }

  private static void assertKind(ThrowingCallable call, ErrorKind kind, String messageStart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(kind))
        .hasMessageStartingWith(messageStart);
  }

  @Test
  void createBucket_ownedByAnotherAccount_isAlreadyExists() {
    stub.error(
        "PUT /b-1", 409, "BucketAlreadyExists", "The requested bucket name is not available.");

    assertKind(
        () -> provisioner.createBucket(connection, "b-1"),
        ErrorKind.ALREADY_EXISTS,
        "cannot create bucket b-1: the bucket name is taken by another account; choose another"
            + " bucketNamePrefix or nameTemplate (BucketAlreadyExists, HTTP 409: The requested"
            + " bucket name is not available.)");
  }

  @Test
  void createBucket_ownedByCaller_isSuccess() {
    stub.error("PUT /b-1", 409, "BucketAlreadyOwnedByYou", "You already own it.");

    assertThat(provisioner.createBucket(connection, "b-1")).isEqualTo(BucketCreation.ALREADY_OWNED);
  }

  @Test
  void createBucket_okFromAnS3CompatibleEndpoint_doesNotClaimANewBucket() {
    stub.answer("PUT /b-1", 200, "");

    assertThat(provisioner.createBucket(connection, "b-1"))
        .isEqualTo(BucketCreation.CREATED_OR_OWNED);
  }

  @ParameterizedTest
  @CsvSource({
    "'', eu-west-1, true",
    "'', us-west-2, true",
    "'', us-east-1, false",
    "'', '', false",
    "http://minio:9000, eu-west-1, false",
    "https://s3.eu-west-1.amazonaws.com, eu-west-1, false"
  })
  void provesNew_onlyAwsOutsideUsEast1(String endpoint, String region, boolean proves) {
    Connection where =
        new Connection(
            Optional.ofNullable(endpoint.isEmpty() ? null : URI.create(endpoint)),
            Optional.ofNullable(region.isEmpty() ? null : region),
            false,
            connection.credentials());

    assertThat(S3BucketProvisioner.provesNew(where)).isEqualTo(proves);
  }

  @Test
  void writeMarker_overPlainHttp_sendsAnEmptyUnchunkedBody() {
    stub.answer("PUT /b-1/.s3csi-volume", 200, "");

    provisioner.writeMarker(connection, "b-1", ".s3csi-volume", Map.of("s3csi-volume", "v"));

    Map<String, List<String>> headers = stub.headers("PUT /b-1/.s3csi-volume");
    assertThat(headers).containsEntry("content-length", List.of("0"));
    assertThat(headers).doesNotContainKey("content-encoding");
    // SHA-256 of no bytes: the body is signed whole, not as an aws-chunked stream
    assertThat(headers)
        .containsEntry(
            "x-amz-content-sha256",
            List.of("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  }

  @Test
  void createBucket_nameTheServerRejects_isInvalidArgumentOnBucketName() {
    stub.error("PUT /xn--b-1", 400, "InvalidBucketName", "The specified bucket is not valid.");

    assertThatThrownBy(() -> provisioner.createBucket(connection, "xn--b-1"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("bucketName"))
        .hasMessage(
            "bucketName: S3 rejects the bucket name: cannot create bucket xn--b-1"
                + " (InvalidBucketName, HTTP 400: The specified bucket is not valid.)");
  }

  @Test
  void createBucket_throttledOrFailing_isUnavailable() {
    stub.error("PUT /b-1", 503, "SlowDown", "Please reduce your request rate.");
    stub.error("PUT /b-2", 500, "InternalError", "We encountered an internal error.");

    assertKind(
        () -> provisioner.createBucket(connection, "b-1"),
        ErrorKind.UNAVAILABLE,
        "cannot create bucket b-1: S3 is busy or failing, retry later (SlowDown, HTTP 503");
    assertKind(
        () -> provisioner.createBucket(connection, "b-2"),
        ErrorKind.UNAVAILABLE,
        "cannot create bucket b-2: S3 is busy or failing, retry later (InternalError, HTTP 500");
  }

  @Test
  void createBucket_tooManyBuckets_isResourceExhausted() {
    stub.error("PUT /b-1", 400, "TooManyBuckets", "You have attempted to create more buckets.");

    assertKind(
        () -> provisioner.createBucket(connection, "b-1"),
        ErrorKind.RESOURCE_EXHAUSTED,
        "cannot create bucket b-1: the account has reached its bucket limit");
  }

  @Test
  void bucketExists_otherAccountsBucket_isPermissionDenied() {
    stub.answer("HEAD /b-1", 403, "");

    assertKind(
        () -> provisioner.bucketExists(connection, "b-1"),
        ErrorKind.PERMISSION_DENIED,
        "cannot check bucket b-1: S3 refuses the identity in use");
  }

  @Test
  void bucketExists_bucketInAnotherRegion_isInvalidArgumentOnRegion() {
    stub.answer("HEAD /b-1", 301, "");

    assertThatThrownBy(() -> provisioner.bucketExists(connection, "b-1"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("region"))
        .hasMessageStartingWith("region: S3 rejects the region: cannot check bucket b-1");
  }

  @Test
  void deleteObjects_objectLockEnabled_isFailedPreconditionAndDeletesNothing() {
    stub.answer(
        "GET /b-1?object-lock",
        200,
        "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
            + "</ObjectLockConfiguration>");

    assertKind(
        () -> provisioner.deleteObjects(connection, "b-1", "", Optional.empty()),
        ErrorKind.FAILED_PRECONDITION,
        "bucket b-1 has S3 Object Lock enabled; s3csi never bypasses retention or legal holds, so"
            + " it deletes nothing there.");
    assertKind(
        () -> provisioner.deleteObject(connection, "b-1", ".s3csi-volume"),
        ErrorKind.FAILED_PRECONDITION,
        "bucket b-1 has S3 Object Lock enabled");
    assertThat(stub.requests()).containsOnly("GET /b-1?object-lock");
  }

  @Test
  void deleteObjectsThenKey_objectLockEnabled_isFailedPreconditionAndDeletesNothing() {
    stub.answer(
        "GET /b-1?object-lock",
        200,
        "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
            + "</ObjectLockConfiguration>");

    assertKind(
        () -> provisioner.deleteObjectsThenKey(connection, "b-1", "", ".s3csi-volume"),
        ErrorKind.FAILED_PRECONDITION,
        "bucket b-1 has S3 Object Lock enabled; s3csi never bypasses retention or legal holds, so"
            + " it deletes nothing there.");
    assertThat(stub.requests()).containsExactly("GET /b-1?object-lock");
  }

  @Test
  void deleteObjectsThenKey_unversioned_checksOnceAndDeletesTheMarkerLastWithoutABody() {
    stub.answer("GET /b-1?object-lock", 404, NO_LOCK)
        .answer("GET /b-1?uploads", 200, "<ListMultipartUploadsResult/>")
        .answer("GET /b-1?versioning", 200, "<VersioningConfiguration/>")
        .answer(
            "GET /b-1?list-type",
            200,
            "<ListBucketResult><IsTruncated>false</IsTruncated>"
                + "<Contents><Key>.s3csi-volume</Key></Contents>"
                + "<Contents><Key>a.txt</Key></Contents></ListBucketResult>")
        .answer("POST /b-1?delete", 200, "<DeleteResult/>")
        .answer("DELETE /b-1/.s3csi-volume", 204, "");

    provisioner.deleteObjectsThenKey(connection, "b-1", "", ".s3csi-volume");

    assertThat(stub.requests())
        .containsExactly(
            "GET /b-1?object-lock",
            "GET /b-1?uploads",
            "GET /b-1?versioning",
            "GET /b-1?list-type",
            "POST /b-1?delete",
            "DELETE /b-1/.s3csi-volume");
  }

  @Test
  void deleteObjectsThenKey_onlyTheMarker_sendsNoBatchDelete() {
    stub.answer("GET /b-1?object-lock", 404, NO_LOCK)
        .answer("GET /b-1?uploads", 200, "<ListMultipartUploadsResult/>")
        .answer("GET /b-1?versioning", 200, "<VersioningConfiguration/>")
        .answer(
            "GET /b-1?list-type",
            200,
            "<ListBucketResult><IsTruncated>false</IsTruncated>"
                + "<Contents><Key>.s3csi-volume</Key></Contents></ListBucketResult>")
        .answer("DELETE /b-1/.s3csi-volume", 204, "");

    provisioner.deleteObjectsThenKey(connection, "b-1", "", ".s3csi-volume");

    assertThat(stub.requests()).doesNotContain("POST /b-1?delete");
    assertThat(stub.requests()).endsWith("GET /b-1?list-type", "DELETE /b-1/.s3csi-volume");
  }

  @Test
  void deleteObjects_lockConfigurationNotReadable_isPermissionDenied() {
    stub.error("GET /b-1?object-lock", 403, "AccessDenied", "Access Denied");

    assertKind(
        () -> provisioner.deleteObjects(connection, "b-1", "", Optional.empty()),
        ErrorKind.PERMISSION_DENIED,
        "cannot read the Object Lock configuration of bucket b-1: S3 refuses the identity");
    assertThat(stub.requests()).containsOnly("GET /b-1?object-lock");
  }

  @Test
  void deleteObjects_objectsS3RefusesToDelete_failsNamingTheCountAndTheFirst() {
    stub.answer("GET /b-1?object-lock", 404, NO_LOCK)
        .answer("GET /b-1?versioning", 200, "<VersioningConfiguration/>")
        .answer("GET /b-1?uploads", 200, "<ListMultipartUploadsResult/>")
        .answer(
            "GET /b-1?list-type",
            200,
            "<ListBucketResult><IsTruncated>false</IsTruncated>"
                + "<Contents><Key>a.txt</Key></Contents><Contents><Key>b.txt</Key></Contents>"
                + "</ListBucketResult>")
        .answer(
            "POST /b-1?delete",
            200,
            "<DeleteResult><Error><Key>a.txt</Key><Code>AccessDenied</Code>"
                + "<Message>Access Denied</Message></Error></DeleteResult>");

    assertKind(
        () -> provisioner.deleteObjects(connection, "b-1", "", Optional.empty()),
        ErrorKind.PERMISSION_DENIED,
        "cannot delete 1 of 2 objects in s3://b-1/; first: a.txt (AccessDenied: Access Denied)");
  }

  @Test
  void deleteObjects_storeWithoutObjectLockOrVersioning_deletesTheCurrentObjects() {
    stub.error("GET /b-1?object-lock", 501, "NotImplemented", "not implemented")
        .error("GET /b-1?versioning", 501, "NotImplemented", "not implemented")
        .error("GET /b-1?uploads", 501, "NotImplemented", "not implemented")
        .answer(
            "GET /b-1?list-type",
            200,
            "<ListBucketResult><IsTruncated>false</IsTruncated>"
                + "<Contents><Key>a.txt</Key></Contents></ListBucketResult>")
        .answer("POST /b-1?delete", 200, "<DeleteResult/>");

    provisioner.deleteObjects(connection, "b-1", "", Optional.empty());

    assertThat(stub.requests()).endsWith("GET /b-1?list-type", "POST /b-1?delete");
  }
}
