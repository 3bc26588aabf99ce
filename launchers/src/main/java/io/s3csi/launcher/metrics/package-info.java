/**
 * The driver's metrics and HTTP health endpoints.
 *
 * <ul>
 *   <li>{@link io.s3csi.launcher.metrics.DriverMetrics} holds every metric (CSI calls, publishes,
 *       mount failures, mounts by state, sweeps, the JVM) in a Prometheus registry, with the gRPC
 *       interceptor and node observer that feed it.
 *   <li>{@link io.s3csi.launcher.metrics.MetricsServer} serves {@code /metrics}, {@code /healthz}
 *       and {@code /readyz} on the {@link io.s3csi.launcher.metrics.MetricsAddress} of {@code
 *       --metrics-address}.
 * </ul>
 */
package io.s3csi.launcher.metrics;
