package io.s3csi.launcher;

/**
 * A setting that parses but that this build or host cannot serve, such as a mounter that is not
 * available. The command line is at fault, so {@code s3csi} exits with {@link S3csi#EXIT_USAGE}.
 * The message names the flag.
 */
public final class ConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the flag, and what to use instead
   */
  public ConfigurationException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what is wrong, naming the flag, and what to use instead
   * @param cause what failed
   */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
