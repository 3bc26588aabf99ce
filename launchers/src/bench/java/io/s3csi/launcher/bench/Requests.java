package io.s3csi.launcher.bench;

import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeRequest;
import io.s3csi.grpc.csi.v1.VolumeCapability;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.nio.file.Path;
import java.util.Map;

/** The CSI requests kubelet would send for a statically provisioned bucket volume. */
final class Requests {
  private Requests() {}

  static NodePublishVolumeRequest publish(
      EmbeddedS3Server s3, String volumeId, String bucket, Path target, Map<String, String> extra) {
    return NodePublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setTargetPath(target.toString())
        .setVolumeCapability(multiWriter())
        .putVolumeContext("bucketName", bucket)
        .putVolumeContext("authenticationSource", "secret")
        .putAllVolumeContext(extra)
        .putSecrets("accessKeyId", s3.accessKeyId())
        .putSecrets("secretAccessKey", s3.secretAccessKey())
        .build();
  }

  static NodeUnpublishVolumeRequest unpublish(String volumeId, Path target) {
    return NodeUnpublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setTargetPath(target.toString())
        .build();
  }

  static VolumeCapability multiWriter() {
    return VolumeCapability.newBuilder()
        .setMount(VolumeCapability.MountVolume.getDefaultInstance())
        .setAccessMode(
            VolumeCapability.AccessMode.newBuilder()
                .setMode(VolumeCapability.AccessMode.Mode.MULTI_NODE_MULTI_WRITER))
        .build();
  }
}
