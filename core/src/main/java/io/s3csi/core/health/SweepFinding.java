package io.s3csi.core.health;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing a sweep found wrong, and what it did about it.
 *
 * @param kind what is wrong
 * @param key the target's key, which names its private directory (and its unit)
 * @param target the target, when known
 * @param volumeId the volume, when known
 * @param action what the sweep did
 * @param detail what the sweep saw, or why cleaning failed
 */
public record SweepFinding(
    Kind kind,
    String key,
    Optional<Path> target,
    Optional<String> volumeId,
    Action action,
    String detail) {

  /** What is wrong. */
  public enum Kind {
    /**
     * A mount whose FUSE client died or hangs. Reported only: kubelet still owns the target, and
     * republishing the volume (a new pod, or requiresRepublish) heals it.
     */
    DEAD_MOUNT,
    /** A client (process or unit) whose target has no mount any more: it serves nothing. */
    ORPHAN_CLIENT,
    /** Private files (credentials, configuration) of a target with no mount and no client. */
    ORPHAN_FILES,
    /**
     * A client of this mounter with no record of its target: it may serve a mount, so it is only
     * reported.
     */
    UNKNOWN_CLIENT
  }

  /** What the sweep did. */
  public enum Action {
    /** Nothing: the finding is only reported. */
    REPORTED,
    /** The client was stopped and the private files removed. */
    CLEANED,
    /** Cleaning was tried and failed; the next sweep tries again. */
    FAILED
  }

  /** Checks for nulls. */
  public SweepFinding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(volumeId, "volumeId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(detail, "detail");
  }
}
