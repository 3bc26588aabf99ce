package io.s3csi.core.provisioning;

/** How {@link BucketProvisioner#createBucket} ended. Both values are successes. */
public enum BucketCreation {
  /** The bucket did not exist and was created. */
  CREATED,
  /**
   * The bucket already existed and belongs to the caller's account (S3's {@code
   * BucketAlreadyOwnedByYou}, or the {@code 200 OK} AWS answers in us-east-1).
   */
  ALREADY_OWNED
}
