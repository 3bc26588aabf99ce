package io.s3csi.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3ReadinessCheckTest {

  @Test
  void forEndpoint_noEndpoint_asksTheRegionalAwsEndpoint() {
    assertThat(
            S3ReadinessCheck.forEndpoint(
                    Optional.empty(), Optional.of("eu-west-3"), Duration.ofSeconds(1))
                .endpoint())
        .isEqualTo(URI.create("https://s3.eu-west-3.amazonaws.com/"));
    assertThat(
            S3ReadinessCheck.forEndpoint(Optional.empty(), Optional.empty(), Duration.ofSeconds(1))
                .endpoint())
        .isEqualTo(URI.create("https://s3.us-east-1.amazonaws.com/"));
  }

  @Test
  void forEndpoint_endpointWithAPath_asksItsRoot() {
    assertThat(
            S3ReadinessCheck.forEndpoint(
                    Optional.of(URI.create("http://minio.storage:9000/some/path")),
                    Optional.empty(),
                    Duration.ofSeconds(1))
                .endpoint())
        .isEqualTo(URI.create("http://minio.storage:9000/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://host/", "minio:9000", "/just/a/path"})
  void forEndpoint_notAnHttpUrl_isRejectedNamingTheEndpoint(String endpoint) {
    assertThatThrownBy(
            () ->
                S3ReadinessCheck.forEndpoint(
                    Optional.of(URI.create(endpoint)), Optional.empty(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint: must be an http or https URL with a host, got '" + endpoint + "'");
  }

  @Test
  void notReadyReason_serverThatNeverAnswers_timesOutNamingTheEndpoint() throws Exception {
    // the kernel completes the TCP handshake into the backlog; nobody ever reads the request
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      URI endpoint = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
      S3ReadinessCheck check =
          S3ReadinessCheck.forEndpoint(
              Optional.of(endpoint), Optional.empty(), Duration.ofMillis(300));

      assertThat(check.notReadyReason())
          .contains("S3 at " + endpoint + " did not answer within 300 ms");
    }
  }
}
