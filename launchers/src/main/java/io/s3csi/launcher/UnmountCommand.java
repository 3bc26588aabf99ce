package io.s3csi.launcher;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.mount.MountEntry;
import io.s3csi.core.mount.MountTable;
import io.s3csi.systemd.ManagedMount;
import io.s3csi.systemd.SystemdMounter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code s3csi unmount}: unmounts what {@code s3csi mount} mounted at a directory and stops its
 * unit. Anything else mounted there is left alone.
 */
@Command(
    name = "unmount",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Unmounts the bucket that 's3csi mount' mounted at DIR, stops its unit and removes its"
          + " private files. A mount that 's3csi mount' did not make is refused.",
      "Exit codes: 0 unmounted, 1 nothing to unmount or the unmount failed, 2 bad command line."
    })
final class UnmountCommand implements Callable<Integer> {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The directory to unmount.")
  String directory;

  @Mixin BareHostOptions host;

  @Override
  public Integer call() throws IOException {
    BareHost config = host.config();
    Path target = target();
    Logging.configure(java.util.logging.Level.WARNING);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (SystemdMounter mounter = config.systemdMounter()) {
      Optional<ManagedMount> managed = mounter.managed(target);
      if (managed.isEmpty()) {
        err.println("s3csi unmount: " + refusal(target));
        return S3csi.EXIT_FAILURE;
      }
      mounter.unmount(target);
      ManagedMount mount = managed.get();
      out.println(
          "unmounted "
              + mount.bucket()
              + "/"
              + mount.prefix().orElse("")
              + " from "
              + target
              + " (unit "
              + mount.unit()
              + " stopped)");
      return S3csi.EXIT_OK;
    } catch (DriverException e) {
      err.println("s3csi unmount: " + e.getMessage());
      return S3csi.EXIT_FAILURE;
    }
  }

  /** Why nothing is done at a target that {@code s3csi mount} has no record of. */
  private static String refusal(Path target) throws IOException {
    Optional<MountEntry> entry =
        MountTable.parse(Files.readString(MOUNTINFO, StandardCharsets.UTF_8)).at(target);
    if (entry.isEmpty()) {
      return "nothing is mounted at " + target + " by 's3csi mount'";
    }
    return target
        + " has a "
        + entry.get().fsType()
        + " mount of '"
        + entry.get().source()
        + "' that 's3csi mount' did not make; it was left alone (unmount it with umount(8) or"
        + " with the tool that made it)";
  }

  private Path target() {
    try {
      return Path.of(directory).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ParameterException(
          spec.commandLine(), "DIR: is not a valid path: " + e.getReason());
    }
  }
}
