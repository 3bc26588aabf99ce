package io.s3csi.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
import io.s3csi.grpc.csi.v1.GetPluginInfoResponse;
import io.s3csi.grpc.csi.v1.IdentityGrpc;
import io.s3csi.grpc.csi.v1.NodeGrpc;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodePublishVolumeResponse;
import io.s3csi.grpc.csi.v1.ProbeRequest;
import io.s3csi.grpc.csi.v1.ProbeResponse;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsiServerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final TestIdentity identity = new TestIdentity();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    identity.releaseProbe.countDown();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void start_identityService_answersGetPluginInfoOverTheSocket() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    CsiServer server = start(endpoint);

    GetPluginInfoResponse info =
        client(endpoint).identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance());

    assertThat(info.getName()).isEqualTo("test.s3csi.io");
    assertThat(info.getVendorVersion()).isEqualTo("1.2.3");
    assertThat(server.endpoint()).isEqualTo(endpoint);
  }

  @Test
  void start_boundSocket_isASocketWithMode0660() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    start(endpoint);

    Path socket = endpoint.socketPath();
    assertThat(isSocket(socket)).isTrue();
    assertThat(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
  }

  @Test
  void start_missingParentDirectories_createsThem() throws Exception {
    Endpoint endpoint = endpoint("plugins/s3.csi.io/csi.sock");

    start(endpoint);

    assertThat(isSocket(endpoint.socketPath())).isTrue();
    assertThat(client(endpoint).identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance()))
        .isNotNull();
  }

  @Test
  void start_staleSocketLeftByACrash_replacesIt() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    Path socket = endpoint.socketPath();
    try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      crashed.bind(UnixDomainSocketAddress.of(socket));
    } // closing a JDK unix server socket leaves the file behind, like a killed process does
    assertThat(isSocket(socket)).isTrue();

    start(endpoint);

    assertThat(
            client(endpoint)
                .identity()
                .getPluginInfo(GetPluginInfoRequest.getDefaultInstance())
                .getName())
        .isEqualTo("test.s3csi.io");
  }

  @Test
  void start_socketAnotherServerListensOn_isRefusedAndLeftAlone() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    Path socket = endpoint.socketPath();
    try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      live.bind(UnixDomainSocketAddress.of(socket));

      assertThatThrownBy(() -> start(endpoint))
          .isExactlyInstanceOf(FileAlreadyExistsException.class)
          .hasMessage(socket + ": another server is listening on this socket");
      assertThat(isSocket(socket)).isTrue();
    }
  }

  @Test
  void start_regularFileAtSocketPath_isRefusedAndKept() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    Path socket = endpoint.socketPath();
    Files.writeString(socket, "precious");

    assertThatThrownBy(() -> start(endpoint))
        .isExactlyInstanceOf(FileAlreadyExistsException.class)
        .hasMessage(
            socket + ": exists and is a regular file, not a unix socket; refusing to replace it");
    assertThat(socket).hasContent("precious");
  }

  @Test
  void start_directoryAtSocketPath_isRefusedAndKept() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    Path socket = Files.createDirectory(endpoint.socketPath());

    assertThatThrownBy(() -> start(endpoint))
        .isExactlyInstanceOf(FileAlreadyExistsException.class)
        .hasMessage(
            socket + ": exists and is a directory, not a unix socket; refusing to replace it");
    assertThat(socket).isDirectory();
  }

  @Test
  void start_symbolicLinkAtSocketPath_isRefusedAndKept() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    Path socket = Files.createSymbolicLink(endpoint.socketPath(), dir.resolve("elsewhere"));

    assertThatThrownBy(() -> start(endpoint))
        .isExactlyInstanceOf(FileAlreadyExistsException.class)
        .hasMessage(
            socket + ": exists and is a symbolic link, not a unix socket; refusing to replace it");
    assertThat(Files.isSymbolicLink(socket)).isTrue();
  }

  @Test
  void start_noServices_fails() {
    assertThatThrownBy(() -> CsiServer.start(endpoint("csi.sock"), List.of(), List.of()))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("services must not be empty");
  }

  @Test
  void start_interceptors_seeEveryCallInListOrder() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    Endpoint endpoint = endpoint("csi.sock");
    toClose.add(
        CsiServer.start(
            endpoint,
            List.of(identity),
            List.of(recording("first", seen), recording("second", seen))));

    client(endpoint).identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance());

    assertThat(seen)
        .containsExactly(
            "first csi.v1.Identity/GetPluginInfo", "second csi.v1.Identity/GetPluginInfo");
  }

  @Test
  void start_manyCallsBlockedOnOneConnection_quickCallsStillAnswerOnTheirOwnThreads()
      throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    BlockingNode node = new BlockingNode();
    toClose.add(CsiServer.start(endpoint, List.of(identity, node), List.of()));
    CsiClient client = client(endpoint);
    int blocked = 20;
    List<CompletableFuture<NodePublishVolumeResponse>> publishes = new ArrayList<>();
    for (int i = 0; i < blocked; i++) {
      NodePublishVolumeRequest request =
          NodePublishVolumeRequest.newBuilder().setVolumeId("v-" + i).build();
      publishes.add(
          CompletableFuture.supplyAsync(
              () -> client.node().nodePublishVolume(request), Executors.newSingleThreadExecutor()));
    }
    assertThat(node.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    // the same connection, while every publish holds a thread
    GetPluginInfoResponse info =
        client.identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
    node.release.countDown();

    assertThat(info.getName()).isEqualTo("test.s3csi.io");
    for (CompletableFuture<NodePublishVolumeResponse> publish : publishes) {
      publish.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(identity.threads).allMatch(name -> name.startsWith("csi-grpc-quick-"));
    assertThat(node.threads)
        .hasSize(blocked)
        .allMatch(name -> name.startsWith("csi-grpc-call-"))
        .doesNotHaveDuplicates();
  }

  @Test
  void shutdown_callInFlight_refusesNewCallsLetsItFinishThenRemovesSocket() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    CsiServer server = start(endpoint);
    CsiClient client = client(endpoint);
    CompletableFuture<ProbeResponse> inFlight =
        CompletableFuture.supplyAsync(
            () -> client.identity().probe(ProbeRequest.getDefaultInstance()));
    assertThat(identity.probeEntered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> shutdown(server, WAIT));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThatThrownBy(
                        () ->
                            client(endpoint)
                                .identity()
                                .getPluginInfo(GetPluginInfoRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e ->
                            assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.UNAVAILABLE)));
    assertThat(inFlight).isNotDone();
    assertThat(shutdown).isNotDone();

    identity.releaseProbe.countDown();

    assertThat(inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS).getReady().getValue()).isTrue();
    shutdown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(endpoint.socketPath()).doesNotExist();
  }

  @Test
  void shutdown_graceExpires_cancelsTheCallStillRunning() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    CsiServer server = start(endpoint);
    CsiClient client = client(endpoint);
    CompletableFuture<ProbeResponse> inFlight =
        CompletableFuture.supplyAsync(
            () -> client.identity().probe(ProbeRequest.getDefaultInstance()));
    assertThat(identity.probeEntered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    server.shutdown(Duration.ofMillis(200));

    assertThatThrownBy(() -> inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
    assertThat(endpoint.socketPath()).doesNotExist();
  }

  @Test
  void awaitTermination_returnsOnceShutdownHasCompleted() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    CsiServer server = start(endpoint);
    CountDownLatch terminated = new CountDownLatch(1);
    Thread waiter =
        new Thread(
            () -> {
              try {
                server.awaitTermination();
                terminated.countDown();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    assertThat(terminated.getCount()).isEqualTo(1);

    server.shutdown(WAIT);

    assertThat(terminated.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(endpoint.socketPath()).doesNotExist();
  }

  @Test
  void shutdown_calledTwice_isHarmless() throws Exception {
    Endpoint endpoint = endpoint("csi.sock");
    CsiServer server = start(endpoint);

    server.shutdown(WAIT);
    server.shutdown(WAIT);

    assertThat(endpoint.socketPath()).doesNotExist();
  }

  private Endpoint endpoint(String relative) {
    return new Endpoint(dir.resolve(relative));
  }

  private CsiServer start(Endpoint endpoint) throws IOException {
    CsiServer server = CsiServer.start(endpoint, List.of(identity), List.of());
    toClose.add(server);
    return server;
  }

  private CsiClient client(Endpoint endpoint) {
    CsiClient client = CsiClient.connect(endpoint, WAIT);
    toClose.add(client);
    return client;
  }

  private static void shutdown(CsiServer server, Duration grace) {
    try {
      server.shutdown(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean isSocket(Path path) throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & 0170000) == 0140000;
  }

  private static ServerInterceptor recording(String name, List<String> seen) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        seen.add(name + " " + call.getMethodDescriptor().getFullMethodName());
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {};
      }
    };
  }

  /**
   * Blocks a handler until the test releases it; answers DEADLINE_EXCEEDED or CANCELLED and returns
   * false if it is not released in time or the thread is interrupted.
   */
  private static boolean awaitRelease(CountDownLatch release, StreamObserver<?> responses) {
    try {
      if (release.await(WAIT.toSeconds() * 3, TimeUnit.SECONDS)) {
        return true;
      }
      responses.onError(Status.DEADLINE_EXCEEDED.asRuntimeException());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      responses.onError(Status.CANCELLED.asRuntimeException());
    }
    return false;
  }

  /** A node whose publishes all block until released, each recording its thread. */
  private static final class BlockingNode extends NodeGrpc.NodeImplBase {
    final CountDownLatch entered = new CountDownLatch(20);
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void nodePublishVolume(
        NodePublishVolumeRequest request, StreamObserver<NodePublishVolumeResponse> responses) {
      threads.add(Thread.currentThread().getName());
      entered.countDown();
      if (!awaitRelease(release, responses)) {
        return;
      }
      responses.onNext(NodePublishVolumeResponse.getDefaultInstance());
      responses.onCompleted();
    }
  }

  /** Identity with a GetPluginInfo answer and a Probe that blocks until released. */
  private static final class TestIdentity extends IdentityGrpc.IdentityImplBase {
    final CountDownLatch probeEntered = new CountDownLatch(1);
    final CountDownLatch releaseProbe = new CountDownLatch(1);
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void getPluginInfo(
        GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> responses) {
      threads.add(Thread.currentThread().getName());
      responses.onNext(
          GetPluginInfoResponse.newBuilder()
              .setName("test.s3csi.io")
              .setVendorVersion("1.2.3")
              .build());
      responses.onCompleted();
    }

    @Override
    public void probe(ProbeRequest request, StreamObserver<ProbeResponse> responses) {
      probeEntered.countDown();
      if (!awaitRelease(releaseProbe, responses)) {
        return;
      }
      responses.onNext(
          ProbeResponse.newBuilder().setReady(com.google.protobuf.BoolValue.of(true)).build());
      responses.onCompleted();
    }
  }
}
