package io.s3csi.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
import io.s3csi.grpc.csi.v1.GetPluginInfoResponse;
import io.s3csi.grpc.csi.v1.IdentityGrpc;
import io.s3csi.grpc.csi.v1.NodeGrpc;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodePublishVolumeResponse;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeResponse;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallContextInterceptorTest {
  private static final String TARGET =
      "/var/lib/kubelet/pods/8d3c1f0e-uid/volumes/kubernetes.io~csi/pv-1/mount";

  private final CopyOnWriteArrayList<Map<String, String>> seen = new CopyOnWriteArrayList<>();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(new RecordingNode(), new CallContextInterceptor()))
            .addService(
                ServerInterceptors.intercept(new RecordingIdentity(), new CallContextInterceptor()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void interceptCall_publish_handlerSeesVolumeTargetAndPodUidButNoSecretOrAttribute() {
    NodeGrpc.newBlockingStub(channel)
        .nodePublishVolume(
            NodePublishVolumeRequest.newBuilder()
                .setVolumeId("vol-1")
                .setTargetPath(TARGET)
                .putVolumeContext("csi.storage.k8s.io/pod.uid", "uid-from-kubelet")
                .putVolumeContext("csi.storage.k8s.io/serviceAccount.tokens", "{\"sts\":\"tok\"}")
                .putSecrets("secretAccessKey", "s3cr3t")
                .build());

    assertThat(seen)
        .containsExactly(
            Map.of("volume_id", "vol-1", "target_path", TARGET, "pod_uid", "uid-from-kubelet"));
    assertThat(seen.get(0).toString()).doesNotContain("s3cr3t", "tok");
  }

  @Test
  void interceptCall_unpublish_podUidComesFromTheTargetPath() {
    NodeGrpc.newBlockingStub(channel)
        .nodeUnpublishVolume(
            NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId("vol-1")
                .setTargetPath(TARGET)
                .build());

    assertThat(seen.get(0))
        .containsExactly(
            entry("volume_id", "vol-1"),
            entry("target_path", TARGET),
            entry("pod_uid", "8d3c1f0e-uid"));
  }

  @Test
  void interceptCall_requestWithoutIdentifiers_contextIsEmptyAndClearedAfterwards() {
    IdentityGrpc.newBlockingStub(channel).getPluginInfo(GetPluginInfoRequest.getDefaultInstance());

    assertThat(seen).containsExactly(Map.of());
    assertThat(CallContext.fields()).isEmpty();
  }

  @Test
  void interceptCall_afterTheCall_theHandlingThreadHasNoContextLeft() {
    NodeGrpc.newBlockingStub(channel)
        .nodeUnpublishVolume(
            NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId("vol-1")
                .setTargetPath(TARGET)
                .build());

    // the in-process server ran the handler on a pool thread; this thread never had a context
    assertThat(seen).hasSize(1);
    assertThat(CallContext.fields()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "/var/lib/kubelet/pods/abc/volumes/kubernetes.io~csi/pv/mount, abc",
    "/var/lib/kubelet/plugins/kubernetes.io/csi/s3/abc/globalmount, ''",
    "/pods//volumes/x, ''",
    "'', ''",
    "/var/lib/kubelet/pods/abc, ''"
  })
  void podUidOfTarget_paths_readsTheSegmentAfterPods(String target, String uid) {
    assertThat(CallContextInterceptor.podUidOfTarget(target)).isEqualTo(uid);
  }

  private final class RecordingNode extends NodeGrpc.NodeImplBase {
    @Override
    public void nodePublishVolume(
        NodePublishVolumeRequest request, StreamObserver<NodePublishVolumeResponse> observer) {
      seen.add(CallContext.fields());
      observer.onNext(NodePublishVolumeResponse.getDefaultInstance());
      observer.onCompleted();
    }

    @Override
    public void nodeUnpublishVolume(
        NodeUnpublishVolumeRequest request, StreamObserver<NodeUnpublishVolumeResponse> observer) {
      seen.add(CallContext.fields());
      observer.onNext(NodeUnpublishVolumeResponse.getDefaultInstance());
      observer.onCompleted();
    }
  }

  private final class RecordingIdentity extends IdentityGrpc.IdentityImplBase {
    @Override
    public void getPluginInfo(
        GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> observer) {
      seen.add(CallContext.fields());
      observer.onNext(GetPluginInfoResponse.newBuilder().setName("x").build());
      observer.onCompleted();
    }
  }
}
