package io.s3csi.launcher;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.mount.MountState;
import io.s3csi.systemd.ManagedMount;
import io.s3csi.systemd.SystemdMounter;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code s3csi list}: a table of the mounts {@code s3csi mount} made, with their state now. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Lists the mounts that 's3csi mount' made: bucket, prefix, directory, FUSE client, systemd"
          + " unit, state (mounted, or why it no longer serves) and start time (UTC).",
      "Exit codes: 0 listed (even if a mount is broken), 1 the state cannot be read."
    })
final class ListCommand implements Callable<Integer> {
  static final List<String> HEADER =
      List.of("BUCKET", "PREFIX", "DIRECTORY", "CLIENT", "UNIT", "STATE", "SINCE");

  @Spec CommandSpec spec;

  @Mixin BareHostOptions host;

  @Override
  public Integer call() {
    BareHost config = host.config();
    Logging.configure(java.util.logging.Level.WARNING);
    try (SystemdMounter mounter = config.systemdMounter()) {
      print(spec.commandLine().getOut(), mounter.list());
      return S3csi.EXIT_OK;
    } catch (DriverException e) {
      spec.commandLine().getErr().println("s3csi list: " + e.getMessage());
      return S3csi.EXIT_FAILURE;
    }
  }

  /** Prints the table, columns as wide as their widest cell, separated by two spaces. */
  static void print(PrintWriter out, List<ManagedMount> mounts) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (ManagedMount mount : mounts) {
      rows.add(
          List.of(
              mount.bucket(),
              mount.prefix().orElse("-"),
              mount.target().toString(),
              mount.client().id(),
              mount.unit(),
              state(mount),
              mount.since().truncatedTo(ChronoUnit.SECONDS).toString()));
    }
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  /** {@code mounted}, {@code mounted read-only}, {@code not mounted} or {@code broken: why}. */
  static String state(ManagedMount mount) {
    MountState state = mount.state();
    if (state instanceof MountState.Mounted m) {
      return m.readOnly() ? "mounted read-only" : "mounted";
    }
    if (state instanceof MountState.Corrupted c) {
      return "broken: " + c.reason();
    }
    return "not mounted (unit " + mount.unitState() + ")";
  }
}
