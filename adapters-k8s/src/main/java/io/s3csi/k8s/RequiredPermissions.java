package io.s3csi.k8s;

import java.util.List;

/**
 * Every Kubernetes API call the adapters of this package make, in one place, so that the
 * deployment's RBAC can grant exactly these (a test of the manifests checks it). All are in the
 * core API group ({@code ""}).
 */
public final class RequiredPermissions {
  /** {@link PodIdentityCredentialProvider}: the workload's service account and its role. */
  public static final Permission GET_SERVICE_ACCOUNTS =
      new Permission("get", "serviceaccounts", true);

  /** {@link KubernetesNodeInfo}: the node's topology labels; the startup taint's current list. */
  public static final Permission GET_NODES = new Permission("get", "nodes", false);

  /** {@link StartupTaintRemover}: removes the startup taint. */
  public static final Permission PATCH_NODES = new Permission("patch", "nodes", false);

  /** {@link KubernetesEvents}: events on workload pods. */
  public static final Permission CREATE_EVENTS = new Permission("create", "events", true);

  /** What the node plugin needs. */
  public static final List<Permission> NODE =
      List.of(GET_SERVICE_ACCOUNTS, GET_NODES, PATCH_NODES, CREATE_EVENTS);

  /** What the controller plugin itself needs: nothing (its sidecars have their own rules). */
  public static final List<Permission> CONTROLLER = List.of();

  private RequiredPermissions() {}
}
