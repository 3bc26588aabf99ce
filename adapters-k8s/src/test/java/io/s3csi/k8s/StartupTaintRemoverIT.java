package io.s3csi.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.testkit.k8s.FakeKubernetesApi;
import io.s3csi.testkit.k8s.RecordedRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StartupTaintRemoverIT {
  private static final String TAINT =
      "{\"key\":\"s3.csi.s3csi.io/agent-not-ready\",\"effect\":\"NoExecute\"}";
  private static final String OTHER =
      "{\"key\":\"dedicated\",\"value\":\"gpu\",\"effect\":\"NoSchedule\"}";

  private final FakeKubernetesApi api = FakeKubernetesApi.start();
  private final StartupTaintRemover remover =
      new StartupTaintRemover(
          new CoreV1Api(KubernetesClients.fromUrl(api.url())),
          "n1",
          StartupTaintRemover.DEFAULT_TAINT_KEY,
          3,
          Duration.ZERO);

  @AfterEach
  void stop() {
    api.close();
  }

  private void node(String... taints) {
    api.put("nodes", null, "n1", "{\"spec\":{\"taints\":[" + String.join(",", taints) + "]}}");
  }

  @Test
  void removeTaint_present_removesOnlyItWithAJsonPatch() {
    node(OTHER, TAINT);

    assertThat(remover.removeTaint()).isEqualTo(StartupTaintRemover.Outcome.REMOVED);

    assertThat(api.get("nodes", null, "n1").orElseThrow())
        .contains("\"taints\":[" + OTHER + "]")
        .doesNotContain("agent-not-ready");
    RecordedRequest patch = api.requests().get(1);
    assertThat(patch.line()).isEqualTo("PATCH /api/v1/nodes/n1");
    assertThat(patch.contentType()).contains("application/json-patch+json");
  }

  @Test
  void removeTaint_calledTwice_secondFindsNothing() {
    node(TAINT);

    remover.removeTaint();

    assertThat(remover.removeTaint()).isEqualTo(StartupTaintRemover.Outcome.NOT_PRESENT);
    assertThat(api.requests())
        .extracting(RecordedRequest::line)
        .containsExactly("GET /api/v1/nodes/n1", "PATCH /api/v1/nodes/n1", "GET /api/v1/nodes/n1");
  }

  @Test
  void removeTaint_twoEffectsOfTheSameKey_removesBoth() {
    node(TAINT, OTHER, "{\"key\":\"s3.csi.s3csi.io/agent-not-ready\",\"effect\":\"NoSchedule\"}");

    remover.removeTaint();

    assertThat(api.get("nodes", null, "n1").orElseThrow()).contains("\"taints\":[" + OTHER + "]");
  }

  @Test
  void removeTaint_noTaints_isNotPresentWithoutPatch() {
    api.put("nodes", null, "n1", "{}");

    assertThat(remover.removeTaint()).isEqualTo(StartupTaintRemover.Outcome.NOT_PRESENT);
    assertThat(api.requests()).hasSize(1);
  }

  @Test
  void removeTaint_apiFailsThenServes_retries() {
    node(TAINT);
    api.failNext(503);
    api.failNext(503);

    assertThat(remover.removeTaint()).isEqualTo(StartupTaintRemover.Outcome.REMOVED);
    assertThat(api.requests()).hasSize(4);
  }

  @Test
  void removeTaint_taintsChangeDuringPatch_rereadsAndRemoves() {
    node(TAINT);
    // the patch's test operation fails, as when another client changed the taints meanwhile
    api.failNext("PATCH", 422);

    assertThat(remover.removeTaint()).isEqualTo(StartupTaintRemover.Outcome.REMOVED);
    assertThat(api.requests())
        .extracting(RecordedRequest::line)
        .containsExactly(
            "GET /api/v1/nodes/n1",
            "PATCH /api/v1/nodes/n1",
            "GET /api/v1/nodes/n1",
            "PATCH /api/v1/nodes/n1");
  }

  @Test
  void removeTaint_apiKeepsFailing_givesUpAfterTheAttempts() {
    node(TAINT);
    for (int i = 0; i < 3; i++) {
      api.failNext(503);
    }

    assertThatThrownBy(remover::removeTaint)
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
        .hasMessageStartingWith(
            "gave up removing startup taint s3.csi.s3csi.io/agent-not-ready from node n1 after 3"
                + " attempts:");
    assertThat(api.requests()).hasSize(3);
  }

  @Test
  void removeTaint_rbacDeniesPatch_failsAtOnceNamingPatchNodes() {
    node(TAINT);
    api.failNext("PATCH", 403);

    assertThatThrownBy(remover::removeTaint)
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED))
        .hasMessage(
            "the Kubernetes API denied the driver's request to remove taint"
                + " s3.csi.s3csi.io/agent-not-ready from node n1 (HTTP 403): the driver's service"
                + " account needs permission to \"patch nodes\" at the cluster scope; check the"
                + " driver's ClusterRole");
    assertThat(api.requests()).hasSize(2);
  }

  @Test
  void removeTaint_nodeMissing_isFailedPrecondition() {
    assertThatThrownBy(remover::removeTaint)
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessage("node n1 does not exist; --node-id must be the node's name");
  }
}
