package io.s3csi.core.error;

/**
 * What went wrong, in the vocabulary CSI callers act on. The gRPC edge maps each kind to exactly
 * one status code; nothing else in the driver decides codes.
 */
public enum ErrorKind {
  /** The request itself is wrong: a field is missing, malformed or not allowed. */
  INVALID_ARGUMENT,
  /** The volume, bucket or prefix named by the request does not exist. */
  NOT_FOUND,
  /** Something incompatible already exists under the same name or at the same target. */
  ALREADY_EXISTS,
  /** The system is not in a state that allows the operation (retrying will not help as is). */
  FAILED_PRECONDITION,
  /** Another operation on the same volume is in flight; the caller should retry later. */
  ABORTED,
  /** The storage or the API refused the identity in use. */
  PERMISSION_DENIED,
  /** A dependency (S3, D-Bus, the Kubernetes API) cannot be reached right now; retry. */
  UNAVAILABLE,
  /** An operation did not finish within its time limit. */
  DEADLINE_EXCEEDED,
  /** A limit was reached (too many mounts, too many requests). */
  RESOURCE_EXHAUSTED,
  /** The driver does not implement the operation. */
  UNIMPLEMENTED,
  /** A bug or an unexpected state of the host: the message says what. */
  INTERNAL
}
