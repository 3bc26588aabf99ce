package io.s3csi.core.provisioning;

/** How a DeleteVolume ended. Every value is a success. */
public enum DeleteResult {
  /**
   * The data was removed as the delete policy says (objects, marker and, in bucket mode, bucket).
   */
  DELETED,
  /** The delete policy is {@code retain}: the bucket or prefix and its objects were kept. */
  RETAINED,
  /**
   * Nothing was left to delete: the bucket or prefix is gone, or has since been taken over by
   * another volume, which is left alone.
   */
  ALREADY_GONE,
  /** The id is not one s3csi hands out (a static volume's handle): nothing is deleted. */
  NOT_PROVISIONED
}
