package io.s3csi.core.identity;

import java.util.Optional;

/** A dependency the driver needs to serve: the mounter's backend, S3, the Kubernetes API. */
@FunctionalInterface
public interface ReadinessCheck {

  /**
   * Checks the dependency, quickly (the CSI Probe is called often).
   *
   * @return why the driver is not ready, or empty when it is
   */
  Optional<String> notReadyReason();
}
