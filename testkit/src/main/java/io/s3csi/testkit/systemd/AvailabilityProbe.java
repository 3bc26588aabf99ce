package io.s3csi.testkit.systemd;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Finds out, once per JVM, whether this machine lets a {@link SystemdNamespace} run. */
final class AvailabilityProbe {
  static final Path SYSTEMD = Path.of("/lib/systemd/systemd");

  /** The programs the launch scripts and the fixture call. */
  private static final List<String> TOOLS =
      List.of("unshare", "nsenter", "script", "setpriv", "kill", "awk", "mount", "umount", "tty");

  private static final List<String> UNSHARE_PROBE =
      List.of(
          "unshare",
          "--pid",
          "--fork",
          "--kill-child",
          "--mount",
          "--mount-proc",
          "--cgroup",
          "--propagation",
          "private",
          "true");

  private AvailabilityProbe() {}

  /** The cached verdict. */
  static SystemdNamespace.Availability get() {
    return Holder.VERDICT;
  }

  private static final class Holder {
    static final SystemdNamespace.Availability VERDICT = probe();
  }

  private static SystemdNamespace.Availability probe() {
    Optional<String> reason =
        notLinux()
            .or(AvailabilityProbe::notRoot)
            .or(AvailabilityProbe::missingProgram)
            .or(AvailabilityProbe::namespacesRefused)
            .or(AvailabilityProbe::cgroupsRefused);
    return reason
        .map(SystemdNamespace.Availability::unavailable)
        .orElse(SystemdNamespace.Availability.AVAILABLE);
  }

  private static Optional<String> notLinux() {
    String os = System.getProperty("os.name", "");
    return os.equals("Linux") ? Optional.empty() : Optional.of("needs Linux, this is " + os);
  }

  private static Optional<String> notRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String effective = line.split("\\s+")[2];
          return effective.equals("0")
              ? Optional.empty()
              : Optional.of(
                  "needs root to create namespaces and cgroups, effective uid is " + effective);
        }
      }
      return Optional.of("/proc/self/status has no Uid line");
    } catch (IOException e) {
      return Optional.of("cannot read /proc/self/status: " + e.getMessage());
    }
  }

  private static Optional<String> missingProgram() {
    if (!Files.isExecutable(SYSTEMD)) {
      return Optional.of(SYSTEMD + " is not installed (package systemd)");
    }
    List<Path> path =
        List.of(
                System.getenv()
                    .getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                    .split(File.pathSeparator))
            .stream()
            .map(Path::of)
            .toList();
    for (String tool : TOOLS) {
      if (path.stream().noneMatch(dir -> Files.isExecutable(dir.resolve(tool)))) {
        return Optional.of(tool + " is not on the PATH (util-linux, bsdutils, procps, mawk)");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> namespacesRefused() {
    try {
      ExecResult result = CommandRunner.run(UNSHARE_PROBE, UNSHARE_PROBE, Duration.ofSeconds(20));
      return result.succeeded()
          ? Optional.empty()
          : Optional.of(
              "the kernel refuses new pid, mount and cgroup namespaces: "
                  + String.join(" ", UNSHARE_PROBE)
                  + " exited with "
                  + result.exitCode()
                  + ": "
                  + result.stderr().strip());
    } catch (SystemdNamespaceException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static Optional<String> cgroupsRefused() {
    try {
      CgroupSandbox probe = CgroupSandbox.create("s3csi-testkit-probe-" + UUID.randomUUID());
      List<Path> left = probe.remove(Duration.ofSeconds(5));
      return left.isEmpty()
          ? Optional.empty()
          : Optional.of("cannot remove the probe cgroups " + left);
    } catch (IOException e) {
      return Optional.of("cannot create cgroups for systemd: " + e);
    }
  }
}
