package io.s3csi.launcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.node.PublishOutcome;
import io.s3csi.core.node.PublishResult;
import io.s3csi.core.volume.PodInfo;
import io.s3csi.grpc.csi.v1.IdentityGrpc;
import io.s3csi.grpc.csi.v1.ProbeRequest;
import io.s3csi.grpc.csi.v1.ProbeResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DriverMetricsTest {
  private final DriverMetrics metrics =
      new DriverMetrics(
          "1.2.3", Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));

  @Test
  void new_registry_servesBuildInfoAndJvmMetrics() {
    assertThat(metrics.text())
        .contains("s3csi_build_info{version=\"1.2.3\"} 1")
        .contains("jvm_memory_used_bytes{area=\"heap\"}")
        .contains("jvm_threads_current");
  }

  @Test
  void mountsObserved_countsByStateAndClient_withZeroForClientsNotNamed() {
    metrics.mountsObserved(
        Map.of("mounted", Map.of(FuseClient.S3FS, 3), "Corrupted", Map.of(FuseClient.RCLONE, 1)));

    assertThat(metrics.text())
        .contains("s3csi_mounts{client=\"s3fs\",state=\"mounted\"} 3.0")
        .contains("s3csi_mounts{client=\"mount-s3\",state=\"mounted\"} 0.0")
        .contains("s3csi_mounts{client=\"rclone\",state=\"corrupted\"} 1.0");
  }

  @Test
  void mountsObserved_again_replacesTheStatesLeftOut() {
    metrics.mountsObserved(Map.of("corrupted", Map.of(FuseClient.RCLONE, 1)));
    metrics.mountsObserved(Map.of("mounted", Map.of(FuseClient.S3FS, 2)));

    assertThat(metrics.text())
        .contains("s3csi_mounts{client=\"s3fs\",state=\"mounted\"} 2.0")
        .doesNotContain("state=\"corrupted\"");
  }

  @Test
  void mountsObserved_blankState_isRejectedNamingState() {
    assertThatThrownBy(() -> metrics.mountsObserved(Map.of(" ", Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state must not be blank");
  }

  @Test
  void sweepFinding_countsByKindAndWhetherCleaned() {
    metrics.sweepFinding("orphan_credentials", true);
    metrics.sweepFinding("orphan_credentials", true);
    metrics.sweepFinding("dead_mount", false);

    assertThat(metrics.text())
        .contains("s3csi_sweep_findings_total{cleaned=\"true\",kind=\"orphan_credentials\"} 2.0")
        .contains("s3csi_sweep_findings_total{cleaned=\"false\",kind=\"dead_mount\"} 1.0");
  }

  @Test
  void sweepCompleted_observesTheDurationAndTheTime() {
    assertThat(metrics.text()).contains("s3csi_sweep_last_completed_timestamp_seconds 0.0");

    metrics.sweepCompleted(Duration.ofMillis(300));

    assertThat(metrics.text())
        .contains("s3csi_sweep_duration_seconds_bucket{le=\"0.25\"} 0")
        .contains("s3csi_sweep_duration_seconds_bucket{le=\"0.5\"} 1")
        .contains("s3csi_sweep_duration_seconds_count 1")
        .contains("s3csi_sweep_last_completed_timestamp_seconds 1.7E9");
  }

  @Test
  void nodeObserver_success_countsThePublishByResultAndClient() {
    metrics
        .nodeObserver()
        .publishEnded(outcome(Optional.of(FuseClient.S3FS), Optional.of(PublishResult.REMOUNTED)));

    assertThat(metrics.text())
        .contains("s3csi_publishes_total{client=\"s3fs\",result=\"remounted\"} 1.0")
        .doesNotContain("s3csi_mount_failures_total{");
  }

  @Test
  void nodeObserver_failure_countsByErrorKindAndClient() {
    metrics
        .nodeObserver()
        .publishEnded(
            failure(Optional.of(FuseClient.RCLONE), DriverException.deadlineExceeded("slow")));
    metrics
        .nodeObserver()
        .publishEnded(
            failure(Optional.empty(), new InvalidArgumentException("volume_id", "must be set")));

    assertThat(metrics.text())
        .contains("s3csi_mount_failures_total{client=\"rclone\",reason=\"deadline_exceeded\"} 1.0")
        .contains("s3csi_mount_failures_total{client=\"none\",reason=\"invalid_argument\"} 1.0");
  }

  @Test
  void interceptor_calls_areTimedAndCountedByMethodAndCode() throws Exception {
    AtomicLong clock = new AtomicLong();
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(
                    new IdentityGrpc.IdentityImplBase() {
                      @Override
                      public void probe(
                          ProbeRequest request, StreamObserver<ProbeResponse> observer) {
                        clock.addAndGet(70_000_000L); // the call takes 70 ms
                        if (clock.get() > 100_000_000L) {
                          observer.onError(Status.UNAVAILABLE.asRuntimeException());
                          return;
                        }
                        observer.onNext(ProbeResponse.getDefaultInstance());
                        observer.onCompleted();
                      }
                    },
                    new MetricsInterceptor(metrics, clock::get)))
            .build()
            .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      IdentityGrpc.IdentityBlockingStub stub = IdentityGrpc.newBlockingStub(channel);
      stub.probe(ProbeRequest.getDefaultInstance());
      assertThatThrownBy(() -> stub.probe(ProbeRequest.getDefaultInstance()))
          .isInstanceOf(StatusRuntimeException.class);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    assertThat(metrics.text())
        .contains("s3csi_csi_calls_total{code=\"OK\",method=\"Probe\"} 1.0")
        .contains("s3csi_csi_calls_total{code=\"UNAVAILABLE\",method=\"Probe\"} 1.0")
        .contains("s3csi_csi_call_duration_seconds_bucket{method=\"Probe\",le=\"0.05\"} 0")
        .contains("s3csi_csi_call_duration_seconds_bucket{method=\"Probe\",le=\"0.1\"} 2")
        .contains("s3csi_csi_call_duration_seconds_count{method=\"Probe\"} 2");
  }

  private static PublishOutcome outcome(
      Optional<FuseClient> client, Optional<PublishResult> result) {
    return new PublishOutcome(
        "vol", "/t", PodInfo.NONE, Optional.of("b"), client, result, Optional.empty());
  }

  private static PublishOutcome failure(Optional<FuseClient> client, DriverException e) {
    return new PublishOutcome(
        "vol", "/t", PodInfo.NONE, Optional.empty(), client, Optional.empty(), Optional.of(e));
  }
}
