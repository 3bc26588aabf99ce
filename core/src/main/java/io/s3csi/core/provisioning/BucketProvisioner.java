package io.s3csi.core.provisioning;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The S3 side effects of dynamic provisioning: create and delete buckets, read and write the
 * zero-byte marker objects that record which volume owns a location, list and delete objects.
 * Implementations: the AWS SDK adapter ({@code S3BucketProvisioner}) and the testkit's {@code
 * FakeBucketProvisioner}.
 *
 * <p>Contract, which the implementations' tests check:
 *
 * <ul>
 *   <li>Every method is idempotent: creating a bucket the caller owns succeeds, deleting what is
 *       gone succeeds.
 *   <li>Failures are {@link io.s3csi.core.error.DriverException}s whose kind says what to do:
 *       {@code PERMISSION_DENIED} when S3 refuses the identity, {@code UNAVAILABLE} when S3 cannot
 *       be reached, throttles or fails on its side (never {@code INTERNAL}), {@code
 *       INVALID_ARGUMENT} for a name S3 rejects, {@code ALREADY_EXISTS} for a bucket owned by
 *       another account, {@code FAILED_PRECONDITION} when the store's state forbids the operation.
 *       Messages name the bucket and the S3 error code, never a secret.
 *   <li>Deleting never bypasses S3 Object Lock: on a bucket with Object Lock enabled the delete
 *       methods fail with {@code FAILED_PRECONDITION} before they remove anything.
 * </ul>
 *
 * <p>Implementations must allow calls for different buckets to run concurrently; callers serialize
 * the calls for one volume.
 */
public interface BucketProvisioner {

  /**
   * Creates a bucket in the connection's region.
   *
   * @param connection where and as whom
   * @param bucket a valid bucket name
   * @return whether the bucket was created or already belonged to the caller; {@link
   *     BucketCreation#CREATED} only when the store's answer proves the bucket is new
   * @throws io.s3csi.core.error.DriverException {@code ALREADY_EXISTS} when another account owns
   *     the name, {@code INVALID_ARGUMENT} when S3 rejects the name or the region
   */
  BucketCreation createBucket(Connection connection, String bucket);

  /**
   * Tells whether a bucket exists.
   *
   * @param connection where and as whom
   * @param bucket the bucket
   * @return true when it exists and the identity may use it, false when it does not exist
   * @throws io.s3csi.core.error.DriverException {@code PERMISSION_DENIED} when it exists but the
   *     identity may not use it
   */
  boolean bucketExists(Connection connection, String bucket);

  /**
   * Reads the user metadata of an object, typically a volume's marker.
   *
   * @param connection where and as whom
   * @param bucket the bucket
   * @param key the object's key
   * @return the object's user metadata (names in lower case, without {@code x-amz-meta-}); empty
   *     when the object or the bucket does not exist
   */
  Optional<Map<String, String>> readMarker(Connection connection, String bucket, String key);

  /**
   * Writes a zero-byte object with user metadata, replacing any object under the key.
   *
   * @param connection where and as whom
   * @param bucket an existing bucket
   * @param key the object's key
   * @param metadata user metadata: lower-case ASCII names, printable ASCII values
   * @throws io.s3csi.core.error.DriverException {@code NOT_FOUND} when the bucket does not exist
   */
  void writeMarker(Connection connection, String bucket, String key, Map<String, String> metadata);

  /**
   * Lists the keys of current objects under a prefix, in S3's order.
   *
   * @param connection where and as whom
   * @param bucket an existing bucket
   * @param prefix the key prefix; {@code ""} for the whole bucket
   * @param limit the most keys to return, at least 1
   * @return at most {@code limit} keys
   * @throws io.s3csi.core.error.DriverException {@code NOT_FOUND} when the bucket does not exist
   */
  List<String> listKeys(Connection connection, String bucket, String prefix, int limit);

  /**
   * Deletes every object under a prefix: every version and delete marker when the bucket has ever
   * had versioning on, the objects otherwise. Succeeds when the bucket does not exist.
   *
   * @param connection where and as whom
   * @param bucket the bucket
   * @param prefix the key prefix; {@code ""} for the whole bucket
   * @param keep a key to leave in place (the volume's marker, deleted last by the caller)
   * @throws io.s3csi.core.error.DriverException {@code FAILED_PRECONDITION} when the bucket has
   *     Object Lock enabled, or naming how many objects could not be deleted and why
   */
  void deleteObjects(Connection connection, String bucket, String prefix, Optional<String> keep);

  /**
   * Deletes one object, every version of it where versioning is on. Succeeds when the object or the
   * bucket does not exist.
   *
   * @param connection where and as whom
   * @param bucket the bucket
   * @param key the object's key
   * @throws io.s3csi.core.error.DriverException {@code FAILED_PRECONDITION} when the bucket has
   *     Object Lock enabled
   */
  void deleteObject(Connection connection, String bucket, String key);

  /**
   * Deletes every object under a prefix as {@link #deleteObjects} does, then every version of the
   * key {@code last} (a volume's marker, which goes after the objects so that a deletion that stops
   * half-way leaves it in place). Succeeds when the bucket does not exist.
   *
   * <p>The default calls {@link #deleteObjects} and then {@link #deleteObject}; an implementation
   * overrides it to look at the bucket's Object Lock and versioning once for both.
   *
   * @param connection where and as whom
   * @param bucket the bucket
   * @param prefix the key prefix; {@code ""} for the whole bucket
   * @param last the key to delete after all others, under {@code prefix}
   * @throws io.s3csi.core.error.DriverException {@code FAILED_PRECONDITION} when the bucket has
   *     Object Lock enabled, or naming how many objects could not be deleted and why
   */
  default void deleteObjectsThenKey(
      Connection connection, String bucket, String prefix, String last) {
    deleteObjects(connection, bucket, prefix, Optional.of(last));
    deleteObject(connection, bucket, last);
  }

  /**
   * Deletes an empty bucket. Succeeds when the bucket does not exist.
   *
   * @param connection where and as whom
   * @param bucket the bucket
   * @throws io.s3csi.core.error.DriverException {@code FAILED_PRECONDITION} when the bucket still
   *     holds objects or object versions
   */
  void deleteBucket(Connection connection, String bucket);
}
