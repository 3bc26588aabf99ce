package io.s3csi.launcher.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What {@code /proc} tells about a process. */
final class Procfs {
  private Procfs() {}

  /** {@code VmRSS} of {@code /proc/<pid>/status}, in KiB. */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the status of pid " + pid, e);
    }
    throw new IllegalStateException("no VmRSS in the status of pid " + pid);
  }

  /**
   * The CPU time a process has used so far, user and system, from fields 14 and 15 of {@code
   * /proc/<pid>/stat}, in nanoseconds. The kernel counts in clock ticks of 10 ms ({@code USER_HZ}
   * is 100 on Linux).
   */
  static long cpuNanos(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stat of pid " + pid, e);
    }
    // the command name (field 2) may hold spaces: count fields from the ')' that closes it
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 10_000_000L;
  }

  /** The number of threads of a process. */
  static long threads(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.substring(8).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the status of pid " + pid, e);
    }
    throw new IllegalStateException("no Threads in the status of pid " + pid);
  }

  /** The argument vector of a live process, or empty if it has exited. */
  static Optional<List<String>> cmdline(long pid) {
    try {
      String raw =
          Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
      if (raw.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(List.of(raw.split("\0")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
