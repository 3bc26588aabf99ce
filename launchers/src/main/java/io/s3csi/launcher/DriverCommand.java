package io.s3csi.launcher;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.identity.DriverInfo;
import io.s3csi.core.volume.VolumeContext;
import io.s3csi.grpc.Endpoint;
import io.s3csi.k8s.PodIdentityCredentialProvider;
import io.s3csi.k8s.StartupTaintRemover;
import io.s3csi.launcher.metrics.MetricsAddress;
import io.s3csi.systemd.SystemdMounter;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code s3csi driver}: parses the flags into a {@link DriverConfig}, starts a {@link Driver} and
 * serves until SIGTERM or SIGINT, then drains calls in flight and stops.
 */
@Command(
    name = "driver",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Serves the CSI API on a unix socket until SIGTERM or SIGINT.",
      "Run it as the node plugin (a DaemonSet, --mode node) and as the controller plugin"
          + " (--mode controller), or both in one process (--mode all)."
    })
final class DriverCommand implements Callable<Integer> {
  private static final Logger LOG = System.getLogger(DriverCommand.class.getName());

  @Spec CommandSpec spec;

  @Option(
      names = "--endpoint",
      required = true,
      paramLabel = "unix:///PATH",
      description = "The unix socket to serve CSI on, such as unix:///csi/csi.sock.")
  String endpoint;

  @Option(
      names = "--node-id",
      required = true,
      paramLabel = "NAME",
      description = "The node id reported to kubelet, usually the Kubernetes node name.")
  String nodeId;

  @Option(
      names = "--mode",
      defaultValue = "node",
      paramLabel = "node|controller|all",
      description = "The CSI services to serve besides Identity (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--kubelet-dir",
      defaultValue = "/var/lib/kubelet",
      paramLabel = "DIR",
      description =
          "The kubelet root directory; targets must lie under it (default: ${DEFAULT-VALUE}).")
  String kubeletDir;

  @Option(
      names = "--mounter",
      paramLabel = "process|systemd",
      description =
          "How FUSE clients run: as systemd units of the host, which outlive the driver, or as"
              + " child processes of the driver (default: systemd for --mode node, process"
              + " otherwise).")
  String mounter;

  @Option(
      names = "--systemd-address",
      defaultValue = SystemdMounter.DEFAULT_ADDRESS,
      paramLabel = "ADDRESS",
      description =
          "How the systemd mounter reaches systemd: a D-Bus address, or 'system' for the system"
              + " bus (default: ${DEFAULT-VALUE}).")
  String systemdAddress;

  @Option(
      names = "--fuse-client",
      defaultValue = "mount-s3",
      paramLabel = "mount-s3|s3fs|rclone",
      description = "The FUSE client of volumes that name none (default: ${DEFAULT-VALUE}).")
  String fuseClient;

  @Option(
      names = "--s3-endpoint-url",
      paramLabel = "URL",
      description = "The S3 endpoint of volumes that name none (default: AWS S3).")
  String s3EndpointUrl;

  @Option(
      names = "--s3-region",
      paramLabel = "REGION",
      description = "The region of volumes that name none.")
  String s3Region;

  @Option(
      names = "--s3-path-style",
      description = "Use path-style addressing for volumes that do not say.")
  boolean s3PathStyle;

  @Option(
      names = "--state-dir",
      defaultValue = "/var/lib/s3csi",
      paramLabel = "DIR",
      description =
          "The driver's root-only state; private files of mounts go to DIR/mounts (default:"
              + " ${DEFAULT-VALUE}).")
  String stateDir;

  @Option(
      names = "--max-volumes-per-node",
      defaultValue = "0",
      paramLabel = "N",
      description = "The most volumes kubelet may publish on this node; 0 for no limit.")
  long maxVolumesPerNode;

  @Option(
      names = "--driver-name",
      defaultValue = DriverInfo.DEFAULT_NAME,
      paramLabel = "NAME",
      description = "The CSI driver name (default: ${DEFAULT-VALUE}).")
  String driverName;

  @Option(
      names = "--kubernetes",
      defaultValue = "auto",
      paramLabel = "auto|in-cluster|off|URL",
      description =
          "The Kubernetes API the node plugin uses for pod identity, events, the startup taint and"
              + " topology: the pod's own cluster (in-cluster), none (off), an http(s) URL without"
              + " authentication, or auto: in-cluster when KUBERNETES_SERVICE_HOST is set, off"
              + " otherwise (default: ${DEFAULT-VALUE}).")
  String kubernetes;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Use the current context of this kubeconfig file for the Kubernetes API.")
  String kubeconfig;

  @Option(
      names = "--token-audience",
      defaultValue = PodIdentityCredentialProvider.DEFAULT_AUDIENCE,
      paramLabel = "AUDIENCE",
      description =
          "The service-account token audience of authenticationSource: pod; one of the"
              + " CSIDriver's tokenRequests (default: ${DEFAULT-VALUE}).")
  String tokenAudience;

  @Option(
      names = "--startup-taint",
      defaultValue = StartupTaintRemover.DEFAULT_TAINT_KEY,
      paramLabel = "KEY",
      description =
          "The taint the node plugin removes from its Node once it serves, so that pods needing"
              + " S3 volumes wait for it; empty for none (default: ${DEFAULT-VALUE}).")
  String startupTaint;

  @Option(
      names = "--topology",
      description =
          "Report the Node's topology.kubernetes.io/zone and /region labels in NodeGetInfo.")
  boolean topology;

  @Option(
      names = "--pod-namespace",
      defaultValue = "${env:POD_NAMESPACE}",
      paramLabel = "NAMESPACE",
      description =
          "The driver pod's namespace, named in events on failed mounts (default: $POD_NAMESPACE).")
  String podNamespace;

  @Option(
      names = "--pod-name",
      defaultValue = "${env:POD_NAME}",
      paramLabel = "NAME",
      description = "The driver pod's name, named in events on failed mounts (default: $POD_NAME).")
  String podName;

  @Option(
      names = "--container-name",
      defaultValue = "s3csi",
      paramLabel = "NAME",
      description = "The driver's container in its pod (default: ${DEFAULT-VALUE}).")
  String containerName;

  @Option(
      names = "--sweep-interval",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description =
          "How often the node plugin looks for dead FUSE clients and cleans up clients and"
              + " credential files left without a mount, such as 60s or 5m; 0 turns it off"
              + " (default: ${DEFAULT-VALUE}).")
  String sweepInterval;

  @Option(
      names = "--metrics-address",
      paramLabel = "HOST:PORT",
      description =
          "Where to serve /metrics (Prometheus), /healthz and /readyz, such as :8080 for every"
              + " interface (default: not served).")
  String metricsAddress;

  @Option(
      names = "--log-format",
      defaultValue = "text",
      paramLabel = "text|json",
      description = "One line per record, as text or as a JSON object (default: ${DEFAULT-VALUE}).")
  String logFormat;

  @Option(
      names = "--log-level",
      defaultValue = "info",
      paramLabel = "error|warn|info|debug|trace",
      description = "The least severe records logged (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    DriverConfig config = config();
    Logging.configure(config.logLevel(), config.logFormat());
    try (ShutdownSignals signals = ShutdownSignals.install();
        Driver driver = start(config)) {
      LOG.log(
          Level.INFO,
          "s3csi {0} serving {1} on {2} as node {3}",
          VersionProvider.version(),
          config.mode(),
          driver.endpoint(),
          config.nodeId());
      String signal = signals.await();
      LOG.log(Level.INFO, "received SIG{0}; draining calls in flight and stopping", signal);
      driver.shutdown(Driver.SHUTDOWN_GRACE);
    }
    return S3csi.EXIT_OK;
  }

  private static Driver start(DriverConfig config) throws IOException {
    try {
      return Driver.start(config);
    } catch (IOException e) {
      throw new IOException(
          "cannot serve CSI on " + config.endpoint() + ": " + S3csi.describe(e), e);
    }
  }

  /**
   * Checks the flags and builds the settings.
   *
   * @throws ParameterException naming the offending flag
   */
  DriverConfig config() {
    try {
      return new DriverConfig(
          Endpoint.parse("--endpoint", endpoint),
          nodeId,
          DriverMode.parse("--mode", mode),
          path("--kubelet-dir", kubeletDir),
          mounterKind(),
          systemdAddress,
          FuseClient.parse("--fuse-client", fuseClient),
          VolumeContext.endpoint("--s3-endpoint-url", s3EndpointUrl),
          VolumeContext.region("--s3-region", s3Region),
          s3PathStyle,
          path("--state-dir", stateDir),
          maxVolumesPerNode,
          driverName,
          kubernetesSettings(),
          DriverConfig.duration("--sweep-interval", sweepInterval),
          MetricsAddress.parse("--metrics-address", metricsAddress),
          LogFormat.parse("--log-format", logFormat),
          LogLevel.parse("--log-level", logLevel));
    } catch (IllegalArgumentException | DriverException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** The Kubernetes flags; the API is used by the node plugin only. */
  private KubernetesSettings kubernetesSettings() {
    KubernetesSettings.Api api =
        KubernetesSettings.parseApi(
            kubernetes, kubeconfig, System.getenv(KubernetesSettings.SERVICE_HOST_VARIABLE));
    return new KubernetesSettings(
        api,
        tokenAudience == null ? "" : tokenAudience.strip(),
        startupTaint == null || startupTaint.isBlank()
            ? Optional.empty()
            : Optional.of(startupTaint.strip()),
        topology,
        KubernetesSettings.driverPod(podNamespace, podName, containerName));
  }

  /** The {@code --mounter}, or its default: systemd for the node plugin, process otherwise. */
  private MounterKind mounterKind() {
    if (mounter != null) {
      return MounterKind.parse("--mounter", mounter);
    }
    return DriverMode.parse("--mode", mode) == DriverMode.NODE
        ? MounterKind.SYSTEMD
        : MounterKind.PROCESS;
  }

  /** Parses {@code s3csi driver} flags; see {@link DriverConfig#fromFlags}. */
  static DriverConfig parse(String... flags) {
    CommandLine commandLine = new CommandLine(new DriverCommand());
    try {
      commandLine.parseArgs(flags);
      return ((DriverCommand) commandLine.getCommand()).config();
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Path path(String flag, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(flag + ": must not be empty");
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(flag + ": is not a valid path: " + e.getReason(), e);
    }
  }
}
