package io.s3csi.testkit.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.credentials.InstanceCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.provisioning.BucketCreation;
import io.s3csi.core.provisioning.Connection;
import io.s3csi.testkit.provisioning.FakeBucketProvisioner.Operation;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The fake keeps the {@link io.s3csi.core.provisioning.BucketProvisioner} contract. */
class FakeBucketProvisionerTest {
  private static final Connection C =
      new Connection(Optional.empty(), Optional.empty(), false, new InstanceCredentials());

  private final FakeBucketProvisioner s3 = new FakeBucketProvisioner();

  private static void assertKind(ThrowingCallable call, ErrorKind kind) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  @Test
  void createBucket_twice_createsThenReportsOwned() {
    assertThat(s3.createBucket(C, "b-1")).isEqualTo(BucketCreation.CREATED);
    assertThat(s3.createBucket(C, "b-1")).isEqualTo(BucketCreation.ALREADY_OWNED);
    assertThat(s3.bucketsCreated()).isEqualTo(1);
    assertThat(s3.bucketExists(C, "b-1")).isTrue();
    assertThat(s3.bucketExists(C, "b-2")).isFalse();
  }

  @Test
  void foreignBucket_createIsAlreadyExistsAndLookingIsDenied() {
    s3.addForeignBucket("theirs");

    assertKind(() -> s3.createBucket(C, "theirs"), ErrorKind.ALREADY_EXISTS);
    assertKind(() -> s3.bucketExists(C, "theirs"), ErrorKind.PERMISSION_DENIED);
    assertKind(() -> s3.readMarker(C, "theirs", "k"), ErrorKind.PERMISSION_DENIED);
  }

  @Test
  void markers_roundTripAndMissingBucketsReadEmpty() {
    s3.addBucket("b-1");
    s3.writeMarker(C, "b-1", "p/", Map.of("k", "v"));

    assertThat(s3.readMarker(C, "b-1", "p/")).hasValue(Map.of("k", "v"));
    assertThat(s3.readMarker(C, "b-1", "q/")).isEmpty();
    assertThat(s3.readMarker(C, "nope", "p/")).isEmpty();
    assertKind(() -> s3.writeMarker(C, "nope", "p/", Map.of()), ErrorKind.NOT_FOUND);
    assertKind(() -> s3.listKeys(C, "nope", "", 1), ErrorKind.NOT_FOUND);
  }

  @Test
  void listKeys_filtersByPrefixAndStopsAtTheLimit() {
    s3.addBucket("b-1").putObject("b-1", "a/1").putObject("b-1", "a/2").putObject("b-1", "b/1");

    assertThat(s3.listKeys(C, "b-1", "a/", 10)).containsExactly("a/1", "a/2");
    assertThat(s3.listKeys(C, "b-1", "", 2)).containsExactly("a/1", "a/2");
  }

  @Test
  void deletes_keepTheKeptKeyRefuseObjectLockAndIgnoreMissingBuckets() {
    s3.addBucket("b-1").putObject("b-1", "p/").putObject("b-1", "p/x").putObject("b-1", "q");

    s3.deleteObjects(C, "b-1", "p/", Optional.of("p/"));
    assertThat(s3.keys("b-1")).containsExactly("p/", "q");
    assertKind(() -> s3.deleteBucket(C, "b-1"), ErrorKind.FAILED_PRECONDITION);

    s3.enableObjectLock("b-1");
    assertKind(() -> s3.deleteObject(C, "b-1", "q"), ErrorKind.FAILED_PRECONDITION);
    assertKind(
        () -> s3.deleteObjects(C, "b-1", "", Optional.empty()), ErrorKind.FAILED_PRECONDITION);
    assertThat(s3.keys("b-1")).containsExactly("p/", "q");

    s3.deleteObjects(C, "nope", "", Optional.empty());
    s3.deleteObject(C, "nope", "k");
    s3.deleteBucket(C, "nope");
  }

  @Test
  void noncurrentVersions_blockTheBucketUntilAWholeBucketDelete() {
    s3.addBucket("b-1").addNoncurrentVersions("b-1", 2);

    assertKind(() -> s3.deleteBucket(C, "b-1"), ErrorKind.FAILED_PRECONDITION);
    s3.deleteObjects(C, "b-1", "", Optional.empty());
    s3.deleteBucket(C, "b-1");

    assertThat(s3.hasBucket("b-1")).isFalse();
  }

  @Test
  void failNext_failsOnceThenBehaves() {
    s3.failNext(Operation.CREATE_BUCKET, () -> DriverException.unavailable("down", null));

    assertKind(() -> s3.createBucket(C, "b-1"), ErrorKind.UNAVAILABLE);
    assertThat(s3.createBucket(C, "b-1")).isEqualTo(BucketCreation.CREATED);
    assertThat(s3.calls()).containsExactly("createBucket b-1", "createBucket b-1");
    assertThat(s3.connections()).containsExactly(C, C);
  }

  @Test
  void holdCreateBucket_holdsUntilReleased() throws Exception {
    s3.holdCreateBucket();
    CompletableFuture<BucketCreation> held =
        CompletableFuture.supplyAsync(() -> s3.createBucket(C, "b-1"));

    assertThat(s3.awaitHeldCreateBucket(Duration.ofSeconds(10))).isTrue();
    assertThat(s3.hasBucket("b-1")).isFalse();
    s3.release();

    assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(BucketCreation.CREATED);
    assertThat(s3.hasBucket("b-1")).isTrue();
  }
}
