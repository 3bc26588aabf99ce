package io.s3csi.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.testkit.k8s.FakeKubernetesApi;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesNodeInfoIT {
  private final FakeKubernetesApi api = FakeKubernetesApi.start();
  private final KubernetesNodeInfo info =
      new KubernetesNodeInfo(new CoreV1Api(KubernetesClients.fromUrl(api.url())), "n1");

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void topology_zoneAndRegionLabels_returnsBothAndNothingElse() {
    api.put(
        "nodes",
        null,
        "n1",
        "{\"metadata\":{\"labels\":{\"topology.kubernetes.io/zone\":\"eu-west-1a\","
            + "\"topology.kubernetes.io/region\":\"eu-west-1\",\"kubernetes.io/os\":\"linux\"}}}");

    assertThat(info.topology())
        .isEqualTo(
            Map.of(
                "topology.kubernetes.io/zone", "eu-west-1a",
                "topology.kubernetes.io/region", "eu-west-1"));
  }

  @Test
  void topology_noLabels_isEmpty() {
    api.put("nodes", null, "n1", "{}");

    assertThat(info.topology()).isEmpty();
  }

  @Test
  void topology_nodeMissing_isFailedPreconditionAboutNodeId() {
    assertThatThrownBy(info::topology)
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessageStartingWith("node n1 does not exist in the Kubernetes API; --node-id");
  }

  @Test
  void topology_rbacDenied_namesGetNodes() {
    api.failNext(403);

    assertThatThrownBy(info::topology)
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED))
        .hasMessageContaining("needs permission to \"get nodes\" at the cluster scope");
  }

  @Test
  void topology_apiUnreachable_isUnavailable() {
    api.stop();

    assertThatThrownBy(info::topology)
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
  }

  @Test
  void topology_unauthenticated_isPermissionDeniedAboutTheToken() {
    api.failNext(401);

    assertThatThrownBy(info::topology)
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED))
        .hasMessage(
            "the Kubernetes API rejected the driver's credentials when trying to read node n1's"
                + " topology labels (HTTP 401): the driver pod's service-account token is missing,"
                + " expired or not trusted");
  }
}
