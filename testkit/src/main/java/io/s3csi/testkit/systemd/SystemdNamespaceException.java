package io.s3csi.testkit.systemd;

/**
 * A {@link SystemdNamespace} could not be started, stopped or used: systemd did not become ready in
 * time, died, left something behind, or a command run inside the namespace did not finish in time.
 * The message says which, and carries the console output of systemd where that helps.
 */
public final class SystemdNamespaceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   */
  public SystemdNamespaceException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the underlying failure
   */
  public SystemdNamespaceException(String message, Throwable cause) {
    super(message, cause);
  }
}
