package io.s3csi.core.health;

/**
 * Hears the report of each sweep, for metrics and Kubernetes events. Listeners run on the sweep's
 * thread; they must be quick, and one that throws is logged and ignored.
 */
@FunctionalInterface
public interface SweepListener {

  /** Hears nothing. */
  SweepListener NONE = report -> {};

  /**
   * A sweep ended.
   *
   * @param report what it saw and did
   */
  void swept(SweepReport report);
}
