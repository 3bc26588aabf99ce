package io.s3csi.core.provisioning;

import io.s3csi.core.credentials.Secret;
import java.util.Map;
import java.util.Objects;

/**
 * A DeleteVolume request in domain terms.
 *
 * @param volumeId the volume id
 * @param secrets the provisioner secrets
 */
public record DeleteVolumeRequest(String volumeId, Map<String, Secret> secrets) {

  /** Checks for nulls and copies. */
  public DeleteVolumeRequest {
    Objects.requireNonNull(volumeId, "volumeId");
    secrets = Map.copyOf(secrets);
  }

  /** Shows the secret names, never their values. */
  @Override
  public String toString() {
    return "DeleteVolumeRequest[volumeId="
        + volumeId
        + ", secrets="
        + new java.util.TreeSet<>(secrets.keySet())
        + "]";
  }
}
