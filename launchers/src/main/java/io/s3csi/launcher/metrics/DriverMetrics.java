package io.s3csi.launcher.metrics;

import io.grpc.ServerInterceptor;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.node.NodeObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The driver's Prometheus metrics, in a registry of their own: CSI calls, publishes and mount
 * failures, mounts by state, sweep results, and the JVM's own metrics. {@link MetricsServer} serves
 * them; docs/operations.md lists each metric with its labels and meaning.
 *
 * <pre>{@code
 * DriverMetrics metrics = new DriverMetrics(VersionProvider.version());
 * CsiServer.start(endpoint, services, List.of(metrics.interceptor(), new LoggingInterceptor()));
 * new NodeService(config, mounter, credentials, locks, metrics.nodeObserver());
 * metrics.mountsObserved(Map.of("mounted", Map.of(FuseClient.S3FS, 3)));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class DriverMetrics {
  /** Latency buckets of CSI calls, in seconds: a mount may take up to its 30 s timeout. */
  static final double[] CALL_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  /** Duration buckets of sweeps, in seconds. */
  static final double[] SWEEP_BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

  /** The client label of a publish that failed before its FUSE client was decided. */
  static final String NO_CLIENT = "none";

  private static final Logger LOG = System.getLogger(DriverMetrics.class.getName());

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Clock clock;
  private final Histogram callDuration;
  private final Counter calls;
  private final Counter publishes;
  private final Counter mountFailures;
  private final Counter sweepFindings;
  private final Histogram sweepDuration;
  private final Gauge sweepLastCompleted;
  private volatile Map<String, Map<FuseClient, Integer>> mounts = Map.of();

  /**
   * Creates the metrics, the JVM's included (they are set up on the first scrape).
   *
   * @param version the driver's version, the {@code version} label of {@code s3csi_build_info}
   */
  public DriverMetrics(String version) {
    this(version, Clock.systemUTC());
  }

  DriverMetrics(String version, Clock clock) {
    Objects.requireNonNull(version, "version");
    this.clock = Objects.requireNonNull(clock, "clock");
    Info.builder()
        .name("s3csi_build_info")
        .help("The s3csi version that runs; always 1.")
        .labelNames("version")
        .register(registry)
        .setLabelValues(version);
    callDuration =
        Histogram.builder()
            .name("s3csi_csi_call_duration_seconds")
            .help("How long CSI calls took, by CSI method.")
            .unit(Unit.SECONDS)
            .labelNames("method")
            .classicOnly()
            .classicUpperBounds(CALL_BUCKETS)
            .register(registry);
    calls =
        Counter.builder()
            .name("s3csi_csi_calls_total")
            .help("CSI calls that ended, by CSI method and gRPC status code.")
            .labelNames("method", "code")
            .register(registry);
    publishes =
        Counter.builder()
            .name("s3csi_publishes_total")
            .help(
                "NodePublishVolume calls that succeeded, by result (mounted, already_mounted,"
                    + " remounted) and FUSE client.")
            .labelNames("result", "client")
            .register(registry);
    mountFailures =
        Counter.builder()
            .name("s3csi_mount_failures_total")
            .help(
                "NodePublishVolume calls that failed, by reason (the error kind, such as"
                    + " invalid_argument or unavailable) and FUSE client.")
            .labelNames("reason", "client")
            .register(registry);
    GaugeWithCallback.builder()
        .name("s3csi_mounts")
        .help("Mounts of this node at the last observation, by state and FUSE client.")
        .labelNames("state", "client")
        .callback(
            callback ->
                mounts.forEach(
                    (state, byClient) ->
                        byClient.forEach(
                            (client, count) -> callback.call(count, state, client.id()))))
        .register(registry);
    sweepFindings =
        Counter.builder()
            .name("s3csi_sweep_findings_total")
            .help(
                "What sweeps found wrong, by kind and whether the sweep cleaned it"
                    + " (cleaned=\"true\") or only reported it.")
            .labelNames("kind", "cleaned")
            .register(registry);
    sweepDuration =
        Histogram.builder()
            .name("s3csi_sweep_duration_seconds")
            .help("How long sweeps took; its _count is the number of completed sweeps.")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(SWEEP_BUCKETS)
            .register(registry);
    sweepLastCompleted =
        Gauge.builder()
            .name("s3csi_sweep_last_completed_timestamp_seconds")
            .help("When the last sweep completed, in seconds since the epoch; 0 before the first.")
            .register(registry);
    registry.register(new JvmMetrics());
  }

  /** Returns the registry that holds every metric of this driver, for an exporter. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Returns an interceptor that times every CSI call and counts it by method and status code. Put
   * it before the other interceptors, so that their work is timed too.
   *
   * @return the interceptor
   */
  public ServerInterceptor interceptor() {
    return new MetricsInterceptor(this, System::nanoTime);
  }

  /**
   * Returns a node observer that counts successful publishes by result and client, and failed ones
   * by reason and client.
   *
   * @return the observer
   */
  public NodeObserver nodeObserver() {
    return new PrometheusNodeObserver(this);
  }

  /**
   * Replaces the mount counts of {@code s3csi_mounts}: each state and client of {@code counts} is
   * one series; the series of states left out disappear. Clients a state does not name count 0 in
   * it, so that each state keeps a series per client.
   *
   * @param counts the number of mounts by state (such as {@code mounted} or {@code corrupted}) and
   *     FUSE client
   */
  public void mountsObserved(Map<String, Map<FuseClient, Integer>> counts) {
    Map<String, Map<FuseClient, Integer>> copy = new LinkedHashMap<>();
    counts.forEach(
        (state, byClient) -> {
          Map<FuseClient, Integer> all = new EnumMap<>(FuseClient.class);
          for (FuseClient client : FuseClient.values()) {
            all.put(client, byClient.getOrDefault(client, 0));
          }
          copy.put(label("state", state), all);
        });
    mounts = copy;
  }

  /**
   * Counts one thing a sweep found wrong.
   *
   * @param kind what it was, such as {@code dead_mount}, {@code orphan_credentials} or {@code
   *     orphan_unit}
   * @param cleaned whether the sweep cleaned it, or only reported it
   */
  public void sweepFinding(String kind, boolean cleaned) {
    sweepFindings.labelValues(label("kind", kind), Boolean.toString(cleaned)).inc();
  }

  /**
   * Records that a sweep completed.
   *
   * @param took how long it took
   */
  public void sweepCompleted(Duration took) {
    Objects.requireNonNull(took, "took");
    sweepDuration.observe(seconds(took.toNanos()));
    sweepLastCompleted.set(clock.millis() / 1000.0);
  }

  /** Records a CSI call that ended. */
  void callEnded(String method, String code, long nanos) {
    callDuration.labelValues(method).observe(seconds(nanos));
    calls.labelValues(method, code).inc();
  }

  /** Records a publish that succeeded. */
  void published(String result, String client) {
    publishes.labelValues(result, client).inc();
  }

  /** Records a publish that failed. */
  void publishFailed(String reason, String client) {
    mountFailures.labelValues(reason, client).inc();
  }

  /** Returns every metric in the Prometheus text format, as a scrape would. */
  String text() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Lower-cases a label value and checks that it is one. */
  static String label(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value.strip().toLowerCase(Locale.ROOT);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
