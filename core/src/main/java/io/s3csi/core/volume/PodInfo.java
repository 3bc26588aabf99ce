package io.s3csi.core.volume;

import io.s3csi.core.credentials.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * What kubelet tells the driver about the workload pod ({@code csi.storage.k8s.io/*} attributes,
 * sent when the CSIDriver has {@code podInfoOnMount: true}).
 *
 * @param name the pod's name
 * @param namespace the pod's namespace
 * @param uid the pod's UID
 * @param serviceAccountName the pod's service account
 * @param ephemeral whether the volume is a CSI ephemeral inline volume
 * @param serviceAccountTokens the JSON map of audience to token kubelet passes when the CSIDriver
 *     asks for {@code tokenRequests}
 */
public record PodInfo(
    Optional<String> name,
    Optional<String> namespace,
    Optional<String> uid,
    Optional<String> serviceAccountName,
    boolean ephemeral,
    Optional<Secret> serviceAccountTokens) {

  /** No pod information. */
  public static final PodInfo NONE =
      new PodInfo(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          false,
          Optional.empty());

  /** Checks for nulls. */
  public PodInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(serviceAccountName, "serviceAccountName");
    Objects.requireNonNull(serviceAccountTokens, "serviceAccountTokens");
  }
}
