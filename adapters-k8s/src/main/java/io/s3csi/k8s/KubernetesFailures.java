package io.s3csi.k8s;

import io.kubernetes.client.openapi.ApiException;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;

/** Turns a failed API call into the driver's error vocabulary, naming what to fix. */
final class KubernetesFailures {
  private KubernetesFailures() {}

  /**
   * Maps a failure that is not a 404 (callers decide what a missing object means).
   *
   * @param e the client's exception
   * @param permission the permission the call needs
   * @param scope where, such as {@code in namespace team-a} or {@code on node n1}
   * @param what what the call was for, such as {@code read the service account team-a/app}
   */
  static DriverException map(ApiException e, Permission permission, String scope, String what) {
    int code = e.getCode();
    if (code == 0) {
      return DriverException.unavailable(
          "cannot reach the Kubernetes API server to " + what + ": " + cause(e), e);
    }
    if (code == 401) {
      return new DriverException(
          ErrorKind.PERMISSION_DENIED,
          "the Kubernetes API rejected the driver's credentials when trying to "
              + what
              + " (HTTP 401): the driver pod's service-account token is missing, expired or"
              + " not trusted",
          e);
    }
    if (code == 403) {
      return new DriverException(
          ErrorKind.PERMISSION_DENIED,
          "the Kubernetes API denied the driver's request to "
              + what
              + " (HTTP "
              + code
              + "): the driver's service account needs permission to \""
              + permission
              + "\" "
              + scope
              + "; check the driver's ClusterRole",
          e);
    }
    if (code == 429 || code >= 500) {
      return DriverException.unavailable(
          "the Kubernetes API server failed to " + what + " (HTTP " + code + "); retry", e);
    }
    return DriverException.internal(
        "the Kubernetes API server refused to " + what + " (HTTP " + code + ")", e);
  }

  private static String cause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
