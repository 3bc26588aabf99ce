package io.s3csi.testkit.systemd;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a command that {@link SystemdNamespace#exec(List, java.time.Duration)} ran to
 * completion inside the namespace.
 *
 * @param command the command as given (without the {@code nsenter} wrapper)
 * @param exitCode its exit code; {@code 128 + n} if signal {@code n} killed it
 * @param stdout everything it wrote to standard output, decoded as UTF-8
 * @param stderr everything it wrote to standard error, decoded as UTF-8
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {

  /** Validates and copies the components; none may be null. */
  public ExecResult {
    command = List.copyOf(Objects.requireNonNull(command, "command"));
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  /**
   * Whether the command exited with code 0.
   *
   * @return {@code exitCode() == 0}
   */
  public boolean succeeded() {
    return exitCode == 0;
  }

  /**
   * Returns this result if the command succeeded.
   *
   * @return this
   * @throws IllegalStateException if the exit code is not 0; the message holds the command, its
   *     exit code and both outputs
   */
  public ExecResult requireSuccess() {
    if (!succeeded()) {
      throw new IllegalStateException(
          "command "
              + command
              + " exited with "
              + exitCode
              + "\n--- stdout ---\n"
              + stdout
              + "\n--- stderr ---\n"
              + stderr);
    }
    return this;
  }
}
