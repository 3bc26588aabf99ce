package io.s3csi.core.provisioning;

import java.util.Objects;

/**
 * The answer to ValidateVolumeCapabilities: either every requested capability is supported, or a
 * message says which is not.
 *
 * @param confirmed whether every capability is supported
 * @param message why not, when not confirmed; empty when confirmed
 */
public record Validation(boolean confirmed, String message) {

  /** Every capability is supported. */
  public static final Validation CONFIRMED = new Validation(true, "");

  /** Checks that a refusal says why. */
  public Validation {
    Objects.requireNonNull(message, "message");
    if (!confirmed && message.isBlank()) {
      throw new IllegalArgumentException("an unconfirmed validation needs a message");
    }
  }

  /**
   * Returns a refusal.
   *
   * @param message which capability is not supported and why
   * @return the validation
   */
  public static Validation unconfirmed(String message) {
    return new Validation(false, message);
  }
}
