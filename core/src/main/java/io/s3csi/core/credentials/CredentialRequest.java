package io.s3csi.core.credentials;

import io.s3csi.core.volume.VolumeContext;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link CredentialProvider} may look at to choose an identity: the volume (its attributes,
 * its authentication source, the workload pod) and the secrets sent with the request.
 *
 * @param volume the volume being published
 * @param secrets the request's secrets (a PersistentVolume's {@code nodePublishSecretRef})
 */
public record CredentialRequest(VolumeContext volume, Map<String, Secret> secrets) {

  /** Checks and copies. */
  public CredentialRequest {
    Objects.requireNonNull(volume, "volume");
    secrets = Map.copyOf(secrets);
  }

  /** Shows the secret names, never their values. */
  @Override
  public String toString() {
    return "CredentialRequest[volume=" + volume.volumeId() + ", secrets=" + secrets.keySet() + "]";
  }
}
