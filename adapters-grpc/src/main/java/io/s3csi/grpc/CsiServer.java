package io.s3csi.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A gRPC server for the CSI services on a unix domain socket, using Netty's native epoll transport.
 *
 * <p>{@link #start} prepares the socket path before binding: the parent directory is created, a
 * stale socket left by a crashed process is replaced, and anything else at the path (a regular
 * file, a directory, a socket another server still listens on) is refused. Once bound, the socket
 * file's mode is {@code 0660}: the kubelet (root) and members of the socket's group may connect,
 * nobody else.
 *
 * <p>{@link #shutdown(Duration)} stops accepting calls at once, lets calls in flight finish within
 * the grace period, cancels the rest, releases the event loops and removes the socket file.
 *
 * <pre>{@code
 * Endpoint endpoint = Endpoint.parse("--csi-endpoint", "unix:///csi/csi.sock");
 * CsiServer server =
 *     CsiServer.start(endpoint, List.of(identity, node), List.of(new LoggingInterceptor()));
 * Runtime.getRuntime().addShutdownHook(new Thread(server::close)); // drains for DEFAULT_GRACE
 * server.awaitTermination();
 * }</pre>
 */
public final class CsiServer implements AutoCloseable {

  /** Mode of the bound socket file: read and write (connect) for owner and group. */
  static final Set<PosixFilePermission> SOCKET_PERMISSIONS =
      PosixFilePermissions.fromString("rw-rw----");

  /** Grace period {@link #close()} gives calls in flight. */
  static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

  private static final Logger LOG = System.getLogger(CsiServer.class.getName());
  private static final Duration EVENT_LOOP_TIMEOUT = Duration.ofSeconds(5);

  private final Endpoint endpoint;
  private final Server server;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final CallExecutors executors;
  private final Object socketFileKey;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private CsiServer(
      Endpoint endpoint,
      Server server,
      EventLoopGroup boss,
      EventLoopGroup workers,
      CallExecutors executors,
      Object socketFileKey) {
    this.endpoint = endpoint;
    this.server = server;
    this.boss = boss;
    this.workers = workers;
    this.executors = executors;
    this.socketFileKey = socketFileKey;
  }

  /**
   * Binds the socket and starts serving.
   *
   * @param endpoint where to listen
   * @param services the CSI services to serve (Identity, Node, Controller, ...)
   * @param interceptors applied to every call; the first one in the list sees a call first
   * @return the running server
   * @throws java.nio.file.FileAlreadyExistsException if the socket path holds something other than
   *     a stale socket
   * @throws IOException if the socket cannot be prepared or bound
   * @throws IllegalStateException if the native epoll transport is unavailable on this platform
   */
  public static CsiServer start(
      Endpoint endpoint,
      List<? extends BindableService> services,
      List<? extends ServerInterceptor> interceptors)
      throws IOException {
    Objects.requireNonNull(endpoint, "endpoint");
    List<? extends BindableService> serviceList = List.copyOf(services);
    List<? extends ServerInterceptor> interceptorList = List.copyOf(interceptors);
    if (serviceList.isEmpty()) {
      throw new IllegalArgumentException("services must not be empty");
    }
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "the native epoll transport is unavailable; unix sockets need Linux on x86_64 or"
              + " aarch64",
          Epoll.unavailabilityCause());
    }
    Path socket = endpoint.socketPath();
    SocketFiles.prepareForBind(socket);

    EventLoopGroup boss = eventLoops(1, "csi-grpc-boss");
    EventLoopGroup workers = eventLoops(0, "csi-grpc-worker");
    CallExecutors executors = new CallExecutors();
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .executor(executors.lookups())
            .callExecutor(executors);
    serviceList.forEach(builder::addService);
    // ServerBuilder runs the interceptor added last first; add in reverse so list order holds.
    for (int i = interceptorList.size() - 1; i >= 0; i--) {
      builder.intercept(interceptorList.get(i));
    }
    Server server = builder.build();
    try {
      server.start();
      Files.setPosixFilePermissions(socket, SOCKET_PERMISSIONS);
      Object fileKey = SocketFiles.fileKey(socket);
      LOG.log(Level.INFO, "serving CSI on {0}", endpoint);
      return new CsiServer(endpoint, server, boss, workers, executors, fileKey);
    } catch (IOException | RuntimeException e) {
      server.shutdownNow();
      shutdownEventLoops(boss, workers);
      executors.shutdown();
      throw e;
    }
  }

  private static EventLoopGroup eventLoops(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, true), EpollIoHandler.newFactory());
  }

  /**
   * Returns the endpoint this server listens on.
   *
   * @return the endpoint
   */
  public Endpoint endpoint() {
    return endpoint;
  }

  /**
   * Stops the server: refuses new calls at once, waits up to {@code grace} for calls in flight,
   * then cancels what is left, stops the event loops and removes the socket file. Idempotent; a
   * second caller waits until the first has finished.
   *
   * @param grace how long calls in flight may take to finish
   * @throws InterruptedException if interrupted while waiting; the server is then stopped
   *     forcefully before this method returns
   */
  public void shutdown(Duration grace) throws InterruptedException {
    Objects.requireNonNull(grace, "grace");
    if (!shuttingDown.compareAndSet(false, true)) {
      stopped.await();
      return;
    }
    try {
      server.shutdown();
      if (!server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.log(
            Level.WARNING, "calls still running after {0} ms; cancelling them", grace.toMillis());
        server.shutdownNow();
        server.awaitTermination(EVENT_LOOP_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      throw e;
    } finally {
      shutdownEventLoops(boss, workers);
      executors.shutdown();
      removeSocket();
      stopped.countDown();
      LOG.log(Level.INFO, "stopped serving CSI on {0}", endpoint);
    }
  }

  /**
   * Blocks until {@link #shutdown(Duration)} has completed, socket removal included.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  /**
   * Shuts down with a grace period of {@link #DEFAULT_GRACE}; restores the interrupt flag if
   * interrupted.
   */
  @Override
  public void close() {
    try {
      shutdown(DEFAULT_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void removeSocket() {
    // Netty unlinks the socket path when the listener closes. This is the safety net for when it
    // could not: delete what is left only if it is still the socket this server bound.
    Path socket = endpoint.socketPath();
    try {
      if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
          && Objects.equals(SocketFiles.fileKey(socket), socketFileKey)) {
        Files.deleteIfExists(socket);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not remove socket " + socket, e);
    }
  }

  private static void shutdownEventLoops(EventLoopGroup boss, EventLoopGroup workers) {
    long timeout = EVENT_LOOP_TIMEOUT.toMillis();
    var bossDone = boss.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS);
    var workersDone = workers.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS);
    bossDone.awaitUninterruptibly(timeout);
    workersDone.awaitUninterruptibly(timeout);
  }
}
