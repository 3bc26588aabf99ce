package io.s3csi.grpc;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.node.PublishRequest;
import io.s3csi.core.node.UnpublishRequest;
import io.s3csi.core.provisioning.RequestedCapability;
import io.s3csi.core.provisioning.ValidateVolumeRequest;
import io.s3csi.core.volume.AccessMode;
import io.s3csi.grpc.csi.v1.CreateVolumeRequest;
import io.s3csi.grpc.csi.v1.DeleteVolumeRequest;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeRequest;
import io.s3csi.grpc.csi.v1.ValidateVolumeCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.VolumeCapability;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Translates CSI protobuf requests into core requests. Validation happens in core. */
final class CsiRequests {
  private CsiRequests() {}

  static PublishRequest publish(NodePublishVolumeRequest request) {
    return new PublishRequest(
        request.getVolumeId(),
        request.getTargetPath(),
        request.hasVolumeCapability() ? capability(request.getVolumeCapability()) : null,
        request.getReadonly(),
        request.getVolumeContextMap(),
        secrets(request.getSecretsMap()));
  }

  static UnpublishRequest unpublish(NodeUnpublishVolumeRequest request) {
    return new UnpublishRequest(request.getVolumeId(), request.getTargetPath());
  }

  static io.s3csi.core.provisioning.CreateVolumeRequest create(CreateVolumeRequest request) {
    return new io.s3csi.core.provisioning.CreateVolumeRequest(
        request.getName(),
        new io.s3csi.core.provisioning.CapacityRange(
            request.getCapacityRange().getRequiredBytes(),
            request.getCapacityRange().getLimitBytes()),
        requested(request.getVolumeCapabilitiesList()),
        request.getParametersMap(),
        secrets(request.getSecretsMap()),
        request.hasVolumeContentSource());
  }

  static io.s3csi.core.provisioning.DeleteVolumeRequest delete(DeleteVolumeRequest request) {
    return new io.s3csi.core.provisioning.DeleteVolumeRequest(
        request.getVolumeId(), secrets(request.getSecretsMap()));
  }

  static ValidateVolumeRequest validate(ValidateVolumeCapabilitiesRequest request) {
    return new ValidateVolumeRequest(
        request.getVolumeId(),
        request.getVolumeContextMap(),
        requested(request.getVolumeCapabilitiesList()),
        request.getParametersMap(),
        secrets(request.getSecretsMap()));
  }

  static List<RequestedCapability> requested(List<VolumeCapability> capabilities) {
    return capabilities.stream()
        .map(
            c ->
                new RequestedCapability(
                    c.hasBlock()
                        ? RequestedCapability.AccessType.BLOCK
                        : c.hasMount()
                            ? RequestedCapability.AccessType.MOUNT
                            : RequestedCapability.AccessType.UNSET,
                    accessMode(c.getAccessMode().getMode()),
                    c.getMount().getMountFlagsList(),
                    c.getMount().getVolumeMountGroup()))
        .toList();
  }

  static io.s3csi.core.volume.VolumeCapability capability(VolumeCapability capability) {
    return io.s3csi.core.volume.VolumeCapability.of(
        capability.hasBlock(),
        capability.hasMount(),
        accessMode(capability.getAccessMode().getMode()),
        capability.getMount().getMountFlagsList(),
        capability.getMount().getVolumeMountGroup());
  }

  static AccessMode accessMode(VolumeCapability.AccessMode.Mode mode) {
    return switch (mode) {
      case SINGLE_NODE_WRITER -> AccessMode.SINGLE_NODE_WRITER;
      case SINGLE_NODE_READER_ONLY -> AccessMode.SINGLE_NODE_READER_ONLY;
      case MULTI_NODE_READER_ONLY -> AccessMode.MULTI_NODE_READER_ONLY;
      case MULTI_NODE_SINGLE_WRITER -> AccessMode.MULTI_NODE_SINGLE_WRITER;
      case MULTI_NODE_MULTI_WRITER -> AccessMode.MULTI_NODE_MULTI_WRITER;
      case SINGLE_NODE_SINGLE_WRITER -> AccessMode.SINGLE_NODE_SINGLE_WRITER;
      case SINGLE_NODE_MULTI_WRITER -> AccessMode.SINGLE_NODE_MULTI_WRITER;
      case UNKNOWN, UNRECOGNIZED -> null;
    };
  }

  static Map<String, Secret> secrets(Map<String, String> raw) {
    Map<String, Secret> secrets = new LinkedHashMap<>();
    raw.forEach((key, value) -> secrets.put(key, Secret.of(value)));
    return secrets;
  }
}
