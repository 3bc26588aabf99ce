package io.s3csi.grpc;

import com.google.protobuf.MessageOrBuilder;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Logs every CSI call once, when it completes: the full method name, the status code and the
 * duration in milliseconds.
 *
 * <p>Completed calls are logged at {@code INFO} (successful routine reads such as Probe and
 * NodeGetVolumeStats at {@code DEBUG}), calls that failed on the server's side ({@code UNKNOWN},
 * {@code INTERNAL}, {@code DATA_LOSS}) at {@code WARNING}. When {@code DEBUG} is enabled the
 * request is logged too, rendered with every secret redacted (see the {@code csi_secret} marker of
 * the CSI specification). Logging goes through {@link System.Logger}, so it lands wherever the
 * launcher routes platform logging.
 */
public final class LoggingInterceptor implements ServerInterceptor {

  /**
   * Calls that only read and that sidecars and kubelet repeat every few seconds (the liveness
   * probe's Probe, kubelet's NodeGetVolumeStats): logged at {@code DEBUG} when they succeed, so
   * that {@code INFO} shows what changed.
   */
  static final Set<String> ROUTINE = routine();

  private static Set<String> routine() {
    Set<String> routine = new HashSet<>(CallExecutors.QUICK);
    routine.add("csi.v1.Node/NodeGetVolumeStats");
    return Set.copyOf(routine);
  }

  /** Name of the logger this interceptor writes to. */
  public static final String LOGGER_NAME = "io.s3csi.grpc.calls";

  private final Logger logger;
  private final LongSupplier nanoTime;
  private final RequestRedactor redactor;

  /** Creates an interceptor that logs to the {@value #LOGGER_NAME} system logger. */
  public LoggingInterceptor() {
    this(System.getLogger(LOGGER_NAME), System::nanoTime);
  }

  LoggingInterceptor(Logger logger, LongSupplier nanoTime) {
    this.logger = Objects.requireNonNull(logger, "logger");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.redactor = new RequestRedactor();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    CallRecord record = new CallRecord(call.getMethodDescriptor().getFullMethodName());
    // The call's context is cancelled at once when the client cancels or the deadline passes,
    // even while a handler still blocks the call's executor (which delays onCancel below).
    Context.current()
        .addListener(
            context -> record.complete(Status.fromCode(cancellationCode(context))), Runnable::run);
    ServerCall<Q, R> logged =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            record.complete(status);
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(logged, headers)) {
      @Override
      public void onMessage(Q message) {
        record.request(message);
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (RuntimeException | Error e) {
          // gRPC answers UNKNOWN without passing through close() above; a handler that keeps
          // writing to a call the client has cancelled also ends up here.
          record.complete(call.isCancelled() ? Status.CANCELLED : Status.UNKNOWN.withCause(e));
          throw e;
        }
      }

      @Override
      public void onCancel() {
        record.complete(Status.CANCELLED);
        super.onCancel();
      }
    };
  }

  /** State of one call; completes (and logs) at most once. */
  private final class CallRecord {
    private final String method;
    private final long startNanos;
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile Object request;

    CallRecord(String method) {
      this.method = method;
      this.startNanos = nanoTime.getAsLong();
    }

    void request(Object message) {
      if (request == null) {
        request = message;
      }
    }

    void complete(Status status) {
      if (!completed.compareAndSet(false, true)) {
        return;
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - startNanos);
      Level level =
          serverFault(status.getCode())
              ? Level.WARNING
              : status.isOk() && ROUTINE.contains(method) ? Level.DEBUG : Level.INFO;
      if (logger.isLoggable(level)) {
        StringBuilder line =
            new StringBuilder("method=")
                .append(method)
                .append(" status=")
                .append(status.getCode())
                .append(" duration_ms=")
                .append(millis);
        if (status.getDescription() != null) {
          line.append(" message=\"").append(status.getDescription()).append('"');
        }
        logger.log(level, line.toString(), status.getCause());
      }
      if (logger.isLoggable(Level.DEBUG)) {
        Object captured = request;
        String rendered =
            captured instanceof MessageOrBuilder message
                ? redactor.render(message)
                : "<" + (captured == null ? "none" : captured.getClass().getName()) + ">";
        logger.log(Level.DEBUG, "method=" + method + " request=" + rendered);
      }
    }
  }

  private static Status.Code cancellationCode(Context context) {
    Status status = Contexts.statusFromCancelled(context);
    return status == null ? Status.Code.CANCELLED : status.getCode();
  }

  private static boolean serverFault(Status.Code code) {
    return code == Status.Code.UNKNOWN
        || code == Status.Code.INTERNAL
        || code == Status.Code.DATA_LOSS;
  }
}
