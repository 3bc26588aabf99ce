package io.s3csi.k8s;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Taint;
import io.kubernetes.client.util.PatchUtils;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Removes the startup taint ({@value #DEFAULT_TAINT_KEY} by default) from the driver's Node once
 * the node plugin serves, so that workloads which tolerate nothing land only on nodes where the
 * driver is ready. Cluster operators add the taint to new nodes (a node pool's startup taints).
 *
 * <p>The removal is a JSON patch that first tests that the taint is still at the index read, so a
 * concurrent change of the taints fails the patch (422) instead of removing another taint; the
 * remover then reads the node again. It is idempotent: a node without the taint is left alone.
 */
public final class StartupTaintRemover {
  /** The taint key the deployment documents. */
  public static final String DEFAULT_TAINT_KEY = "s3.csi.s3csi.io/agent-not-ready";

  private static final Logger LOG = System.getLogger(StartupTaintRemover.class.getName());

  private final CoreV1Api api;
  private final String nodeName;
  private final String taintKey;
  private final int attempts;
  private final Duration backoff;

  /** What {@link #removeTaint()} found. */
  public enum Outcome {
    /** The taint was there and is gone now. */
    REMOVED,
    /** The node had no such taint. */
    NOT_PRESENT
  }

  /**
   * Creates the remover.
   *
   * @param api the core/v1 API of the cluster
   * @param nodeName the Node the driver runs on
   * @param taintKey the key of the taint to remove (every effect)
   * @param attempts how many times to try when the API is unavailable or the taints change
   *     concurrently (at least 1)
   * @param backoff the pause between attempts
   */
  public StartupTaintRemover(
      CoreV1Api api, String nodeName, String taintKey, int attempts, Duration backoff) {
    this.api = Objects.requireNonNull(api, "api");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.taintKey = Objects.requireNonNull(taintKey, "taintKey");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
    this.attempts = attempts;
  }

  /**
   * Removes the taint, retrying a bounded number of times.
   *
   * @return whether there was a taint to remove
   * @throws DriverException {@code PERMISSION_DENIED} naming the missing permission, {@code
   *     FAILED_PRECONDITION} when the Node does not exist, {@code UNAVAILABLE} when the API stays
   *     unreachable or the taints keep changing
   */
  public Outcome removeTaint() {
    DriverException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        Outcome outcome = removeOnce();
        LOG.log(Level.INFO, "startup taint {0} on node {1}: {2}", taintKey, nodeName, outcome);
        return outcome;
      } catch (DriverException e) {
        if (e.kind() != ErrorKind.UNAVAILABLE && e.kind() != ErrorKind.ABORTED) {
          throw e;
        }
        last = e;
        LOG.log(
            Level.WARNING,
            "cannot remove startup taint {0} (attempt {1} of {2}): {3}",
            taintKey,
            attempt,
            attempts,
            e.getMessage());
        pause(attempt);
      }
    }
    throw DriverException.unavailable(
        "gave up removing startup taint "
            + taintKey
            + " from node "
            + nodeName
            + " after "
            + attempts
            + " attempts: "
            + last.getMessage(),
        last);
  }

  private Outcome removeOnce() {
    V1Node node;
    try {
      node = api.readNode(nodeName).execute();
    } catch (ApiException e) {
      throw failure(e, RequiredPermissions.GET_NODES, "read node " + nodeName);
    }
    List<V1Taint> taints =
        node.getSpec() == null || node.getSpec().getTaints() == null
            ? List.of()
            : node.getSpec().getTaints();
    StringBuilder patch = new StringBuilder("[");
    int removed = 0;
    // remove from the end so the indexes of the taints still to remove stay valid
    for (int i = taints.size() - 1; i >= 0; i--) {
      if (taintKey.equals(taints.get(i).getKey())) {
        patch.append(removed == 0 ? "" : ",");
        patch.append(
            String.format(
                "{\"op\":\"test\",\"path\":\"/spec/taints/%d/key\",\"value\":\"%s\"},"
                    + "{\"op\":\"remove\",\"path\":\"/spec/taints/%d\"}",
                i, taintKey.replace("\\", "\\\\").replace("\"", "\\\""), i));
        removed++;
      }
    }
    if (removed == 0) {
      return Outcome.NOT_PRESENT;
    }
    patch.append(']');
    try {
      // PatchUtils sets the JSON patch content type; the generated call alone would not
      PatchUtils.patch(
          V1Node.class,
          () -> api.patchNode(nodeName, new V1Patch(patch.toString())).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_PATCH,
          api.getApiClient());
      return Outcome.REMOVED;
    } catch (ApiException e) {
      if (e.getCode() == 422 || e.getCode() == 409) {
        throw DriverException.aborted(
            "the taints of node " + nodeName + " changed while removing " + taintKey);
      }
      throw failure(
          e,
          RequiredPermissions.PATCH_NODES,
          "remove taint " + taintKey + " from node " + nodeName);
    }
  }

  private DriverException failure(ApiException e, Permission permission, String what) {
    if (e.getCode() == 404) {
      return DriverException.failedPrecondition(
          "node " + nodeName + " does not exist; --node-id must be the node's name");
    }
    return KubernetesFailures.map(e, permission, "at the cluster scope", what);
  }

  private void pause(int attempt) {
    if (attempt == attempts || backoff.isZero()) {
      return;
    }
    try {
      Thread.sleep(backoff.toMillis() * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DriverException.unavailable("interrupted while removing the startup taint", e);
    }
  }

  @Override
  public String toString() {
    return "StartupTaintRemover[" + nodeName + ", " + taintKey + "]";
  }
}
