package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.ProbeRequest;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's HTTP endpoints with real components: the metrics of a publish cycle with s3fs, the
 * readiness that follows the S3 server, and the CSI Probe that agrees with {@code /readyz}.
 */
class ObservabilityIT {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;
  private EmbeddedS3Server s3;
  private InJvmDriver driver;
  private CsiClient csi;

  @BeforeEach
  void start() {
    s3 = EmbeddedS3Server.builder().start();
    driver = InJvmDriver.start(dir, s3, "all", FuseClient.S3FS, "--metrics-address", "127.0.0.1:0");
    csi = driver.csi();
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void metrics_publishCycle_countsCallsPublishesAndFailures() throws Exception {
    s3.createBucket("obs-bucket");
    Path target = target();

    csi.node().nodePublishVolume(publish(target, true));
    assertThatThrownBy(() -> csi.node().nodePublishVolume(publish(target(), false)))
        .isInstanceOf(StatusRuntimeException.class);
    csi.node().nodeUnpublishVolume(CsiRequests.unpublish("obs-bucket", target));

    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("s3csi_build_info{version=\"" + VersionProvider.version() + "\"} 1")
        .contains("s3csi_publishes_total{client=\"s3fs\",result=\"mounted\"} 1.0")
        .contains("s3csi_mount_failures_total{client=\"s3fs\",reason=\"invalid_argument\"} 1.0")
        .contains("s3csi_csi_calls_total{code=\"OK\",method=\"NodePublishVolume\"} 1.0")
        .contains(
            "s3csi_csi_calls_total{code=\"INVALID_ARGUMENT\",method=\"NodePublishVolume\"} 1.0")
        .contains("s3csi_csi_calls_total{code=\"OK\",method=\"NodeUnpublishVolume\"} 1.0")
        .contains("s3csi_csi_call_duration_seconds_count{method=\"NodePublishVolume\"} 2")
        .contains("jvm_memory_used_bytes{area=\"heap\"}");
  }

  @Test
  void readiness_s3StopsAnswering_readyzIs503AndTheProbeIsNotReady() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(csi.identity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue())
        .isTrue();

    s3.stop();

    HttpResponse<String> readyz = get("/readyz");
    assertThat(readyz.statusCode()).isEqualTo(503);
    assertThat(readyz.body())
        .startsWith("not ready: cannot reach S3 at " + s3.endpoint().resolve("/") + ": ");
    assertThat(csi.identity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue())
        .isFalse();
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void start_metricsPortTaken_isAConfigurationErrorNamingTheFlag() {
    int port = metricsPort();

    assertThatThrownBy(
            () ->
                Driver.start(
                    DriverConfig.fromFlags(
                        "--endpoint",
                        "unix://" + dir.resolve("other.sock"),
                        "--node-id",
                        "it-node",
                        "--mode",
                        "controller",
                        "--state-dir",
                        dir.resolve("state2").toString(),
                        "--metrics-address",
                        "127.0.0.1:" + port)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "--metrics-address: cannot listen on 127.0.0.1:" + port + ": Address already in use");
    assertThat(dir.resolve("other.sock")).doesNotExist();
  }

  private NodePublishVolumeRequest publish(Path target, boolean withSecrets) {
    NodePublishVolumeRequest.Builder request =
        CsiRequests.publishBucket("obs-bucket", target, CsiRequests.multiWriter());
    if (withSecrets) {
      request.putAllSecrets(CsiRequests.keys(s3));
    }
    return request.build();
  }

  private Path target() {
    return driver.directory().target("pv-obs");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + metricsPort() + path);
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private int metricsPort() {
    return driver.driver().metricsAddress().orElseThrow().getPort();
  }
}
