package io.s3csi.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.s3csi.core.error.DriverException;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class KubernetesEventsTest {
  private final KubernetesEvents events =
      new KubernetesEvents(
          new CoreV1Api(KubernetesClients.fromUrl("http://127.0.0.1:1")),
          new EventSource("s3.csi.s3csi.io", "n1", "kube-system", "s3csi-node-x", "s3csi"),
          Clock.systemUTC());

  @Test
  void message_failureNamesAUnit_suggestsSystemctlFirst() {
    String message =
        events.message(
            "vol-1",
            "b",
            DriverException.internal("unit s3csi-abc123.service exited: 403 Forbidden", null));

    assertThat(message)
        .endsWith(
            ". Next: systemctl status s3csi-abc123.service on node n1, or kubectl logs -n"
                + " kube-system s3csi-node-x -c s3csi");
  }

  @Test
  void message_veryLongFailure_isShortenedKeepingTheNextStep() {
    String message = events.message("vol-1", "b", DriverException.internal("x".repeat(5000), null));

    assertThat(message).hasSize(KubernetesEvents.MAX_MESSAGE);
    assertThat(message)
        .contains("...")
        .endsWith("kubectl logs -n kube-system s3csi-node-x -c s3csi");
  }

  @Test
  void message_unknownBucket_saysSo() {
    assertThat(events.message("vol-1", null, DriverException.failedPrecondition("bad")))
        .startsWith("mounting bucket (unknown) (volume vol-1) failed: FAILED_PRECONDITION: bad.");
  }
}
