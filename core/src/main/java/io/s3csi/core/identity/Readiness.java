package io.s3csi.core.identity;

import java.util.List;

/**
 * The answer to a probe.
 *
 * @param ready whether every check passed
 * @param reasons why not, one entry per failed check
 */
public record Readiness(boolean ready, List<String> reasons) {

  /** Copies. */
  public Readiness {
    reasons = List.copyOf(reasons);
  }
}
