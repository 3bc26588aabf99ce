package io.s3csi.systemd;

import java.util.Objects;

/**
 * What systemd says about one unit: its load, active and sub state, whether a job for it is queued
 * or running, and its main process. A unit systemd does not know (never started, or stopped and
 * garbage-collected) is {@linkplain #gone() gone}.
 *
 * @param name the unit name
 * @param loadState {@code loaded}, {@code not-found}, ...
 * @param activeState {@code active}, {@code activating}, {@code deactivating}, {@code inactive},
 *     {@code failed}, ...
 * @param subState the unit type's own state, such as {@code running} or {@code dead}
 * @param jobPending whether a start or stop job for the unit is queued or running
 * @param mainPid the main process id, 0 when none
 */
record UnitState(
    String name,
    String loadState,
    String activeState,
    String subState,
    boolean jobPending,
    long mainPid) {

  /** Checks for nulls. */
  UnitState {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(loadState, "loadState");
    Objects.requireNonNull(activeState, "activeState");
    Objects.requireNonNull(subState, "subState");
  }

  /** The state of a unit systemd does not know. */
  static UnitState gone(String name) {
    return new UnitState(name, "not-found", "inactive", "dead", false, 0);
  }

  /**
   * Returns whether systemd does not know the unit (never started, or collected after it ended).
   */
  boolean gone() {
    return loadState.equals("not-found") && !jobPending && activeState.equals("inactive");
  }

  /** Returns whether the unit's process runs as a started service. */
  boolean running() {
    return activeState.equals("active") || activeState.equals("reloading");
  }

  /**
   * Returns whether the unit has ended for good: failed, or inactive with no job that would start
   * it. A unit whose start job is queued is not ended yet.
   */
  boolean ended() {
    return activeState.equals("failed") || (activeState.equals("inactive") && !jobPending);
  }

  /** Describes the state for messages: {@code active (running), pid 42}, {@code gone}. */
  String describe() {
    if (gone()) {
      return "gone";
    }
    return activeState
        + " ("
        + subState
        + ")"
        + (mainPid > 0 ? ", pid " + mainPid : "")
        + (jobPending ? ", job pending" : "");
  }
}
