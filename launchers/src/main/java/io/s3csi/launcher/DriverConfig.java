package io.s3csi.launcher;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.identity.DriverInfo;
import io.s3csi.core.node.NodeConfig;
import io.s3csi.core.provisioning.ControllerConfig;
import io.s3csi.grpc.Endpoint;
import io.s3csi.launcher.metrics.MetricsAddress;
import io.s3csi.systemd.SystemdMounter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of a driver process: the flags of {@code s3csi driver}, parsed and checked. Each
 * check names the flag it guards.
 *
 * <p>{@link #fromFlags} parses a command line exactly as {@code s3csi driver} does, which is the
 * easiest way to configure an in-process {@link Driver}:
 *
 * <pre>{@code
 * DriverConfig config =
 *     DriverConfig.fromFlags(
 *         "--endpoint", "unix:///run/s3csi/csi.sock", "--node-id", "node-1", "--mode", "all");
 * }</pre>
 *
 * @param endpoint the unix socket to serve CSI on ({@code --endpoint})
 * @param nodeId the node id reported to kubelet ({@code --node-id})
 * @param mode the CSI services to serve ({@code --mode})
 * @param kubeletDir the kubelet root directory; publish targets must lie under it ({@code
 *     --kubelet-dir})
 * @param mounter how FUSE clients are run ({@code --mounter}; systemd for the node plugin, process
 *     otherwise)
 * @param systemdAddress where the systemd mounter reaches systemd: a D-Bus address, or {@code
 *     system} for the system bus ({@code --systemd-address})
 * @param fuseClient the FUSE client of volumes that name none ({@code --fuse-client})
 * @param s3EndpointUrl the S3 endpoint of volumes that name none; empty for AWS S3 ({@code
 *     --s3-endpoint-url})
 * @param s3Region the region of volumes that name none ({@code --s3-region})
 * @param s3PathStyle path-style addressing for volumes that do not say ({@code --s3-path-style})
 * @param stateDir the driver's root-only state; mounts keep their private files under {@code
 *     <stateDir>/mounts} ({@code --state-dir})
 * @param maxVolumesPerNode the most volumes kubelet may publish on this node, 0 for no limit
 *     ({@code --max-volumes-per-node})
 * @param driverName the CSI driver name ({@code --driver-name})
 * @param kubernetes how the node plugin uses the Kubernetes API ({@code --kubernetes} and the flags
 *     of {@link KubernetesSettings})
 * @param sweepInterval how often the node plugin sweeps its mounts for dead clients and leftovers;
 *     zero turns the sweep off ({@code --sweep-interval})
 * @param metricsAddress where {@code /metrics}, {@code /healthz} and {@code /readyz} are served;
 *     empty for not at all ({@code --metrics-address})
 * @param logFormat how log records are written ({@code --log-format})
 * @param logLevel the least severe records logged ({@code --log-level})
 */
public record DriverConfig(
    Endpoint endpoint,
    String nodeId,
    DriverMode mode,
    Path kubeletDir,
    MounterKind mounter,
    String systemdAddress,
    FuseClient fuseClient,
    Optional<URI> s3EndpointUrl,
    Optional<String> s3Region,
    boolean s3PathStyle,
    Path stateDir,
    long maxVolumesPerNode,
    String driverName,
    KubernetesSettings kubernetes,
    Duration sweepInterval,
    Optional<MetricsAddress> metricsAddress,
    LogFormat logFormat,
    LogLevel logLevel) {

  /** The default of {@code --sweep-interval}. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(60);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  /** The directory under {@link #stateDir()} that holds each mount's private files. */
  public static final String MOUNTS_DIRECTORY = "mounts";

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException naming the flag of a missing or malformed setting
   */
  public DriverConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(mounter, "mounter");
    systemdAddress = SystemdMounter.checkAddress("--systemd-address", systemdAddress);
    Objects.requireNonNull(fuseClient, "fuseClient");
    Objects.requireNonNull(s3EndpointUrl, "s3EndpointUrl");
    Objects.requireNonNull(s3Region, "s3Region");
    if (nodeId == null || nodeId.isBlank()) {
      throw new IllegalArgumentException("--node-id: must not be empty");
    }
    nodeId = nodeId.strip();
    kubeletDir = absolute("--kubelet-dir", kubeletDir);
    stateDir = absolute("--state-dir", stateDir);
    if (maxVolumesPerNode < 0) {
      throw new IllegalArgumentException(
          "--max-volumes-per-node: must be 0 (no limit) or more, got " + maxVolumesPerNode);
    }
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (sweepInterval.isNegative()) {
      throw new IllegalArgumentException(
          "--sweep-interval: must be 0 (off) or a positive duration, got " + sweepInterval);
    }
    Objects.requireNonNull(metricsAddress, "metricsAddress");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(driverName, "driverName");
    Objects.requireNonNull(kubernetes, "kubernetes");
    try {
      new DriverInfo(driverName, "check", Map.of());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--driver-name: must be a lowercase domain-like name of at most 63 characters, such as "
              + DriverInfo.DEFAULT_NAME
              + ", got '"
              + driverName
              + "'",
          e);
    }
  }

  /**
   * Parses the flags of {@code s3csi driver}.
   *
   * @param flags the command line after {@code driver}, such as {@code --endpoint
   *     unix:///csi/csi.sock --node-id node-1}
   * @return the settings
   * @throws IllegalArgumentException with a one-line message naming the offending flag
   */
  public static DriverConfig fromFlags(String... flags) {
    return DriverCommand.parse(flags);
  }

  /** Returns the node plugin's settings. */
  public NodeConfig nodeConfig() {
    return new NodeConfig(
        nodeId, kubeletDir, fuseClient, s3EndpointUrl, s3Region, s3PathStyle, maxVolumesPerNode);
  }

  /** Returns the controller's settings: the same S3 connection defaults. */
  public ControllerConfig controllerConfig() {
    return new ControllerConfig(s3EndpointUrl, s3Region, s3PathStyle);
  }

  /** Returns {@code <stateDir>/mounts}, the root of the mounts' private directories. */
  public Path mountsDir() {
    return stateDir.resolve(MOUNTS_DIRECTORY);
  }

  /**
   * Returns what GetPluginInfo reports.
   *
   * @param version the driver's version
   * @return the driver name and version
   */
  public DriverInfo driverInfo(String version) {
    return new DriverInfo(driverName, version, Map.of());
  }

  /**
   * Parses a duration flag: a whole number with a unit ({@code 500ms}, {@code 60s}, {@code 5m},
   * {@code 1h}), {@code 0}, or an ISO-8601 duration ({@code PT1M}).
   *
   * @param flag the flag, named in the error
   * @param value the value
   * @return the duration
   * @throws IllegalArgumentException naming the flag for anything else
   */
  static Duration duration(String flag, String value) {
    String text = value == null ? "" : value.strip();
    Matcher m = DURATION.matcher(text);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2);
        if (unit == null) {
          if (n == 0) {
            return Duration.ZERO;
          }
        } else {
          return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
        }
      } else if (text.toUpperCase(Locale.ROOT).startsWith("PT")) {
        return Duration.parse(text);
      }
    } catch (DateTimeParseException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException(
        flag + ": must be a duration such as 60s, 5m or 500ms, or 0 for off; got '" + value + "'");
  }

  private static Path absolute(String flag, Path path) {
    Objects.requireNonNull(path, flag);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException(flag + ": must be an absolute path, got '" + path + "'");
    }
    return path.normalize();
  }
}
