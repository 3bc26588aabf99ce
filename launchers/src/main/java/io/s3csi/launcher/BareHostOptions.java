package io.s3csi.launcher;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flags every bare-host command takes; {@link #config()} checks them into a {@link BareHost}.
 */
final class BareHostOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--state-dir",
      defaultValue = BareHost.DEFAULT_STATE_DIR,
      paramLabel = "DIR",
      description =
          "Where the mounts' private files (credentials, client log, record) go, under DIR/mounts"
              + " (default: ${DEFAULT-VALUE}).")
  String stateDir;

  @Option(
      names = "--systemd-address",
      defaultValue = "unix:path=/run/systemd/private",
      paramLabel = "ADDRESS",
      description =
          "How systemd is reached: a D-Bus address, or 'system' for the system bus (default:"
              + " ${DEFAULT-VALUE}).")
  String systemdAddress;

  /**
   * Returns the checked settings.
   *
   * @throws ParameterException naming the offending flag
   */
  BareHost config() {
    try {
      return new BareHost(Path.of(stateDir), systemdAddress);
    } catch (InvalidPathException e) {
      throw new ParameterException(
          spec.commandLine(), "--state-dir: is not a valid path: " + e.getReason(), e);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
