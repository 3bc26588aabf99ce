package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.health.MountSweeper;
import io.s3csi.core.health.SweepListener;
import io.s3csi.core.health.SweepReport;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.core.node.VolumeLocks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A {@link SystemdMounter} driven through standard input, for {@code SystemdMounterIT}: systemd
 * only answers clients inside its pid namespace, so the IT runs this class there in its own JVM.
 *
 * <p>Arguments: the private root and the D-Bus address. Each input line is a tab-separated command;
 * each answer is one line, {@code OK<tab>text} or {@code ERR<tab>KIND<tab>message}, with line
 * breaks in the text written as {@code \n}:
 *
 * <ul>
 *   <li>{@code mount client volumeId target endpoint bucket prefix readOnly keyId secret}
 *   <li>{@code state target}, {@code unmount target}, {@code list}, {@code recover}
 *   <li>{@code umount target}: unmounts behind the mounter's back, as an administrator might
 *   <li>{@code sweep}: one {@link MountSweeper} pass with no grace period; one line per finding,
 *       {@code KIND ACTION target-or-key}
 * </ul>
 */
public final class MounterHarness {
  private MounterHarness() {}

  /**
   * Runs commands until standard input ends.
   *
   * @param args the private root and the D-Bus address
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    SystemdMounter mounter =
        SystemdMounter.builder(new PrivateDirectories(Path.of(args[0])))
            .address(args[1])
            .stopTimeout(Duration.ofSeconds(5))
            .build();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    out.println("OK\tready");
    String line;
    while ((line = in.readLine()) != null) {
      String[] f = line.split("\t", -1);
      try {
        out.println("OK\t" + escape(run(mounter, f)));
      } catch (DriverException e) {
        out.println("ERR\t" + e.kind() + "\t" + escape(e.getMessage()));
      }
    }
    mounter.close();
  }

  private static String run(SystemdMounter mounter, String[] f) {
    switch (f[0]) {
      case "mount" -> {
        FuseClient client = FuseClient.parse("client", f[1]);
        mounter.mount(
            Specs.spec(
                client,
                f[2],
                Path.of(f[3]),
                URI.create(f[4]),
                f[5],
                f[6].isEmpty() ? Optional.empty() : Optional.of(f[6]),
                Boolean.parseBoolean(f[7]),
                Specs.keys(f[8], f[9])));
        return "mounted";
      }
      case "state" -> {
        return mounter.state(Path.of(f[1])).toString();
      }
      case "unmount" -> {
        mounter.unmount(Path.of(f[1]));
        return "unmounted";
      }
      case "list" -> {
        return mounter.list().stream().map(Object::toString).collect(Collectors.joining("\n"));
      }
      case "recover" -> {
        return mounter.recover().stream().map(Object::toString).collect(Collectors.joining("\n"));
      }
      case "umount" -> {
        KernelMounts.system().unmount(Path.of(f[1]));
        return "unmounted behind the back";
      }
      case "sweep" -> {
        SweepReport report =
            new MountSweeper(
                    mounter,
                    new VolumeLocks(),
                    SweepListener.NONE,
                    Clock.systemUTC(),
                    Duration.ZERO)
                .sweep();
        return report.failure().orElse("")
            + report.findings().stream()
                .map(
                    finding ->
                        finding.kind()
                            + " "
                            + finding.action()
                            + " "
                            + finding.target().map(Path::toString).orElse(finding.key()))
                .collect(Collectors.joining("\n"));
      }
      default -> throw new IllegalArgumentException("unknown command " + f[0]);
    }
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
