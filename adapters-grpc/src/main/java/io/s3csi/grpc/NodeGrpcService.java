package io.s3csi.grpc;

import io.grpc.stub.StreamObserver;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.node.NodeService;
import io.s3csi.core.node.VolumeStats;
import io.s3csi.grpc.csi.v1.NodeGetCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.NodeGetCapabilitiesResponse;
import io.s3csi.grpc.csi.v1.NodeGetInfoRequest;
import io.s3csi.grpc.csi.v1.NodeGetInfoResponse;
import io.s3csi.grpc.csi.v1.NodeGetVolumeStatsRequest;
import io.s3csi.grpc.csi.v1.NodeGetVolumeStatsResponse;
import io.s3csi.grpc.csi.v1.NodeGrpc;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodePublishVolumeResponse;
import io.s3csi.grpc.csi.v1.NodeServiceCapability;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeResponse;
import io.s3csi.grpc.csi.v1.Topology;
import io.s3csi.grpc.csi.v1.VolumeCondition;
import io.s3csi.grpc.csi.v1.VolumeUsage;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The CSI Node service, bound to {@link NodeService}. S3 volumes need no staging, so the node
 * advertises no STAGE_UNSTAGE_VOLUME capability and kubelet calls publish directly. It advertises
 * GET_VOLUME_STATS and VOLUME_CONDITION: NodeGetVolumeStats reports whether the FUSE mount serves,
 * and the usage its client reports to statfs.
 */
public final class NodeGrpcService extends NodeGrpc.NodeImplBase {
  private final NodeService node;
  private final Supplier<Map<String, String>> topology;

  /**
   * Creates the service; NodeGetInfo reports no topology.
   *
   * @param node the node use-cases
   */
  public NodeGrpcService(NodeService node) {
    this(node, Map::of);
  }

  /**
   * Creates the service with the node's topology.
   *
   * @param node the node use-cases
   * @param topology reads the node's topology segments (such as {@code
   *     topology.kubernetes.io/zone}) for NodeGetInfo; an empty map reports none, and a {@link
   *     io.s3csi.core.error.DriverException} fails NodeGetInfo with its code (kubelet retries the
   *     registration)
   */
  public NodeGrpcService(NodeService node, Supplier<Map<String, String>> topology) {
    this.node = Objects.requireNonNull(node, "node");
    this.topology = Objects.requireNonNull(topology, "topology");
  }

  @Override
  public void nodePublishVolume(
      NodePublishVolumeRequest request, StreamObserver<NodePublishVolumeResponse> observer) {
    GrpcErrors.respond(
        observer,
        () -> {
          node.publish(CsiRequests.publish(request));
          return NodePublishVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodeUnpublishVolume(
      NodeUnpublishVolumeRequest request, StreamObserver<NodeUnpublishVolumeResponse> observer) {
    GrpcErrors.respond(
        observer,
        () -> {
          node.unpublish(CsiRequests.unpublish(request));
          return NodeUnpublishVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodeGetVolumeStats(
      NodeGetVolumeStatsRequest request, StreamObserver<NodeGetVolumeStatsResponse> observer) {
    GrpcErrors.respond(
        observer, () -> response(node.volumeStats(request.getVolumeId(), request.getVolumePath())));
  }

  @Override
  public void nodeGetCapabilities(
      NodeGetCapabilitiesRequest request, StreamObserver<NodeGetCapabilitiesResponse> observer) {
    GrpcErrors.respond(
        observer,
        () ->
            NodeGetCapabilitiesResponse.newBuilder()
                .addCapabilities(capability(NodeServiceCapability.RPC.Type.GET_VOLUME_STATS))
                .addCapabilities(capability(NodeServiceCapability.RPC.Type.VOLUME_CONDITION))
                .build());
  }

  private static NodeServiceCapability capability(NodeServiceCapability.RPC.Type type) {
    return NodeServiceCapability.newBuilder()
        .setRpc(NodeServiceCapability.RPC.newBuilder().setType(type))
        .build();
  }

  /** Usage in bytes and inodes when the mount reported it; the condition always. */
  static NodeGetVolumeStatsResponse response(VolumeStats stats) {
    NodeGetVolumeStatsResponse.Builder response =
        NodeGetVolumeStatsResponse.newBuilder()
            .setVolumeCondition(
                VolumeCondition.newBuilder()
                    .setAbnormal(stats.condition().abnormal())
                    .setMessage(stats.condition().message()));
    if (stats.usage().isPresent()) {
      FileSystemUsage usage = stats.usage().get();
      response
          .addUsage(
              VolumeUsage.newBuilder()
                  .setUnit(VolumeUsage.Unit.BYTES)
                  .setTotal(usage.bytesTotal())
                  .setAvailable(usage.bytesAvailable())
                  .setUsed(usage.bytesUsed()))
          .addUsage(
              VolumeUsage.newBuilder()
                  .setUnit(VolumeUsage.Unit.INODES)
                  .setTotal(usage.inodesTotal())
                  .setAvailable(usage.inodesAvailable())
                  .setUsed(usage.inodesUsed()));
    }
    return response.build();
  }

  @Override
  public void nodeGetInfo(
      NodeGetInfoRequest request, StreamObserver<NodeGetInfoResponse> observer) {
    GrpcErrors.respond(
        observer,
        () -> {
          NodeGetInfoResponse.Builder info =
              NodeGetInfoResponse.newBuilder()
                  .setNodeId(node.config().nodeId())
                  .setMaxVolumesPerNode(node.config().maxVolumesPerNode());
          Map<String, String> segments = topology.get();
          if (!segments.isEmpty()) {
            info.setAccessibleTopology(Topology.newBuilder().putAllSegments(segments));
          }
          return info.build();
        });
  }
}
