package io.s3csi.core.node;

/** How a publish ended. Every value is a success. */
public enum PublishResult {
  /** The volume was mounted at the target. */
  MOUNTED,
  /** The same volume was already mounted there with the same access; nothing was done. */
  ALREADY_MOUNTED,
  /** A dead mount of the volume was found at the target, unmounted and mounted again. */
  REMOUNTED
}
