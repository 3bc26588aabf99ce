package io.s3csi.core.node;

import io.s3csi.core.fuse.FuseClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The node plugin's settings: who it is, where kubelet lives, and the defaults a volume falls back
 * to when its attributes are silent.
 *
 * @param nodeId the node id reported to kubelet (usually the Kubernetes node name)
 * @param kubeletRoot the kubelet root directory targets must lie under
 * @param defaultClient the FUSE client for volumes that name none
 * @param defaultEndpoint the S3 endpoint for volumes that name none (empty: AWS S3)
 * @param defaultRegion the region for volumes that name none
 * @param defaultPathStyle path-style addressing for volumes that do not say
 * @param maxVolumesPerNode the most volumes kubelet may publish on this node (0: no limit)
 */
public record NodeConfig(
    String nodeId,
    Path kubeletRoot,
    FuseClient defaultClient,
    Optional<URI> defaultEndpoint,
    Optional<String> defaultRegion,
    boolean defaultPathStyle,
    long maxVolumesPerNode) {

  /** Checks the settings. */
  public NodeConfig {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(kubeletRoot, "kubeletRoot");
    Objects.requireNonNull(defaultClient, "defaultClient");
    Objects.requireNonNull(defaultEndpoint, "defaultEndpoint");
    Objects.requireNonNull(defaultRegion, "defaultRegion");
    if (nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId must not be empty");
    }
    if (!kubeletRoot.isAbsolute()) {
      throw new IllegalArgumentException("kubeletRoot must be absolute: " + kubeletRoot);
    }
    if (maxVolumesPerNode < 0) {
      throw new IllegalArgumentException("maxVolumesPerNode must not be negative");
    }
  }
}
