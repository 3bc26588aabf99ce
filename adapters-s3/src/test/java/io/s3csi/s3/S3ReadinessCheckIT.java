package io.s3csi.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The S3 readiness check against a real S3 server, running and then stopped. */
class S3ReadinessCheckIT {

  @Test
  void notReadyReason_serverRunningThenStopped_isReadyThenNamesTheEndpoint() {
    try (EmbeddedS3Server s3 = EmbeddedS3Server.builder().start()) {
      URI endpoint = s3.endpoint();
      S3ReadinessCheck check =
          S3ReadinessCheck.forEndpoint(
              Optional.of(endpoint), Optional.of("us-east-1"), Duration.ofSeconds(3));

      // an anonymous HEAD / is refused (403), which proves S3 answers
      assertThat(check.notReadyReason()).isEmpty();

      s3.stop();

      assertThat(check.notReadyReason())
          .hasValueSatisfying(
              reason ->
                  assertThat(reason)
                      .startsWith("cannot reach S3 at " + check.endpoint() + ": ")
                      .contains("ConnectException"));
    }
  }
}
