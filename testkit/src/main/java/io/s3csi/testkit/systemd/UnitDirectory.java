package io.s3csi.testkit.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The only unit directory systemd sees ({@code SYSTEMD_UNIT_PATH}): the targets it needs to boot,
 * start transient units and shut down, plus the units a test adds. None of the host's units (from
 * {@code /lib/systemd/system} or {@code /etc/systemd/system}) is visible.
 */
final class UnitDirectory {
  /** The target systemd boots into. */
  static final String TARGET = "s3csi-testkit.target";

  /** Makes systemd exit once shutdown.target and umount.target are reached. */
  static final String EXIT_SERVICE = "s3csi-testkit-exit.service";

  private static final Pattern UNIT_NAME =
      Pattern.compile(
          "[A-Za-z0-9:_.\\\\@-]{1,240}\\.(service|socket|target|mount|automount|swap|path|timer"
              + "|slice|scope)");

  private static final Map<String, String> BUILT_IN = builtIn();

  /** Names of the units this directory defines itself; a test cannot replace them. */
  static final Set<String> RESERVED = BUILT_IN.keySet();

  private UnitDirectory() {}

  /**
   * Checks that {@code name} is a unit name a test may add.
   *
   * @throws IllegalArgumentException naming the problem
   */
  static void checkExtraUnitName(String name) {
    if (!UNIT_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "unitFile name must be a systemd unit name such as hello.service, got '" + name + "'");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException(
          "unitFile name '" + name + "' is one of the fixture's own units " + RESERVED);
    }
  }

  /** Creates {@code directory} with the built-in units and the {@code extra} ones. */
  static Path write(Path directory, Map<String, String> extra) throws IOException {
    Files.createDirectory(directory);
    Map<String, String> all = new LinkedHashMap<>(BUILT_IN);
    all.putAll(extra);
    for (Map.Entry<String, String> unit : all.entrySet()) {
      Files.writeString(directory.resolve(unit.getKey()), unit.getValue());
    }
    return directory;
  }

  private static Map<String, String> builtIn() {
    Map<String, String> units = new LinkedHashMap<>();
    units.put(TARGET, "[Unit]\nDescription=s3csi testkit namespace\n");
    // Transient units depend on these by default (Requires=sysinit.target, After=basic.target,
    // Conflicts=shutdown.target; mounts Conflicts=umount.target): empty, they are reached at once.
    for (String target : new String[] {"sysinit", "basic", "shutdown", "umount"}) {
      units.put(
          target + ".target",
          "[Unit]\nDescription=" + target + " (s3csi testkit)\nDefaultDependencies=no\n");
    }
    // SIGRTMIN+3 starts halt.target: stop every unit, then leave (exit-force ends a container's
    // systemd, and with it the pid namespace).
    units.put(
        "halt.target",
        "[Unit]\nDescription=Leave the s3csi testkit namespace\nDefaultDependencies=no\n"
            + "Requires="
            + EXIT_SERVICE
            + "\nAfter="
            + EXIT_SERVICE
            + "\n");
    units.put(
        EXIT_SERVICE,
        "[Unit]\nDescription=Exit systemd of the s3csi testkit namespace\n"
            + "DefaultDependencies=no\n"
            + "Requires=shutdown.target umount.target\nAfter=shutdown.target umount.target\n"
            + "SuccessAction=exit-force\n");
    return Collections.unmodifiableMap(units);
  }
}
