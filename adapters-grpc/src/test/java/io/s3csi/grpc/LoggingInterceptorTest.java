package io.s3csi.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
import io.s3csi.grpc.csi.v1.ProbeRequest;
import io.s3csi.grpc.csi.v1.ProbeResponse;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoggingInterceptorTest {

  private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRET";
  private static final long TICK_NANOS = 42_400_000; // every clock reading advances 42.4 ms

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final CountDownLatch probeEntered = new CountDownLatch(1);
  private final CountDownLatch releaseProbe = new CountDownLatch(1);
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void tearDown() throws InterruptedException {
    releaseProbe.countDown();
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void interceptCall_successfulRoutineCall_logsMethodStatusAndDurationOnceAtDebug()
      throws Exception {
    RecordingLogger logger = start(Level.DEBUG);

    IdentityGrpc.newBlockingStub(channel).getPluginInfo(GetPluginInfoRequest.getDefaultInstance());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> logger.entries.stream().anyMatch(e -> e.message().contains("status=")));
    assertThat(logger.entries)
        .filteredOn(e -> e.message().contains("status="))
        .containsExactly(
            new Entry(
                Level.DEBUG,
                "method=csi.v1.Identity/GetPluginInfo status=OK duration_ms=42",
                null));
  }

  @Test
  void interceptCall_successfulRoutineCallAtInfo_logsNothing() throws Exception {
    RecordingLogger logger = start(Level.INFO);

    IdentityGrpc.newBlockingStub(channel).getPluginInfo(GetPluginInfoRequest.getDefaultInstance());

    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(logger.entries).isEmpty();
  }

  @Test
  void routine_isOnlyReadsThatRepeat() {
    assertThat(LoggingInterceptor.ROUTINE)
        .contains("csi.v1.Identity/Probe", "csi.v1.Node/NodeGetVolumeStats")
        .doesNotContain(
            "csi.v1.Node/NodePublishVolume",
            "csi.v1.Node/NodeUnpublishVolume",
            "csi.v1.Controller/CreateVolume",
            "csi.v1.Controller/DeleteVolume");
  }

  @Test
  void interceptCall_debugEnabled_logsRequestWithSecretsRedacted() throws Exception {
    RecordingLogger logger = start(Level.DEBUG);

    NodeGrpc.newBlockingStub(channel)
        .nodePublishVolume(
            NodePublishVolumeRequest.newBuilder()
                .setVolumeId("vol-1")
                .putSecrets("secretAccessKey", SECRET)
                .putVolumeContext("csi.storage.k8s.io/serviceAccount.tokens", SECRET)
                .build());

    await().atMost(Duration.ofSeconds(5)).until(() -> logger.entries.size() == 2);
    assertThat(logger.entries)
        .containsExactly(
            new Entry(
                Level.INFO, "method=csi.v1.Node/NodePublishVolume status=OK duration_ms=42", null),
            new Entry(
                Level.DEBUG,
                "method=csi.v1.Node/NodePublishVolume request={volume_id: \"vol-1\", secrets:"
                    + " {\"secretAccessKey\": ***}, volume_context:"
                    + " {\"csi.storage.k8s.io/serviceAccount.tokens\": ***}}",
                null));
    assertThat(logger.entries).noneMatch(entry -> entry.message().contains(SECRET));
  }

  @Test
  void interceptCall_infoLevel_doesNotLogTheRequest() throws Exception {
    RecordingLogger logger = start(Level.INFO);

    NodeGrpc.newBlockingStub(channel)
        .nodePublishVolume(NodePublishVolumeRequest.newBuilder().setVolumeId("vol-1").build());

    await().atMost(Duration.ofSeconds(5)).until(() -> !logger.entries.isEmpty());
    assertThat(logger.entries)
        .extracting(Entry::message)
        .containsExactly("method=csi.v1.Node/NodePublishVolume status=OK duration_ms=42");
  }

  @Test
  void interceptCall_handlerRespondsWithError_logsCodeAndMessageAtInfo() throws Exception {
    RecordingLogger logger = start(Level.INFO);

    assertThatThrownBy(
            () ->
                NodeGrpc.newBlockingStub(channel)
                    .nodeUnpublishVolume(
                        NodeUnpublishVolumeRequest.newBuilder().setVolumeId("vol-9").build()))
        .isInstanceOf(StatusRuntimeException.class);

    await().atMost(Duration.ofSeconds(5)).until(() -> !logger.entries.isEmpty());
    assertThat(logger.entries)
        .containsExactly(
            new Entry(
                Level.INFO,
                "method=csi.v1.Node/NodeUnpublishVolume status=NOT_FOUND duration_ms=42"
                    + " message=\"volume vol-9 not found\"",
                null));
  }

  @Test
  void interceptCall_handlerThrows_logsUnknownOnceAtWarningWithTheCause() throws Exception {
    RecordingLogger logger = start(Level.INFO);

    assertThatThrownBy(
            () ->
                IdentityGrpc.newBlockingStub(channel)
                    .getPluginCapabilities(
                        io.s3csi.grpc.csi.v1.GetPluginCapabilitiesRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.UNKNOWN);

    await().atMost(Duration.ofSeconds(5)).until(() -> !logger.entries.isEmpty());
    assertThat(logger.entries).hasSize(1);
    Entry entry = logger.entries.get(0);
    assertThat(entry.level()).isEqualTo(Level.WARNING);
    assertThat(entry.message())
        .isEqualTo("method=csi.v1.Identity/GetPluginCapabilities status=UNKNOWN duration_ms=42");
    assertThat(entry.thrown()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
  }

  @Test
  void interceptCall_clientCancelsWhileHandlerBlocks_logsCancelledAtOnce() throws Exception {
    RecordingLogger logger = start(Level.INFO);
    var pending = IdentityGrpc.newFutureStub(channel).probe(ProbeRequest.getDefaultInstance());
    assertThat(probeEntered.await(5, TimeUnit.SECONDS)).isTrue();

    pending.cancel(true);

    await().atMost(Duration.ofSeconds(5)).until(() -> !logger.entries.isEmpty());
    assertThat(logger.entries)
        .containsExactly(
            new Entry(
                Level.INFO, "method=csi.v1.Identity/Probe status=CANCELLED duration_ms=42", null));
    releaseProbe.countDown(); // the handler's late reply must not produce a second line
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> logger.entries.size() == 1);
  }

  private RecordingLogger start(Level threshold) throws Exception {
    RecordingLogger logger = new RecordingLogger(threshold);
    LoggingInterceptor interceptor =
        new LoggingInterceptor(logger, () -> clock.getAndAdd(TICK_NANOS));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(
                    new TestIdentity(probeEntered, releaseProbe), interceptor))
            .addService(ServerInterceptors.intercept(new TestNode(), interceptor))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    return logger;
  }

  record Entry(Level level, String message, Throwable thrown) {}

  /** A System.Logger that keeps what it is given, above a threshold. */
  static final class RecordingLogger implements System.Logger {
    final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Level threshold;

    RecordingLogger(Level threshold) {
      this.threshold = threshold;
    }

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= threshold.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      if (isLoggable(level)) {
        entries.add(new Entry(level, msg, thrown));
      }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      if (isLoggable(level)) {
        String message =
            params == null || params.length == 0 ? format : MessageFormat.format(format, params);
        entries.add(new Entry(level, message, null));
      }
    }
  }

  private static final class TestIdentity extends IdentityGrpc.IdentityImplBase {
    private final CountDownLatch probeEntered;
    private final CountDownLatch releaseProbe;

    TestIdentity(CountDownLatch probeEntered, CountDownLatch releaseProbe) {
      this.probeEntered = probeEntered;
      this.releaseProbe = releaseProbe;
    }

    @Override
    public void getPluginInfo(
        GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> responses) {
      responses.onNext(GetPluginInfoResponse.newBuilder().setName("test.s3csi.io").build());
      responses.onCompleted();
    }

    @Override
    public void getPluginCapabilities(
        io.s3csi.grpc.csi.v1.GetPluginCapabilitiesRequest request,
        StreamObserver<io.s3csi.grpc.csi.v1.GetPluginCapabilitiesResponse> responses) {
      throw new IllegalStateException("boom");
    }

    @Override
    public void probe(ProbeRequest request, StreamObserver<ProbeResponse> responses) {
      probeEntered.countDown();
      try {
        releaseProbe.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      responses.onNext(ProbeResponse.getDefaultInstance());
      responses.onCompleted();
    }
  }

  private static final class TestNode extends NodeGrpc.NodeImplBase {
    @Override
    public void nodePublishVolume(
        NodePublishVolumeRequest request, StreamObserver<NodePublishVolumeResponse> responses) {
      responses.onNext(NodePublishVolumeResponse.getDefaultInstance());
      responses.onCompleted();
    }

    @Override
    public void nodeUnpublishVolume(
        NodeUnpublishVolumeRequest request, StreamObserver<NodeUnpublishVolumeResponse> responses) {
      responses.onError(
          Status.NOT_FOUND
              .withDescription("volume " + request.getVolumeId() + " not found")
              .asRuntimeException());
    }
  }
}
