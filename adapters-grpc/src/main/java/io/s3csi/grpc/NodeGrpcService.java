package io.s3csi.grpc;

import io.grpc.stub.StreamObserver;
import io.s3csi.core.node.NodeService;
import io.s3csi.grpc.csi.v1.NodeGetCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.NodeGetCapabilitiesResponse;
import io.s3csi.grpc.csi.v1.NodeGetInfoRequest;
import io.s3csi.grpc.csi.v1.NodeGetInfoResponse;
import io.s3csi.grpc.csi.v1.NodeGrpc;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodePublishVolumeResponse;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeResponse;
import io.s3csi.grpc.csi.v1.Topology;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The CSI Node service, bound to {@link NodeService}. S3 volumes need no staging, so the node
 * advertises no STAGE_UNSTAGE_VOLUME capability and kubelet calls publish directly.
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
  public void nodeGetCapabilities(
      NodeGetCapabilitiesRequest request, StreamObserver<NodeGetCapabilitiesResponse> observer) {
    GrpcErrors.respond(observer, NodeGetCapabilitiesResponse::getDefaultInstance);
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
