package io.s3csi.k8s;

import java.util.Objects;

/**
 * Who records events and where a user looks next: the driver's own pod (from the downward API) and
 * its node.
 *
 * @param component the reporting component, the CSI driver name ({@code s3.csi.s3csi.io})
 * @param nodeName the node the driver runs on
 * @param driverNamespace the driver pod's namespace
 * @param driverPod the driver pod's name
 * @param driverContainer the driver's container in that pod
 */
public record EventSource(
    String component,
    String nodeName,
    String driverNamespace,
    String driverPod,
    String driverContainer) {

  /** Checks that nothing is null or empty. */
  public EventSource {
    for (String value :
        new String[] {component, nodeName, driverNamespace, driverPod, driverContainer}) {
      if (Objects.requireNonNull(value, "EventSource fields must not be null").isBlank()) {
        throw new IllegalArgumentException("EventSource fields must not be empty");
      }
    }
  }

  /** The command that shows the driver's log for this node. */
  String logsCommand() {
    return "kubectl logs -n " + driverNamespace + " " + driverPod + " -c " + driverContainer;
  }
}
