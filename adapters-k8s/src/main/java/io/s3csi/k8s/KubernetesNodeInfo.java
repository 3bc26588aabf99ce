package io.s3csi.k8s;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.s3csi.core.error.DriverException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The node's topology for NodeGetInfo's {@code accessible_topology}: the well-known {@value
 * #ZONE_LABEL} and {@value #REGION_LABEL} labels of the driver's Node object, those it has.
 */
public final class KubernetesNodeInfo {
  /** The well-known zone label. */
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  /** The well-known region label. */
  public static final String REGION_LABEL = "topology.kubernetes.io/region";

  private static final List<String> TOPOLOGY_LABELS = List.of(ZONE_LABEL, REGION_LABEL);

  private final CoreV1Api api;
  private final String nodeName;

  /**
   * Creates the reader.
   *
   * @param api the core/v1 API of the cluster
   * @param nodeName the Node the driver runs on (the driver's {@code --node-id})
   */
  public KubernetesNodeInfo(CoreV1Api api, String nodeName) {
    this.api = Objects.requireNonNull(api, "api");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
  }

  /**
   * Reads the node's topology labels.
   *
   * @return the zone and region labels the Node has, by label key (empty when it has neither)
   * @throws DriverException {@code FAILED_PRECONDITION} when the Node does not exist, {@code
   *     UNAVAILABLE} when the API cannot be reached, {@code PERMISSION_DENIED} naming {@code get
   *     nodes} when RBAC denies it
   */
  public Map<String, String> topology() {
    V1Node node;
    try {
      node = api.readNode(nodeName).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        throw DriverException.failedPrecondition(
            "node "
                + nodeName
                + " does not exist in the Kubernetes API; --node-id must be the node's name"
                + " (spec.nodeName through the downward API)");
      }
      throw KubernetesFailures.map(
          e,
          RequiredPermissions.GET_NODES,
          "at the cluster scope",
          "read node " + nodeName + "'s topology labels");
    }
    Map<String, String> labels =
        node.getMetadata() == null || node.getMetadata().getLabels() == null
            ? Map.of()
            : node.getMetadata().getLabels();
    Map<String, String> topology = new TreeMap<>();
    for (String key : TOPOLOGY_LABELS) {
      String value = labels.get(key);
      if (value != null && !value.isBlank()) {
        topology.put(key, value);
      }
    }
    return Map.copyOf(topology);
  }

  @Override
  public String toString() {
    return "KubernetesNodeInfo[" + nodeName + "]";
  }
}
