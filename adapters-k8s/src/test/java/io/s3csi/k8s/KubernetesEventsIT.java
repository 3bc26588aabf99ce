package io.s3csi.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.volume.PodInfo;
import io.s3csi.core.volume.VolumeContext;
import io.s3csi.testkit.k8s.FakeKubernetesApi;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesEventsIT {
  private static final EventSource SOURCE =
      new EventSource("s3.csi.s3csi.io", "n1", "kube-system", "s3csi-node-abcde", "s3csi");

  private final FakeKubernetesApi api = FakeKubernetesApi.start();
  private final KubernetesEvents events =
      new KubernetesEvents(
          new CoreV1Api(KubernetesClients.fromUrl(api.url())),
          SOURCE,
          Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
  private final PodInfo pod =
      VolumeContext.parse("vol-1", Volumes.podAttributes("team-a", "web-0", "app")).pod();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void mountFailed_withPodInfo_recordsAWarningOnThePod() {
    boolean recorded =
        events.mountFailed(
            pod,
            "vol-1",
            "bucket-a",
            DriverException.unavailable("S3 endpoint https://s3.example unreachable", null));

    assertThat(recorded).isTrue();
    List<String> stored = api.list("events", "team-a");
    assertThat(stored).hasSize(1);
    JsonObject event = JsonParser.parseString(stored.get(0)).getAsJsonObject();
    assertThat(event.get("type").getAsString()).isEqualTo("Warning");
    assertThat(event.get("reason").getAsString()).isEqualTo("S3MountFailed");
    JsonObject involved = event.getAsJsonObject("involvedObject");
    assertThat(involved.get("kind").getAsString()).isEqualTo("Pod");
    assertThat(involved.get("name").getAsString()).isEqualTo("web-0");
    assertThat(involved.get("namespace").getAsString()).isEqualTo("team-a");
    assertThat(involved.get("uid").getAsString()).isEqualTo("uid-web-0");
    assertThat(event.get("message").getAsString())
        .isEqualTo(
            "mounting bucket bucket-a (volume vol-1) failed: UNAVAILABLE: S3 endpoint"
                + " https://s3.example unreachable. Next: kubectl logs -n kube-system"
                + " s3csi-node-abcde -c s3csi");
    assertThat(event.getAsJsonObject("source").get("host").getAsString()).isEqualTo("n1");
    assertThat(event.get("firstTimestamp").getAsString()).startsWith("2026-01-02T03:04:05");
    assertThat(event.getAsJsonObject("metadata").get("name").getAsString()).startsWith("web-0.");
  }

  @Test
  void mountFailed_twice_recordsTwoEvents() {
    DriverException failure = DriverException.failedPrecondition("no such bucket");

    events.mountFailed(pod, "vol-1", "bucket-a", failure);
    events.mountFailed(pod, "vol-1", "bucket-a", failure);

    assertThat(api.list("events", "team-a")).hasSize(2);
  }

  @Test
  void mountFailed_withoutPodInfo_recordsNothing() {
    assertThat(
            events.mountFailed(
                PodInfo.NONE, "vol-1", "bucket-a", DriverException.failedPrecondition("x")))
        .isFalse();
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void mountFailed_rbacDenied_isBestEffort() {
    api.failNext(403);

    assertThat(
            events.mountFailed(pod, "vol-1", "bucket-a", DriverException.failedPrecondition("x")))
        .isFalse();
    assertThat(api.list("events", null)).isEmpty();
  }

  @Test
  void mountFailed_apiUnreachable_isBestEffort() {
    api.stop();

    assertThat(
            events.mountFailed(pod, "vol-1", "bucket-a", DriverException.failedPrecondition("x")))
        .isFalse();
  }
}
