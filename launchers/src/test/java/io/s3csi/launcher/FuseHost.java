package io.s3csi.launcher;

import io.s3csi.core.fuse.FuseClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What the ITs check of this host's FUSE side: whether a client can run here at all, the client
 * processes serving a target and the mounts under a directory, read from {@code /proc}.
 */
final class FuseHost {
  private FuseHost() {}

  /** Skips the test unless the kernel offers FUSE and the client is installed in /usr/bin. */
  static void assumeRunnable(FuseClient client) {
    Optional<String> why =
        !Files.exists(Path.of("/dev/fuse"))
            ? Optional.of("/dev/fuse is missing")
            : !Files.isExecutable(Path.of("/usr/bin", client.id()))
                ? Optional.of(client.id() + " is not installed in /usr/bin")
                : Optional.empty();
    Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
  }

  /** Pids of live processes whose command line names the target: the FUSE client. */
  static List<Long> clientProcesses(Path target) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> cmdline(p.pid()).contains(target.toString()))
        .map(ProcessHandle::pid)
        .toList();
  }

  private static String cmdline(long pid) {
    try {
      return Files.readString(
              Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return ""; // exited meanwhile
    }
  }

  /** This JVM's mountinfo lines of the mounts below a directory. */
  static List<String> mountsUnder(Path dir) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(line -> line.contains(" " + dir + "/"))
        .toList();
  }
}
