package io.s3csi.launcher;

import io.s3csi.grpc.csi.v1.CreateVolumeRequest;
import io.s3csi.grpc.csi.v1.DeleteVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeGetVolumeStatsRequest;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeRequest;
import io.s3csi.grpc.csi.v1.VolumeCapability;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The CSI requests that the launcher's ITs send as kubelet and the external-provisioner would: one
 * place for what every IT builds the same way. Target paths come from {@link DriverDirectory}.
 */
final class CsiRequests {
  private CsiRequests() {}

  /** A mounted volume that many nodes may read and write, as a ReadWriteMany PV asks for. */
  static VolumeCapability multiWriter() {
    return mount(VolumeCapability.AccessMode.Mode.MULTI_NODE_MULTI_WRITER);
  }

  /** A mounted volume that one node may read and write, as a ReadWriteOnce PV asks for. */
  static VolumeCapability singleWriter() {
    return mount(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER);
  }

  private static VolumeCapability mount(VolumeCapability.AccessMode.Mode mode) {
    return VolumeCapability.newBuilder()
        .setMount(VolumeCapability.MountVolume.getDefaultInstance())
        .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
        .build();
  }

  /** The S3 server's keys, under the names a volume's secret uses. */
  static Map<String, String> keys(EmbeddedS3Server s3) {
    return keys(s3.accessKeyId(), s3.secretAccessKey());
  }

  /** Keys under the names a volume's secret uses. */
  static Map<String, String> keys(String accessKeyId, String secretAccessKey) {
    return Map.of("accessKeyId", accessKeyId, "secretAccessKey", secretAccessKey);
  }

  /** A publish of a volume at a target with a capability; volume context and secrets to add. */
  static NodePublishVolumeRequest.Builder publish(
      String volumeId, Path target, VolumeCapability capability) {
    return NodePublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setTargetPath(target.toString())
        .setVolumeCapability(capability);
  }

  /**
   * A publish of a whole bucket, named as the volume, whose keys come from the request's secrets
   * (to add).
   */
  static NodePublishVolumeRequest.Builder publishBucket(
      String bucket, Path target, VolumeCapability capability) {
    return publish(bucket, target, capability)
        .putVolumeContext("bucketName", bucket)
        .putVolumeContext("authenticationSource", "secret");
  }

  /**
   * A CreateVolume of a new claim, with one multi-writer capability, whose keys come from the
   * request's secrets; parameters to add.
   */
  static CreateVolumeRequest.Builder createVolume(Map<String, String> secrets) {
    return CreateVolumeRequest.newBuilder()
        .setName("pvc-" + UUID.randomUUID())
        .addVolumeCapabilities(multiWriter())
        .putParameters("authenticationSource", "secret")
        .putAllSecrets(secrets);
  }

  /** The DeleteVolume of a volume, with its secrets. */
  static DeleteVolumeRequest deleteVolume(String volumeId, Map<String, String> secrets) {
    return DeleteVolumeRequest.newBuilder().setVolumeId(volumeId).putAllSecrets(secrets).build();
  }

  /** The unpublish of a volume from a target. */
  static NodeUnpublishVolumeRequest unpublish(String volumeId, Path target) {
    return NodeUnpublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setTargetPath(target.toString())
        .build();
  }

  /** The stats of a volume published at a target. */
  static NodeGetVolumeStatsRequest stats(String volumeId, Path target) {
    return NodeGetVolumeStatsRequest.newBuilder()
        .setVolumeId(volumeId)
        .setVolumePath(target.toString())
        .build();
  }
}
