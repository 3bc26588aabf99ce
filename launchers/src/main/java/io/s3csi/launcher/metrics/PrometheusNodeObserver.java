package io.s3csi.launcher.metrics;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.node.NodeObserver;
import io.s3csi.core.node.PublishOutcome;
import java.util.Locale;

/**
 * Counts how publishes ended: successes by result and FUSE client ({@code s3csi_publishes_total}),
 * failures by error kind and FUSE client ({@code s3csi_mount_failures_total}).
 */
final class PrometheusNodeObserver implements NodeObserver {
  private final DriverMetrics metrics;

  PrometheusNodeObserver(DriverMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void publishEnded(PublishOutcome outcome) {
    String client = outcome.client().map(FuseClient::id).orElse(DriverMetrics.NO_CLIENT);
    outcome
        .result()
        .ifPresent(result -> metrics.published(result.name().toLowerCase(Locale.ROOT), client));
    outcome
        .failure()
        .ifPresent(
            failure ->
                metrics.publishFailed(failure.kind().name().toLowerCase(Locale.ROOT), client));
  }

  @Override
  public String toString() {
    return "PrometheusNodeObserver";
  }
}
