package io.s3csi.launcher;

import io.grpc.BindableService;
import io.s3csi.core.credentials.CredentialProvider;
import io.s3csi.core.credentials.CredentialRequest;
import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.EnvironmentCredentialProvider;
import io.s3csi.core.credentials.RoutingCredentialProvider;
import io.s3csi.core.credentials.SecretCredentialProvider;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.health.MountSweeper;
import io.s3csi.core.identity.IdentityService;
import io.s3csi.core.identity.ReadinessCheck;
import io.s3csi.core.mount.Mounter;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.core.node.NodeObserver;
import io.s3csi.core.node.NodeService;
import io.s3csi.core.node.VolumeLocks;
import io.s3csi.core.provisioning.ControllerService;
import io.s3csi.core.volume.AuthenticationSource;
import io.s3csi.grpc.CallContextInterceptor;
import io.s3csi.grpc.ControllerGrpcService;
import io.s3csi.grpc.CsiServer;
import io.s3csi.grpc.Endpoint;
import io.s3csi.grpc.IdentityGrpcService;
import io.s3csi.grpc.LoggingInterceptor;
import io.s3csi.grpc.NodeGrpcService;
import io.s3csi.k8s.StartupTaintRemover;
import io.s3csi.launcher.metrics.DriverMetrics;
import io.s3csi.launcher.metrics.MetricsAddress;
import io.s3csi.launcher.metrics.MetricsServer;
import io.s3csi.launcher.metrics.SweepMetrics;
import io.s3csi.s3.S3BucketProvisioner;
import io.s3csi.s3.S3ReadinessCheck;
import io.s3csi.systemd.ManagedMount;
import io.s3csi.systemd.ProcessMounter;
import io.s3csi.systemd.SystemdMounter;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running s3csi driver: the CSI services of a {@link DriverConfig}, wired to real adapters and
 * served on the configured unix socket. {@code s3csi driver} runs one; the demo and the integration
 * tests run one inside their own JVM.
 *
 * <pre>{@code
 * try (Driver driver = Driver.start(DriverConfig.fromFlags(
 *     "--endpoint", "unix:///tmp/s3csi/csi.sock", "--node-id", "n1", "--mode", "all"))) {
 *   // talk CSI to driver.endpoint()
 * }
 * }</pre>
 *
 * <p>The Node service runs FUSE clients with the {@code --mounter}; the Controller service creates
 * and deletes buckets and prefixes with the AWS SDK. With {@code --mounter systemd} (the node
 * plugin's default) each FUSE client is a transient systemd unit of the host: stopping, killing or
 * upgrading the driver leaves the volumes serving, and the next driver finds them again. With
 * {@code --mounter process} the FUSE clients are children of the driver: stopping the driver
 * unmounts the volumes it mounted and stops their clients, so nothing is left behind.
 *
 * <p>This class wires; it decides nothing. The rules live in the core use-cases it builds.
 */
public final class Driver implements AutoCloseable {

  /** How long calls in flight may take to finish when the driver stops. */
  public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  private static final Logger LOG = System.getLogger(Driver.class.getName());

  /** How long a readiness check (systemd, S3) may take; the CSI Probe runs them all. */
  static final Duration READINESS_TIMEOUT = Duration.ofSeconds(3);

  private final DriverConfig config;
  private final CsiServer server;
  private final Deque<AutoCloseable> owned;
  private final CompletableFuture<Optional<StartupTaintRemover.Outcome>> startupTaint;
  private final DriverMetrics metrics;
  private final Optional<MetricsServer> http;

  private Driver(
      DriverConfig config,
      CsiServer server,
      Deque<AutoCloseable> owned,
      DriverMetrics metrics,
      Optional<MetricsServer> http,
      CompletableFuture<Optional<StartupTaintRemover.Outcome>> startupTaint) {
    this.config = config;
    this.server = server;
    this.owned = owned;
    this.metrics = metrics;
    this.http = http;
    this.startupTaint = startupTaint;
  }

  /**
   * Builds the services of {@code config} and starts serving them.
   *
   * @param config the settings
   * @return the running driver; close it to stop
   * @throws ConfigurationException if the settings ask for something this build cannot serve
   * @throws IOException if the socket cannot be bound
   */
  public static Driver start(DriverConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    Deque<AutoCloseable> owned = new ArrayDeque<>();
    try {
      DriverMetrics metrics = new DriverMetrics(VersionProvider.version());
      List<ReadinessCheck> checks = new ArrayList<>();
      Optional<Cluster> cluster = cluster(config, owned);
      List<BindableService> services =
          new ArrayList<>(services(config, cluster, metrics, checks, owned));
      IdentityService identity =
          new IdentityService(
              config.driverInfo(VersionProvider.version()),
              config.mode().servesController(),
              checks);
      services.add(0, new IdentityGrpcService(identity));
      Optional<MetricsServer> http = Optional.empty();
      if (config.metricsAddress().isPresent()) {
        http = Optional.of(own(owned, metricsServer(config, metrics, identity)));
      }
      CsiServer server =
          CsiServer.start(
              config.endpoint(),
              services,
              List.of(
                  new CallContextInterceptor(), metrics.interceptor(), new LoggingInterceptor()));
      // the Kubernetes client was built while the socket came up; bad credentials still stop
      // the start
      try {
        cluster.ifPresent(Cluster::awaitConnected);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      // only now that kubelet can reach the socket may workloads land on the node
      CompletableFuture<Optional<StartupTaintRemover.Outcome>> taint =
          cluster
              .map(c -> c.removeStartupTaint(config.nodeId()))
              .orElse(CompletableFuture.completedFuture(Optional.empty()));
      return new Driver(config, server, owned, metrics, http, taint);
    } catch (IOException | RuntimeException e) {
      closeAll(owned);
      throw e;
    }
  }

  /** The Kubernetes API connection of the node plugin, when the settings use one. */
  private static Optional<Cluster> cluster(DriverConfig config, Deque<AutoCloseable> owned) {
    if (!config.mode().servesNode() || !config.kubernetes().enabled()) {
      return Optional.empty();
    }
    return Optional.of(own(owned, Cluster.connect(config.kubernetes())));
  }

  private static MetricsServer metricsServer(
      DriverConfig config, DriverMetrics metrics, IdentityService identity) {
    MetricsAddress address = config.metricsAddress().orElseThrow();
    try {
      return MetricsServer.start(address, metrics.registry(), identity::probe);
    } catch (IOException e) {
      throw new ConfigurationException(
          "--metrics-address: cannot listen on " + address + ": " + S3csi.describe(e));
    }
  }

  /**
   * The node and controller services of the mode, with the readiness checks of what they depend on:
   * systemd for the systemd mounter, the default S3 endpoint for the controller.
   */
  private static List<BindableService> services(
      DriverConfig config,
      Optional<Cluster> cluster,
      DriverMetrics metrics,
      List<ReadinessCheck> checks,
      Deque<AutoCloseable> owned) {
    VolumeLocks locks = new VolumeLocks();
    CredentialProvider driverIdentity = new EnvironmentCredentialProvider(System.getenv());
    List<BindableService> services = new ArrayList<>();
    if (config.mode().servesNode()) {
      BackgroundMounter mounter =
          own(
              owned,
              BackgroundMounter.start(
                  "the " + config.mounter().id() + " mounter", () -> mounter(config)));
      checks.add(
          config.mounter() == MounterKind.SYSTEMD
              ? mounter.whenBuilt(
                  READINESS_TIMEOUT,
                  built ->
                      ((SystemdMounter) built).readinessCheck(READINESS_TIMEOUT).notReadyReason())
              : mounter.startFailure());
      CredentialProvider credentials =
          new RoutingCredentialProvider(
              Map.of(
                  AuthenticationSource.DRIVER,
                  driverIdentity,
                  AuthenticationSource.SECRET,
                  new SecretCredentialProvider(),
                  AuthenticationSource.POD,
                  cluster
                      .map(c -> c.podIdentity(config.s3Region()))
                      .orElse(Driver::podIdentityOff)));
      NodeObserver events =
          cluster
              .map(c -> c.events(config.driverName(), config.nodeId()))
              .orElse(NodeObserver.NONE);
      services.add(
          new NodeGrpcService(
              new NodeService(
                  config.nodeConfig(),
                  mounter,
                  credentials,
                  locks,
                  NodeObserver.all(List.of(metrics.nodeObserver(), events))),
              cluster.map(c -> c.topology(config.nodeId())).orElse(Map::of)));
      if (!config.sweepInterval().isZero()) {
        scheduleSweep(
            owned,
            new MountSweeper(
                mounter,
                locks,
                new SweepMetrics(metrics),
                Clock.systemUTC(),
                MountSweeper.DEFAULT_GRACE),
            config.sweepInterval());
      }
    }
    if (config.mode().servesController()) {
      S3BucketProvisioner provisioner = own(owned, new S3BucketProvisioner());
      checks.add(
          S3ReadinessCheck.forEndpoint(
              config.s3EndpointUrl(), config.s3Region(), READINESS_TIMEOUT));
      services.add(
          new ControllerGrpcService(
              new ControllerService(
                  config.controllerConfig(), provisioner, driverIdentity, locks)));
    }
    return services;
  }

  private static Credentials podIdentityOff(CredentialRequest request) {
    throw DriverException.failedPrecondition(
        "authenticationSource pod needs the Kubernetes API to read the service account's role,"
            + " and this driver runs with --kubernetes off; run it in the cluster or give it"
            + " --kubeconfig");
  }

  /** The mounter of {@code --mounter}; the one place that knows which mounters this build has. */
  private static Mounter mounter(DriverConfig config) {
    return switch (config.mounter()) {
      case PROCESS -> new ProcessMounter(new PrivateDirectories(config.mountsDir()));
      case SYSTEMD -> systemdMounter(config);
    };
  }

  /**
   * The systemd mounter, after it has logged what a previous driver left mounted. systemd being
   * unreachable at start is no reason not to serve: every call says so until it comes back.
   */
  private static SystemdMounter systemdMounter(DriverConfig config) {
    SystemdMounter mounter =
        SystemdMounter.builder(new PrivateDirectories(config.mountsDir()))
            .address(config.systemdAddress())
            .build();
    try {
      List<ManagedMount> found = mounter.recover();
      LOG.log(Level.INFO, "{0} serves {1} mount(s) found at start", mounter, found.size());
    } catch (DriverException e) {
      LOG.log(
          Level.WARNING, "cannot look for the mounts of a previous driver: {0}", e.getMessage());
    }
    return mounter;
  }

  /**
   * Runs the sweep every {@code interval} on its own daemon thread, first after one interval (a
   * fresh driver has just logged what it found). Stopping the driver stops the thread before the
   * mounter is closed.
   */
  private static void scheduleSweep(
      Deque<AutoCloseable> owned, MountSweeper sweeper, Duration interval) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "s3csi-mount-sweep");
              thread.setDaemon(true);
              return thread;
            });
    owned.push(
        new AutoCloseable() {
          @Override
          public void close() throws InterruptedException {
            scheduler.shutdownNow();
            scheduler.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
          }

          @Override
          public String toString() {
            return "the mount sweep";
          }
        });
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(sweeper, millis, millis, TimeUnit.MILLISECONDS);
    LOG.log(Level.INFO, "sweeping mounts every {0}", interval);
  }

  /** Records an adapter that holds resources (processes, clients) so that stopping releases it. */
  private static <T> T own(Deque<AutoCloseable> owned, T adapter) {
    if (adapter instanceof AutoCloseable closeable) {
      owned.push(closeable);
    }
    return adapter;
  }

  /** Returns the settings the driver runs with. */
  public DriverConfig config() {
    return config;
  }

  /**
   * Returns the removal of the startup taint, which runs in the background after the driver serves.
   *
   * @return its outcome: empty when there is nothing to remove (no Kubernetes API, no taint key);
   *     completes exceptionally when the taint could not be removed
   */
  public CompletableFuture<Optional<StartupTaintRemover.Outcome>> startupTaint() {
    return startupTaint;
  }

  /** Returns the socket the driver serves on. */
  public Endpoint endpoint() {
    return server.endpoint();
  }

  /**
   * Returns the driver's metrics, for the parts of the driver that report to them (such as a
   * periodic sweep). They are kept whether or not {@code --metrics-address} serves them.
   */
  public DriverMetrics metrics() {
    return metrics;
  }

  /**
   * Returns where {@code /metrics}, {@code /healthz} and {@code /readyz} are served, with the port
   * the system chose for port 0; empty without {@code --metrics-address}.
   */
  public Optional<InetSocketAddress> metricsAddress() {
    return http.map(MetricsServer::address);
  }

  /**
   * Stops serving: refuses new calls, lets calls in flight finish within {@code grace}, removes the
   * socket, then releases the adapters (a process mounter unmounts what it still runs). Idempotent.
   *
   * @param grace how long calls in flight may take
   * @throws InterruptedException if interrupted while waiting; the driver is stopped anyway
   */
  public void shutdown(Duration grace) throws InterruptedException {
    try {
      server.shutdown(grace);
    } finally {
      closeAll(owned);
    }
  }

  /**
   * Blocks until the driver has stopped.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops with a grace period of {@link #SHUTDOWN_GRACE}. */
  @Override
  public void close() {
    try {
      shutdown(SHUTDOWN_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes in the reverse order of creation; a failure is logged and the rest still closed. */
  private static void closeAll(Deque<AutoCloseable> owned) {
    synchronized (owned) {
      while (!owned.isEmpty()) {
        AutoCloseable adapter = owned.pop();
        try {
          adapter.close();
        } catch (Exception e) {
          LOG.log(Level.ERROR, "cannot release " + adapter, e);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Driver{" + config.mode() + " on " + endpoint() + ", node " + config.nodeId() + "}";
  }
}
