package io.s3csi.testkit.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What the host's {@code /proc} tells about the pid namespace of a {@link SystemdNamespace}. */
final class PidNamespaces {
  private PidNamespaces() {}

  /** Whether {@code process} is pid 1 of a pid namespace below this JVM's: systemd, or soon. */
  static boolean isInit(ProcessHandle process) {
    try {
      for (String line : Files.readAllLines(proc(process.pid()).resolve("status"))) {
        if (line.startsWith("NSpid:")) {
          String[] pids = line.substring("NSpid:".length()).strip().split("\\s+");
          return pids.length > 1 && pids[pids.length - 1].equals("1");
        }
      }
    } catch (IOException e) {
      // it exited meanwhile
    }
    return false;
  }

  /**
   * Ends the processes that nsenter put into the namespace of {@code init} and that still run.
   * Their parent is outside, so when they die systemd-shutdown gets no SIGCHLD and would sleep for
   * most of its 90 s timeout before it notices. SIGTERM first, so that a JVM inside can shut down
   * cleanly (and still reach systemd), SIGKILL for what is left after {@code timeout}.
   */
  static void stopVisitors(ProcessHandle init, Duration timeout) {
    String namespace = of(init.pid());
    if (namespace.isEmpty()) {
      return; // systemd is gone, and the kernel has ended its namespace
    }
    List<ProcessHandle> visitors =
        ProcessHandle.allProcesses()
            .filter(p -> p.pid() != init.pid() && namespace.equals(of(p.pid())))
            .filter(p -> p.parent().map(up -> !namespace.equals(of(up.pid()))).orElse(false))
            .toList();
    visitors.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (visitors.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      // not onExit(): for a process that is not our child it polls, ever more slowly
      NamespaceProcesses.pause();
    }
    visitors.forEach(ProcessHandle::destroyForcibly);
  }

  /** The pid namespace of a process ({@code pid:[inode]}), or "" if it is gone. */
  static String of(long pid) {
    try {
      return Files.readSymbolicLink(proc(pid).resolve("ns/pid")).toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static Path proc(long pid) {
    return Path.of("/proc", Long.toString(pid));
  }
}
