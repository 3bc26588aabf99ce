package io.s3csi.core.node;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Hears how node operations end, for what the driver reports besides the RPC's answer: Kubernetes
 * events on the workload pod, metrics. Observers run on the RPC's thread after the operation has
 * ended, outside the volume's lock; they must be quick and must not throw (a throwing observer is
 * logged and ignored, and never changes the RPC's outcome).
 */
@FunctionalInterface
public interface NodeObserver {

  /** Hears nothing. */
  NodeObserver NONE = outcome -> {};

  /**
   * A NodePublishVolume call ended.
   *
   * @param outcome how it ended
   */
  void publishEnded(PublishOutcome outcome);

  /**
   * Returns an observer that tells each of {@code observers} in turn; one that throws is logged and
   * the rest are still told.
   *
   * @param observers the observers
   * @return the combined observer
   */
  static NodeObserver all(List<NodeObserver> observers) {
    List<NodeObserver> copy = List.copyOf(observers);
    Logger log = System.getLogger(NodeObserver.class.getName());
    return outcome -> {
      for (NodeObserver observer : copy) {
        try {
          observer.publishEnded(outcome);
        } catch (RuntimeException e) {
          log.log(Level.WARNING, "node observer " + observer + " failed", e);
        }
      }
    };
  }
}
