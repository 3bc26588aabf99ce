package io.s3csi.launcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.identity.Readiness;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final DriverMetrics metrics = new DriverMetrics("9.9.9");
  private final AtomicReference<Readiness> readiness =
      new AtomicReference<>(new Readiness(true, List.of()));
  private MetricsServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        MetricsServer.start(new MetricsAddress("127.0.0.1", 0), metrics.registry(), readiness::get);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void metrics_get_servesTheRegistryInTheTextFormat() throws Exception {
    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body())
        .contains("# TYPE s3csi_build_info gauge")
        .contains("s3csi_build_info{version=\"9.9.9\"} 1");
  }

  @Test
  void healthz_get_isOk() throws Exception {
    HttpResponse<String> response = get("/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void readyz_ready_isOk() throws Exception {
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void readyz_notReady_is503WithEveryReason() throws Exception {
    readiness.set(new Readiness(false, List.of("cannot reach systemd", "S3 is down")));

    HttpResponse<String> response = get("/readyz");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("not ready: cannot reach systemd; S3 is down\n");
  }

  @Test
  void otherPath_is404() throws Exception {
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void readyz_post_is405() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/readyz"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
  }

  @Test
  void close_stopsListening() {
    server.close();

    Assertions.assertThatThrownBy(() -> get("/healthz")).isInstanceOf(ConnectException.class);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }
}
