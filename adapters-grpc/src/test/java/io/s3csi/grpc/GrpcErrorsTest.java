package io.s3csi.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class GrpcErrorsTest {

  @ParameterizedTest
  @CsvSource({
    "INVALID_ARGUMENT, INVALID_ARGUMENT",
    "NOT_FOUND, NOT_FOUND",
    "ALREADY_EXISTS, ALREADY_EXISTS",
    "FAILED_PRECONDITION, FAILED_PRECONDITION",
    "ABORTED, ABORTED",
    "PERMISSION_DENIED, PERMISSION_DENIED",
    "UNAVAILABLE, UNAVAILABLE",
    "DEADLINE_EXCEEDED, DEADLINE_EXCEEDED",
    "RESOURCE_EXHAUSTED, RESOURCE_EXHAUSTED",
    "UNIMPLEMENTED, UNIMPLEMENTED",
    "INTERNAL, INTERNAL"
  })
  void code_eachKind_hasItsCode(ErrorKind kind, Status.Code code) {
    assertThat(GrpcErrors.code(kind)).isEqualTo(code);
  }

  @ParameterizedTest
  @EnumSource(ErrorKind.class)
  void toStatus_driverException_keepsKindAndMessage(ErrorKind kind) {
    Status status = GrpcErrors.toStatus(new DriverException(kind, "what happened")).getStatus();

    assertThat(status.getCode()).isEqualTo(GrpcErrors.code(kind));
    assertThat(status.getDescription()).isEqualTo("what happened");
  }

  @Test
  void code_noKind_mapsToUnknown() {
    assertThat(EnumSet.allOf(ErrorKind.class))
        .allSatisfy(kind -> assertThat(GrpcErrors.code(kind)).isNotEqualTo(Status.Code.UNKNOWN));
  }

  @Test
  void toStatus_invalidArgument_namesTheField() {
    Status status =
        GrpcErrors.toStatus(new InvalidArgumentException("bucketName", "must not be empty"))
            .getStatus();

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("bucketName: must not be empty");
  }

  @Test
  void toStatus_unexpectedException_isInternalWithTypeAndMessage() {
    Status status = GrpcErrors.toStatus(new NullPointerException("oops")).getStatus();

    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.getDescription()).isEqualTo("internal error: NullPointerException: oops");
  }
}
