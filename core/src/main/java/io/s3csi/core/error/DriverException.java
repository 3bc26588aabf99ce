package io.s3csi.core.error;

import java.util.Objects;

/**
 * The one exception family of s3csi. Every failure that reaches a caller carries an {@link
 * ErrorKind} and a message written for the person who has to fix it. Messages never contain secret
 * values.
 *
 * <p>Input validation failures are {@link InvalidArgumentException}s, which also name the field.
 */
public sealed class DriverException extends RuntimeException permits InvalidArgumentException {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;

  /**
   * Creates an exception of the given kind.
   *
   * @param kind what went wrong
   * @param message what happened and, where possible, what to do about it
   */
  public DriverException(ErrorKind kind, String message) {
    this(kind, message, null);
  }

  /**
   * Creates an exception of the given kind with its cause.
   *
   * @param kind what went wrong
   * @param message what happened and, where possible, what to do about it
   * @param cause the underlying failure, or {@code null}
   */
  public DriverException(ErrorKind kind, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** Returns what went wrong. */
  public ErrorKind kind() {
    return kind;
  }

  /** Returns a {@link ErrorKind#NOT_FOUND} exception. */
  public static DriverException notFound(String message) {
    return new DriverException(ErrorKind.NOT_FOUND, message);
  }

  /** Returns an {@link ErrorKind#ALREADY_EXISTS} exception. */
  public static DriverException alreadyExists(String message) {
    return new DriverException(ErrorKind.ALREADY_EXISTS, message);
  }

  /** Returns a {@link ErrorKind#FAILED_PRECONDITION} exception. */
  public static DriverException failedPrecondition(String message) {
    return new DriverException(ErrorKind.FAILED_PRECONDITION, message);
  }

  /** Returns an {@link ErrorKind#ABORTED} exception. */
  public static DriverException aborted(String message) {
    return new DriverException(ErrorKind.ABORTED, message);
  }

  /** Returns an {@link ErrorKind#UNAVAILABLE} exception. */
  public static DriverException unavailable(String message, Throwable cause) {
    return new DriverException(ErrorKind.UNAVAILABLE, message, cause);
  }

  /** Returns an {@link ErrorKind#DEADLINE_EXCEEDED} exception. */
  public static DriverException deadlineExceeded(String message) {
    return new DriverException(ErrorKind.DEADLINE_EXCEEDED, message);
  }

  /** Returns an {@link ErrorKind#INTERNAL} exception. */
  public static DriverException internal(String message, Throwable cause) {
    return new DriverException(ErrorKind.INTERNAL, message, cause);
  }
}
