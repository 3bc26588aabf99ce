package io.s3csi.core.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The identity use-cases: who the driver is, which services it offers, whether it is ready. */
public final class IdentityService {
  private final DriverInfo info;
  private final boolean controllerService;
  private final List<ReadinessCheck> checks;

  /**
   * Creates the service.
   *
   * @param info the driver's name and version
   * @param controllerService whether this process serves the controller service
   * @param checks the dependencies a probe checks
   */
  public IdentityService(DriverInfo info, boolean controllerService, List<ReadinessCheck> checks) {
    this.info = Objects.requireNonNull(info, "info");
    this.controllerService = controllerService;
    this.checks = List.copyOf(checks);
  }

  /** Returns the driver's name and version. */
  public DriverInfo info() {
    return info;
  }

  /** Returns whether this process serves the controller service. */
  public boolean controllerService() {
    return controllerService;
  }

  /**
   * Runs every readiness check. A check that throws counts as not ready, with its message.
   *
   * @return the readiness
   */
  public Readiness probe() {
    List<String> reasons = new ArrayList<>();
    for (ReadinessCheck check : checks) {
      try {
        Optional<String> reason = check.notReadyReason();
        reason.ifPresent(reasons::add);
      } catch (RuntimeException e) {
        reasons.add(e.getMessage() != null ? e.getMessage() : e.toString());
      }
    }
    return new Readiness(reasons.isEmpty(), reasons);
  }
}
