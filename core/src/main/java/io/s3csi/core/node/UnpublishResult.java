package io.s3csi.core.node;

/** How an unpublish ended. Every value is a success. */
public enum UnpublishResult {
  /** The volume was unmounted and the target removed. */
  UNMOUNTED,
  /** Nothing was mounted at the target; it was removed if it was left. */
  NOT_MOUNTED
}
