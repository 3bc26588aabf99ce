package io.s3csi.launcher.bench;

import io.grpc.StatusRuntimeException;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.grpc.GrpcErrors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gRPC edge's error mapping: a domain error becomes a status exception on every failed call,
 * including the ABORTED answers a busy volume gives to kubelet's retries.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ErrorMappingBenchmark {
  private final DriverException aborted =
      DriverException.aborted("an operation on volume pv-1 at /var/lib/kubelet/pods/x is pending");
  private final DriverException invalid =
      new InvalidArgumentException("volume_context", "bucketName: must be set");

  @Benchmark
  public StatusRuntimeException aborted() {
    return GrpcErrors.toStatus(aborted);
  }

  @Benchmark
  public StatusRuntimeException invalidArgument() {
    return GrpcErrors.toStatus(invalid);
  }
}
