package io.s3csi.s3;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where AWS SDK failures become s3csi errors. The kind says what the caller should
 * do; the message names the operation, the S3 error code and status, and S3's own message.
 *
 * <ul>
 *   <li>No response at all (connection refused, unknown host, TLS, timeouts), throttling and
 *       server-side errors: {@code UNAVAILABLE}, never {@code INTERNAL}: the provisioner retries.
 *   <li>The identity is refused (unknown key, bad signature, expired token, access denied): {@code
 *       PERMISSION_DENIED}.
 *   <li>A bucket name taken by another account: {@code ALREADY_EXISTS}.
 *   <li>A name or region S3 rejects: {@code INVALID_ARGUMENT} naming the field.
 *   <li>Anything else the store refuses (4xx): {@code FAILED_PRECONDITION}.
 * </ul>
 */
final class S3Errors {

  private static final Set<String> DENIED =
      Set.of(
          "AccessDenied",
          "AllAccessDisabled",
          "AccountProblem",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "InvalidToken",
          "ExpiredToken",
          "ExpiredTokenException",
          "TokenRefreshRequired",
          "InvalidSecurity",
          "InvalidClientTokenId",
          "InvalidIdentityToken",
          "IDPRejectedClaim",
          "UnrecognizedClientException",
          "AuthFailure");

  private static final Set<String> TRANSIENT =
      Set.of(
          "SlowDown",
          "Throttling",
          "ThrottlingException",
          "RequestLimitExceeded",
          "TooManyRequestsException",
          "RequestThrottled",
          "ServiceUnavailable",
          "InternalError",
          "RequestTimeout",
          "OperationAborted",
          "IDPCommunicationError");

  private static final Set<String> BAD_REGION =
      Set.of(
          "InvalidLocationConstraint",
          "IllegalLocationConstraintException",
          "AuthorizationHeaderMalformed",
          "PermanentRedirect",
          "InvalidRegion");

  private S3Errors() {}

  /**
   * Converts a failure of an SDK call.
   *
   * @param action what was attempted, as {@code "create bucket b"}
   * @param error the SDK's exception
   * @return the s3csi error to throw
   */
  static DriverException map(String action, SdkException error) {
    AwsServiceException service = serviceCause(error);
    if (service == null) {
      return DriverException.unavailable(
          "cannot " + action + ": S3 is unreachable or did not answer: " + error.getMessage(),
          error);
    }
    String code = code(service);
    int status = service.statusCode();
    String detail = describe(service);
    if (code.equals("BucketAlreadyExists")) {
      return DriverException.alreadyExists(
          "cannot "
              + action
              + ": the bucket name is taken by another account; choose another"
              + " bucketNamePrefix or nameTemplate "
              + detail);
    }
    if (code.equals("InvalidBucketName")) {
      return new InvalidArgumentException(
          "bucketName", "S3 rejects the bucket name: cannot " + action + " " + detail);
    }
    if (BAD_REGION.contains(code) || status == 301) {
      return new InvalidArgumentException(
          "region",
          "S3 rejects the region: cannot "
              + action
              + "; set the bucket's region in the StorageClass or the driver's --s3-region "
              + detail);
    }
    if (DENIED.contains(code) || status == 401 || status == 403) {
      return new DriverException(
          ErrorKind.PERMISSION_DENIED,
          "cannot "
              + action
              + ": S3 refuses the identity in use (check the provisioner secret or the driver's"
              + " credentials and their permissions) "
              + detail,
          error);
    }
    if (TRANSIENT.contains(code) || status == 429 || status >= 500) {
      return DriverException.unavailable(
          "cannot " + action + ": S3 is busy or failing, retry later " + detail, error);
    }
    if (code.equals("NoSuchBucket") || status == 404) {
      return new DriverException(
          ErrorKind.NOT_FOUND, "cannot " + action + ": not found " + detail, error);
    }
    if (code.equals("TooManyBuckets")) {
      return new DriverException(
          ErrorKind.RESOURCE_EXHAUSTED,
          "cannot " + action + ": the account has reached its bucket limit " + detail,
          error);
    }
    return new DriverException(
        ErrorKind.FAILED_PRECONDITION, "cannot " + action + ": S3 refused " + detail, error);
  }

  /**
   * Converts the SDK's own check of a bucket name, which fails before any request is sent.
   *
   * @param action what was attempted, as {@code "create bucket b"}
   * @param error the SDK's exception
   * @return the s3csi error to throw
   */
  static InvalidArgumentException mapNameCheck(String action, IllegalArgumentException error) {
    return new InvalidArgumentException(
        "bucketName",
        "S3 rejects the bucket name: cannot " + action + " (" + error.getMessage() + ")");
  }

  /**
   * Returns the kind of a per-object error of a batch delete.
   *
   * @param code the S3 error code
   * @return {@code PERMISSION_DENIED}, {@code UNAVAILABLE} or {@code FAILED_PRECONDITION}
   */
  static ErrorKind kindOf(String code) {
    if (DENIED.contains(code)) {
      return ErrorKind.PERMISSION_DENIED;
    }
    if (TRANSIENT.contains(code)) {
      return ErrorKind.UNAVAILABLE;
    }
    return ErrorKind.FAILED_PRECONDITION;
  }

  /** Returns the S3 error code of a service failure, or {@code ""}. */
  static String code(AwsServiceException error) {
    return error.awsErrorDetails() == null || error.awsErrorDetails().errorCode() == null
        ? ""
        : error.awsErrorDetails().errorCode();
  }

  /** Tells whether a failure is S3's "not found" (status 404, whatever the code). */
  static boolean isNotFound(SdkException error) {
    AwsServiceException service = serviceCause(error);
    return service != null && service.statusCode() == 404;
  }

  /** Returns the service failure behind an error (credential providers wrap STS's), or null. */
  private static AwsServiceException serviceCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AwsServiceException service) {
        return service;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String describe(AwsServiceException error) {
    String code = code(error);
    String message =
        error.awsErrorDetails() == null ? null : error.awsErrorDetails().errorMessage();
    return "("
        + (code.isEmpty() ? "no error code" : code)
        + ", HTTP "
        + error.statusCode()
        + (message == null || message.isBlank() ? "" : ": " + message)
        + ")";
  }
}
