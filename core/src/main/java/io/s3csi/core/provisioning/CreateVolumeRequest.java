package io.s3csi.core.provisioning;

import io.s3csi.core.credentials.Secret;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A CreateVolume request in domain terms.
 *
 * @param name the CSI volume name (the external-provisioner's {@code pvc-<uid>})
 * @param capacity the requested capacity range
 * @param capabilities the requested volume capabilities
 * @param parameters the StorageClass parameters (with the provisioner's extra metadata)
 * @param secrets the provisioner secrets
 * @param hasContentSource whether the request asks to pre-populate the volume from a snapshot or
 *     another volume
 */
public record CreateVolumeRequest(
    String name,
    CapacityRange capacity,
    List<RequestedCapability> capabilities,
    Map<String, String> parameters,
    Map<String, Secret> secrets,
    boolean hasContentSource) {

  /** Checks for nulls and copies; field checks happen in {@link ControllerService}. */
  public CreateVolumeRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(capacity, "capacity");
    capabilities = List.copyOf(capabilities);
    parameters = Map.copyOf(parameters);
    secrets = Map.copyOf(secrets);
  }

  /** Shows the secret names, never their values. */
  @Override
  public String toString() {
    return "CreateVolumeRequest[name="
        + name
        + ", capacity="
        + capacity
        + ", capabilities="
        + capabilities
        + ", parameters="
        + new java.util.TreeMap<>(parameters)
        + ", secrets="
        + new java.util.TreeSet<>(secrets.keySet())
        + ", hasContentSource="
        + hasContentSource
        + "]";
  }
}
