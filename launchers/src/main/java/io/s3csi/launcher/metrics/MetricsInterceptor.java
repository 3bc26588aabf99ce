package io.s3csi.launcher.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Times each CSI call from its start to its end and counts it by method and gRPC status code: the
 * code the call was closed with, {@code CANCELLED} when the client went away first, {@code UNKNOWN}
 * when a handler threw.
 */
final class MetricsInterceptor implements ServerInterceptor {
  private final DriverMetrics metrics;
  private final LongSupplier nanoTime;

  MetricsInterceptor(DriverMetrics metrics, LongSupplier nanoTime) {
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    long start = nanoTime.getAsLong();
    AtomicBoolean ended = new AtomicBoolean();
    ServerCall<Q, R> timed =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            end(method, start, ended, status.getCode());
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(timed, headers)) {
      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (RuntimeException | Error e) {
          end(method, start, ended, Status.Code.UNKNOWN);
          throw e;
        }
      }

      @Override
      public void onCancel() {
        end(method, start, ended, Status.Code.CANCELLED);
        super.onCancel();
      }
    };
  }

  private void end(String method, long start, AtomicBoolean ended, Status.Code code) {
    if (ended.compareAndSet(false, true)) {
      metrics.callEnded(
          method == null ? "unknown" : method, code.name(), nanoTime.getAsLong() - start);
    }
  }
}
