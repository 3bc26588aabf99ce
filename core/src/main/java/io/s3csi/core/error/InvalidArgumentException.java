package io.s3csi.core.error;

import java.util.Objects;

/**
 * A request field is missing, malformed or not allowed. The message is {@code "<field>: <reason>"}
 * so that a user reading a Kubernetes event knows which attribute, option or flag to fix.
 */
public final class InvalidArgumentException extends DriverException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param field the name of the offending field, attribute, option or flag
   * @param reason why it is rejected; never contains a secret value
   */
  public InvalidArgumentException(String field, String reason) {
    super(ErrorKind.INVALID_ARGUMENT, Objects.requireNonNull(field, "field") + ": " + reason);
    this.field = field;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Returns the name of the offending field. */
  public String field() {
    return field;
  }

  /** Returns why the field is rejected. */
  public String reason() {
    return reason;
  }
}
