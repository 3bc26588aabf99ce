package io.s3csi.core.node;

import java.util.Objects;

/**
 * Whether a published volume serves, as NodeGetVolumeStats reports it to kubelet (which turns an
 * abnormal condition into an event on the pod).
 *
 * @param abnormal whether the volume does not serve
 * @param message what is wrong and what to do about it; for a normal volume, a short confirmation
 */
public record VolumeCondition(boolean abnormal, String message) {

  /** Checks for nulls. */
  public VolumeCondition {
    Objects.requireNonNull(message, "message");
  }

  /** Returns a normal condition. */
  public static VolumeCondition normal(String message) {
    return new VolumeCondition(false, message);
  }

  /** Returns an abnormal condition. */
  public static VolumeCondition abnormal(String message) {
    return new VolumeCondition(true, message);
  }
}
