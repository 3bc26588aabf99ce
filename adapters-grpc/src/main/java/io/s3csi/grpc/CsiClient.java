package io.s3csi.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.s3csi.grpc.csi.v1.ControllerGrpc;
import io.s3csi.grpc.csi.v1.IdentityGrpc;
import io.s3csi.grpc.csi.v1.NodeGrpc;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A CSI client over a unix domain socket, as a container orchestrator would be: blocking stubs for
 * the Identity, Node and Controller services, each call bounded by a default deadline.
 *
 * <p>Used to probe a running driver and in tests. The connection is made lazily, on the first call.
 *
 * <pre>{@code
 * try (CsiClient client = CsiClient.connect(Endpoint.parse("--csi-endpoint", "/csi/csi.sock"))) {
 *   String name = client.identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance()).getName();
 * }
 * }</pre>
 */
public final class CsiClient implements AutoCloseable {

  /** Deadline of every call made through {@link #connect(Endpoint)}. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final ManagedChannel channel;
  private final EventLoopGroup eventLoop;
  private final Duration deadline;

  private CsiClient(ManagedChannel channel, EventLoopGroup eventLoop, Duration deadline) {
    this.channel = channel;
    this.eventLoop = eventLoop;
    this.deadline = deadline;
  }

  /**
   * Creates a client for {@code endpoint} whose calls have a deadline of {@link #DEFAULT_DEADLINE}.
   *
   * @param endpoint the socket the driver serves on
   * @return a client; close it when done
   * @throws IllegalStateException if the native epoll transport is unavailable on this platform
   */
  public static CsiClient connect(Endpoint endpoint) {
    return connect(endpoint, DEFAULT_DEADLINE);
  }

  /**
   * Creates a client for {@code endpoint} whose calls have the given deadline.
   *
   * @param endpoint the socket the driver serves on
   * @param deadline how long each call may take; positive
   * @return a client; close it when done
   * @throws IllegalArgumentException if {@code deadline} is not positive
   * @throws IllegalStateException if the native epoll transport is unavailable on this platform
   */
  public static CsiClient connect(Endpoint endpoint, Duration deadline) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "the native epoll transport is unavailable; unix sockets need Linux on x86_64 or"
              + " aarch64",
          Epoll.unavailabilityCause());
    }
    EventLoopGroup eventLoop =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("csi-client", true), EpollIoHandler.newFactory());
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(endpoint.socketPath().toString()))
            .eventLoopGroup(eventLoop)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            // a socket path is no valid :authority; CSI drivers ignore it anyway
            .overrideAuthority("localhost")
            .build();
    return new CsiClient(channel, eventLoop, deadline);
  }

  /**
   * Returns a stub for the Identity service; its deadline starts now.
   *
   * @return a blocking Identity stub
   */
  public IdentityGrpc.IdentityBlockingStub identity() {
    return IdentityGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Returns a stub for the Node service; its deadline starts now.
   *
   * @return a blocking Node stub
   */
  public NodeGrpc.NodeBlockingStub node() {
    return NodeGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Returns a stub for the Controller service; its deadline starts now.
   *
   * @return a blocking Controller stub
   */
  public ControllerGrpc.ControllerBlockingStub controller() {
    return ControllerGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Closes the connection, cancelling calls still running after a short wait. */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        channel.shutdownNow();
        channel.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      eventLoop
          .shutdownGracefully(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
    }
  }
}
