package io.s3csi.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.model.StsException;

/** The mapping table of {@link S3Errors}, on SDK exceptions built as the SDK builds them. */
class S3ErrorsTest {

  private static S3Exception s3(String code, int status) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage("msg of " + code).build())
            .message("msg of " + code)
            .build();
  }

  @ParameterizedTest
  @CsvSource({
    "AccessDenied, 403, PERMISSION_DENIED",
    "InvalidAccessKeyId, 403, PERMISSION_DENIED",
    "SignatureDoesNotMatch, 403, PERMISSION_DENIED",
    "ExpiredToken, 400, PERMISSION_DENIED",
    "AllAccessDisabled, 403, PERMISSION_DENIED",
    "BucketAlreadyExists, 409, ALREADY_EXISTS",
    "InvalidBucketName, 400, INVALID_ARGUMENT",
    "InvalidLocationConstraint, 400, INVALID_ARGUMENT",
    "IllegalLocationConstraintException, 400, INVALID_ARGUMENT",
    "AuthorizationHeaderMalformed, 400, INVALID_ARGUMENT",
    "PermanentRedirect, 301, INVALID_ARGUMENT",
    "SlowDown, 503, UNAVAILABLE",
    "ServiceUnavailable, 503, UNAVAILABLE",
    "InternalError, 500, UNAVAILABLE",
    "RequestTimeout, 400, UNAVAILABLE",
    "OperationAborted, 409, UNAVAILABLE",
    "'', 502, UNAVAILABLE",
    "TooManyRequests, 429, UNAVAILABLE",
    "NoSuchBucket, 404, NOT_FOUND",
    "TooManyBuckets, 400, RESOURCE_EXHAUSTED",
    "BucketNotEmpty, 409, FAILED_PRECONDITION",
    "InvalidObjectState, 403, PERMISSION_DENIED",
    "MetadataTooLarge, 400, FAILED_PRECONDITION",
    "'', 403, PERMISSION_DENIED"
  })
  void map_serviceErrors_getTheirKind(String code, int status, ErrorKind kind) {
    DriverException mapped = S3Errors.map("do x", s3(code, status));

    assertThat(mapped.kind()).isEqualTo(kind);
    assertThat(mapped.getMessage()).contains("cannot do x").contains("msg of " + code);
  }

  @Test
  void map_modeledException_keepsCodeStatusAndMessage() {
    BucketAlreadyExistsException taken =
        (BucketAlreadyExistsException)
            BucketAlreadyExistsException.builder()
                .statusCode(409)
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("BucketAlreadyExists")
                        .errorMessage("The requested bucket name is not available.")
                        .build())
                .build();

    assertThat(S3Errors.map("create bucket b", taken))
        .hasMessage(
            "cannot create bucket b: the bucket name is taken by another account; choose another"
                + " bucketNamePrefix or nameTemplate (BucketAlreadyExists, HTTP 409: The requested"
                + " bucket name is not available.)");
  }

  @Test
  void map_invalidBucketName_namesTheField() {
    assertThat(S3Errors.map("create bucket b", s3("InvalidBucketName", 400)))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("bucketName"));
  }

  @Test
  void map_noResponse_isUnavailable() {
    SdkClientException refused =
        SdkClientException.builder()
            .message("Unable to execute HTTP request: Connection refused")
            .cause(new ConnectException("Connection refused"))
            .build();
    ApiCallTimeoutException timeout =
        ApiCallTimeoutException.builder().message("Client execution did not complete").build();

    assertThat(S3Errors.map("list b", refused))
        .hasMessage(
            "cannot list b: S3 is unreachable or did not answer: Unable to execute HTTP request:"
                + " Connection refused")
        .extracting(DriverException::kind)
        .isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(S3Errors.map("list b", timeout).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
  }

  @Test
  void map_stsRefusalWrappedByTheCredentialProvider_isPermissionDenied() {
    StsException sts =
        (StsException)
            StsException.builder()
                .statusCode(403)
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("InvalidIdentityToken")
                        .errorMessage("Couldn't retrieve verification key")
                        .build())
                .build();
    SdkClientException wrapped =
        SdkClientException.builder().message("Unable to load credentials").cause(sts).build();

    assertThat(S3Errors.map("create bucket b", wrapped).kind())
        .isEqualTo(ErrorKind.PERMISSION_DENIED);
  }

  @Test
  void kindOf_perObjectDeleteErrors() {
    assertThat(S3Errors.kindOf("AccessDenied")).isEqualTo(ErrorKind.PERMISSION_DENIED);
    assertThat(S3Errors.kindOf("SlowDown")).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(S3Errors.kindOf("InvalidObjectState")).isEqualTo(ErrorKind.FAILED_PRECONDITION);
  }
}
