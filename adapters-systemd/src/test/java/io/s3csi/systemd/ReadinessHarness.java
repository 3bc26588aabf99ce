package io.s3csi.systemd;

import io.s3csi.core.identity.ReadinessCheck;
import io.s3csi.core.mount.PrivateDirectories;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs {@link SystemdMounter#readinessCheck} once per D-Bus address given as an argument, for
 * {@code SystemdReadinessIT}: systemd only answers clients inside its pid namespace, so the IT runs
 * this class there. Prints one line per address: {@code READY} or {@code NOT_READY<tab>reason}.
 */
public final class ReadinessHarness {
  private ReadinessHarness() {}

  /**
   * Checks each address.
   *
   * @param args the private root, then the D-Bus addresses
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    for (int i = 1; i < args.length; i++) {
      try (SystemdMounter mounter =
          SystemdMounter.builder(new PrivateDirectories(Path.of(args[0])))
              .address(args[i])
              .build()) {
        ReadinessCheck check = mounter.readinessCheck(Duration.ofSeconds(10));
        out.println(
            check
                .notReadyReason()
                .map(reason -> "NOT_READY\t" + reason.replace('\n', ' '))
                .orElse("READY"));
      }
    }
  }
}
