package io.s3csi.launcher;

import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.systemd.ProcessMounter;
import io.s3csi.systemd.SystemdMounter;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings shared by the bare-host commands ({@code s3csi mount}, {@code unmount}, {@code
 * list}), and the mounters they build. Their units are named {@code s3csi-mount-<key>.service} and
 * their private files live under {@code <stateDir>/mounts}, apart from the driver's, so that the
 * commands only ever see, list and unmount what {@code s3csi mount} made.
 *
 * @param stateDir the root-only directory of the commands' state ({@code --state-dir})
 * @param systemdAddress where systemd is reached ({@code --systemd-address})
 */
record BareHost(Path stateDir, String systemdAddress) {

  /** The prefix of the units {@code s3csi mount} starts. */
  static final String UNIT_PREFIX = "s3csi-mount";

  /** The default state directory: under {@code /run}, which goes away with the mounts at boot. */
  static final String DEFAULT_STATE_DIR = "/run/s3csi";

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException naming the flag of a malformed setting
   */
  BareHost {
    Objects.requireNonNull(stateDir, "stateDir");
    if (!stateDir.isAbsolute()) {
      throw new IllegalArgumentException(
          "--state-dir: must be an absolute path, got '" + stateDir + "'");
    }
    stateDir = stateDir.normalize();
    SystemdMounter.checkAddress("--systemd-address", systemdAddress);
  }

  /** Returns the private directories of the mounts. */
  PrivateDirectories privateDirectories() {
    return new PrivateDirectories(stateDir.resolve(DriverConfig.MOUNTS_DIRECTORY));
  }

  /** Returns the mounter that runs clients as systemd units; close it. */
  SystemdMounter systemdMounter() {
    return SystemdMounter.builder(privateDirectories())
        .address(systemdAddress)
        .unitPrefix(UNIT_PREFIX)
        .build();
  }

  /**
   * Returns the mounter that runs clients as children of this process, for {@code --foreground}.
   */
  ProcessMounter processMounter() {
    return new ProcessMounter(privateDirectories());
  }
}
