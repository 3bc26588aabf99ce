package io.s3csi.core.node;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.volume.VolumeCapability;
import java.util.Map;
import java.util.Objects;

/**
 * A NodePublishVolume request in domain terms.
 *
 * @param volumeId the volume id
 * @param targetPath the target path as kubelet sent it
 * @param capability the volume capability; {@code null} when the request has none
 * @param readOnly the request's read-only flag
 * @param volumeContext the volume attributes
 * @param secrets the node-publish secrets
 */
public record PublishRequest(
    String volumeId,
    String targetPath,
    VolumeCapability capability,
    boolean readOnly,
    Map<String, String> volumeContext,
    Map<String, Secret> secrets) {

  /** Copies the maps; field checks happen in {@link NodeService#publish}. */
  public PublishRequest {
    volumeContext = Map.copyOf(Objects.requireNonNull(volumeContext, "volumeContext"));
    secrets = Map.copyOf(Objects.requireNonNull(secrets, "secrets"));
  }

  /** Never shows secret values or service-account tokens. */
  @Override
  public String toString() {
    return "PublishRequest[volumeId="
        + volumeId
        + ", targetPath="
        + targetPath
        + ", readOnly="
        + readOnly
        + ", capability="
        + capability
        + ", volumeContext="
        + Redaction.redactContext(volumeContext)
        + ", secrets="
        + secrets.keySet()
        + "]";
  }
}
