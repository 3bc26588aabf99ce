package io.s3csi.core.provisioning;

import io.s3csi.core.credentials.Secret;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A ValidateVolumeCapabilities request in domain terms.
 *
 * @param volumeId the volume id: an s3csi id, or a static volume's handle
 * @param volumeContext the volume's attributes
 * @param capabilities the capabilities to confirm
 * @param parameters the StorageClass parameters, when the caller sends them
 * @param secrets the request's secrets
 */
public record ValidateVolumeRequest(
    String volumeId,
    Map<String, String> volumeContext,
    List<RequestedCapability> capabilities,
    Map<String, String> parameters,
    Map<String, Secret> secrets) {

  /** Checks for nulls and copies. */
  public ValidateVolumeRequest {
    Objects.requireNonNull(volumeId, "volumeId");
    volumeContext = Map.copyOf(volumeContext);
    capabilities = List.copyOf(capabilities);
    parameters = Map.copyOf(parameters);
    secrets = Map.copyOf(secrets);
  }

  /** Shows the secret names, never their values. */
  @Override
  public String toString() {
    return "ValidateVolumeRequest[volumeId="
        + volumeId
        + ", capabilities="
        + capabilities
        + ", secrets="
        + new java.util.TreeSet<>(secrets.keySet())
        + "]";
  }
}
