package io.s3csi.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * The one place where domain errors become gRPC status codes. Every handler runs through {@link
 * #respond}, so no exception ever reaches a client as {@code UNKNOWN}: a {@link DriverException}
 * keeps its kind and message, anything else is {@code INTERNAL} with its type and message.
 */
public final class GrpcErrors {
  private static final Logger LOG = System.getLogger(GrpcErrors.class.getName());

  private GrpcErrors() {}

  /**
   * Returns the gRPC status code for an error kind.
   *
   * @param kind the domain kind
   * @return the code
   */
  public static Status.Code code(ErrorKind kind) {
    return switch (kind) {
      case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
      case NOT_FOUND -> Status.Code.NOT_FOUND;
      case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
      case FAILED_PRECONDITION -> Status.Code.FAILED_PRECONDITION;
      case ABORTED -> Status.Code.ABORTED;
      case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
      case UNAVAILABLE -> Status.Code.UNAVAILABLE;
      case DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
      case RESOURCE_EXHAUSTED -> Status.Code.RESOURCE_EXHAUSTED;
      case UNIMPLEMENTED -> Status.Code.UNIMPLEMENTED;
      case INTERNAL -> Status.Code.INTERNAL;
    };
  }

  /**
   * Converts any throwable into a status exception.
   *
   * @param error the failure
   * @return the exception to send
   */
  public static StatusRuntimeException toStatus(Throwable error) {
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    if (error instanceof DriverException driver) {
      return Status.fromCode(code(driver.kind()))
          .withDescription(driver.getMessage())
          .asRuntimeException();
    }
    LOG.log(Level.ERROR, "unexpected failure", error);
    return Status.INTERNAL
        .withDescription(
            "internal error: " + error.getClass().getSimpleName() + ": " + error.getMessage())
        .asRuntimeException();
  }

  /**
   * Runs a handler body and completes the call with its result or its error.
   *
   * @param observer the call's response observer
   * @param body computes the response
   * @param <T> the response type
   */
  public static <T> void respond(StreamObserver<T> observer, Supplier<T> body) {
    T response;
    try {
      response = body.get();
    } catch (RuntimeException | Error e) {
      observer.onError(toStatus(e));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }
}
