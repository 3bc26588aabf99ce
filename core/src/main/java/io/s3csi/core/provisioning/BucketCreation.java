package io.s3csi.core.provisioning;

/** How {@link BucketProvisioner#createBucket} ended. Every value is a success. */
public enum BucketCreation {
  /**
   * The bucket did not exist and this call created it, so it is new and empty. Returned only when
   * the store's answer proves it (S3 outside us-east-1 answers {@code BucketAlreadyOwnedByYou} to
   * re-creating one's own bucket, so its {@code 200 OK} means a new bucket).
   */
  CREATED,
  /**
   * The bucket already existed and belongs to the caller's account ({@code
   * BucketAlreadyOwnedByYou}).
   */
  ALREADY_OWNED,
  /**
   * The bucket exists and belongs to the caller's account, but the answer does not tell whether
   * this call created it: AWS S3 in us-east-1 and several S3-compatible stores answer {@code 200
   * OK} to re-creating one's own bucket. It may hold objects.
   */
  CREATED_OR_OWNED
}
