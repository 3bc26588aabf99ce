package io.s3csi.launcher;

import io.s3csi.core.fuse.FuseClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the demo needs from the host before it starts anything: root, {@code /dev/fuse} and the FUSE
 * client's program. Each missing piece is reported with the way to get it.
 */
final class Preflight {
  private final Path procSelfStatus;
  private final Path devFuse;
  private final String searchPath;

  /**
   * Creates a preflight over explicit host files (tests pass their own).
   *
   * @param procSelfStatus {@code /proc/self/status}, whose {@code Uid:} line gives the uid
   * @param devFuse {@code /dev/fuse}
   * @param searchPath the {@code PATH} programs are looked up in
   */
  Preflight(Path procSelfStatus, Path devFuse, String searchPath) {
    this.procSelfStatus = Objects.requireNonNull(procSelfStatus, "procSelfStatus");
    this.devFuse = Objects.requireNonNull(devFuse, "devFuse");
    this.searchPath = searchPath == null ? "" : searchPath;
  }

  /** Returns the preflight of this host and process. */
  static Preflight ofHost() {
    return new Preflight(Path.of("/proc/self/status"), Path.of("/dev/fuse"), System.getenv("PATH"));
  }

  /**
   * Checks everything the demo needs for a client.
   *
   * @param client the FUSE client the demo will mount with
   * @return the client's program
   * @throws IllegalStateException listing, on one line, everything missing and how to get it
   */
  Path check(FuseClient client) {
    List<String> problems = new ArrayList<>();
    long uid = effectiveUid();
    if (uid < 0) {
      problems.add("cannot tell whether this runs as root: " + procSelfStatus + " has no Uid line");
    } else if (uid != 0) {
      problems.add(
          "not running as root (uid "
              + uid
              + "); FUSE mounts need root: run it with sudo, or as root in a container started"
              + " with --privileged");
    }
    if (!Files.exists(devFuse)) {
      problems.add(
          devFuse
              + " is missing: load the FUSE kernel module (modprobe fuse), or start the container"
              + " with --device /dev/fuse");
    }
    Optional<Path> program = find(client.id());
    if (program.isEmpty()) {
      problems.add(client.id() + " is not installed: " + installHint(client));
    }
    if (client == FuseClient.RCLONE
        && find("fusermount3").isEmpty()
        && find("fusermount").isEmpty()) {
      problems.add(
          "fusermount3 is not installed (rclone mounts through it): apt-get install fuse3");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "this host is not ready for the demo: " + String.join("; ", problems));
    }
    return program.orElseThrow();
  }

  /**
   * Finds an executable on the search path.
   *
   * @param program a bare program name
   * @return its path, if some directory of the search path has it
   */
  Optional<Path> find(String program) {
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      try {
        Path candidate = Path.of(dir, program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      } catch (InvalidPathException e) {
        // a malformed PATH entry holds no program
      }
    }
    return Optional.empty();
  }

  /** Returns the effective uid from the {@code Uid:} line, or -1 when it cannot be read. */
  long effectiveUid() {
    try {
      for (String line : Files.readAllLines(procSelfStatus)) {
        if (line.startsWith("Uid:")) {
          // Uid: real effective saved filesystem
          return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static String installHint(FuseClient client) {
    return switch (client) {
      case S3FS -> "apt-get install s3fs (Debian, Ubuntu) or dnf install s3fs-fuse (Fedora)";
      case RCLONE -> "apt-get install rclone (Debian, Ubuntu), or see https://rclone.org/install/";
      case MOUNT_S3 ->
          "see https://github.com/awslabs/mountpoint-s3#installing-mountpoint-for-amazon-s3";
    };
  }
}
