package io.s3csi.testkit.systemd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The processes, cgroups and files behind one {@link SystemdNamespace}: launching systemd through
 * {@code launch.sh} and {@code init.sh}, waiting until it runs, entering it, and tearing it down.
 */
final class NamespaceProcesses {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration STATE_QUERY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration LAUNCHER_EXIT = Duration.ofSeconds(10);
  private static final Duration KILL_EXIT = Duration.ofSeconds(10);
  private static final Duration CGROUP_RELEASE = Duration.ofSeconds(10);
  private static final Duration CHILD_APPEARS = Duration.ofSeconds(10);
  private static final String HOST_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final String id;
  private final Path directory;
  private final CgroupSandbox cgroups;
  private final Process launcher;
  private final ConsoleCapture console;
  private volatile ProcessHandle systemd;

  private NamespaceProcesses(
      String id, Path directory, CgroupSandbox cgroups, Process launcher, ConsoleCapture console) {
    this.id = id;
    this.directory = directory;
    this.cgroups = cgroups;
    this.launcher = launcher;
    this.console = console;
  }

  /** Starts systemd and waits until {@code systemctl is-system-running} says {@code running}. */
  static NamespaceProcesses launch(Map<String, String> unitFiles, Duration startupTimeout) {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String id = "s3csi-testkit-" + HexFormat.of().formatHex(random);
    Path directory = null;
    CgroupSandbox cgroups = null;
    Process launcher;
    try {
      directory =
          Files.createTempDirectory(
              id + "-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path units = UnitDirectory.write(directory.resolve("units"), unitFiles);
      Path launch = copyScript("launch.sh", directory);
      Path init = copyScript("init.sh", directory);
      cgroups = CgroupSandbox.create(id);
      List<String> command = new ArrayList<>(List.of("/bin/sh", launch.toString()));
      cgroups.directories().forEach(d -> command.add(d.toString()));
      ProcessBuilder builder =
          new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
      Map<String, String> environment = builder.environment();
      environment.clear();
      environment.put("PATH", HOST_PATH);
      environment.put("SHELL", "/bin/sh"); // script(1) runs its command with $SHELL -c
      environment.put("S3CSI_INIT", init.toString());
      environment.put("S3CSI_UNITS", units.toString());
      environment.put("S3CSI_TARGET", UnitDirectory.TARGET);
      launcher = builder.start();
    } catch (IOException | RuntimeException e) {
      if (cgroups != null) {
        cgroups.remove(CGROUP_RELEASE);
      }
      deleteTree(directory);
      throw new SystemdNamespaceException("cannot launch systemd: " + e.getMessage(), e);
    }
    NamespaceProcesses processes =
        new NamespaceProcesses(
            id, directory, cgroups, launcher, ConsoleCapture.start(launcher.getInputStream(), id));
    try {
      processes.awaitRunning(startupTimeout);
      return processes;
    } catch (RuntimeException e) {
      RuntimeException cleanup = null;
      try {
        processes.stop(KILL_EXIT); // also lets the console drain, for the message below
      } catch (RuntimeException stopFailure) {
        cleanup = stopFailure;
      }
      SystemdNamespaceException failure = processes.withConsole(e.getMessage(), e);
      if (cleanup != null) {
        failure.addSuppressed(cleanup);
      }
      throw failure;
    }
  }

  String id() {
    return id;
  }

  ProcessHandle systemd() {
    return systemd;
  }

  String console() {
    return console.text();
  }

  /**
   * The command line that runs {@code command} inside the namespace, in {@code workingDirectory} (a
   * path inside; null for {@code /}), and kills it if its nsenter dies.
   */
  List<String> inside(List<String> command, Path workingDirectory) {
    List<String> line =
        new ArrayList<>(
            List.of(
                "nsenter",
                "--target",
                Long.toString(systemd.pid()),
                "--mount",
                "--pid",
                "--",
                "setpriv",
                "--pdeathsig",
                "KILL",
                "--"));
    if (workingDirectory != null) {
      // nsenter --wd would open the directory in the host's mount namespace
      line.addAll(
          List.of("/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", workingDirectory.toString()));
    }
    line.addAll(command);
    return line;
  }

  /** Starts {@code command} with the environment, redirects and directory of {@code template}. */
  Process start(ProcessBuilder template, List<String> command) throws IOException {
    Path workingDirectory = template.directory() == null ? null : template.directory().toPath();
    ProcessBuilder builder =
        new ProcessBuilder(inside(command, workingDirectory))
            .redirectInput(template.redirectInput())
            .redirectOutput(template.redirectOutput())
            .redirectError(template.redirectError())
            .redirectErrorStream(template.redirectErrorStream());
    builder.environment().clear();
    builder.environment().putAll(template.environment());
    Process nsenter = builder.start();
    long deadline = System.nanoTime() + CHILD_APPEARS.toNanos();
    while (true) {
      Optional<ProcessHandle> child = nsenter.children().findFirst();
      if (child.isPresent()) {
        return new NamespacedProcess(nsenter, child.get());
      }
      if (!nsenter.isAlive() || System.nanoTime() > deadline) {
        return new NamespacedProcess(nsenter, nsenter.toHandle()); // it exited at once, or hangs
      }
      awaitExit(nsenter.onExit(), POLL); // a pause that ends early if nsenter exits
    }
  }

  /**
   * SIGRTMIN+3, then SIGKILL after {@code stopTimeout}; closes the launcher's input (its watchdog
   * kills whatever is left), removes the cgroups and files.
   *
   * @throws SystemdNamespaceException if cgroups or files are left behind
   */
  void stop(Duration stopTimeout) {
    ProcessHandle init = systemd;
    if (init != null && init.isAlive()) {
      PidNamespaces.stopVisitors(init, stopTimeout);
      List<String> halt = List.of("kill", "-s", "RTMIN+3", Long.toString(init.pid()));
      CommandRunner.run(halt, halt, KILL_EXIT);
      // The launcher is this JVM's child, so its exit is seen at once (systemd's only by polling);
      // it exits as soon as systemd has.
      if (!awaitExit(launcher.onExit(), stopTimeout)) {
        init.destroyForcibly();
      }
    }
    try {
      launcher.getOutputStream().close();
    } catch (IOException e) {
      // already closed
    }
    if (!awaitExit(launcher.onExit(), LAUNCHER_EXIT)) {
      CommandRunner.killTree(launcher);
      awaitExit(launcher.onExit(), KILL_EXIT);
    }
    console.awaitEnd(KILL_EXIT);
    List<String> problems = new ArrayList<>();
    List<Path> leftCgroups = cgroups.remove(CGROUP_RELEASE);
    if (!leftCgroups.isEmpty()) {
      problems.add("cgroups still hold processes: " + leftCgroups);
    }
    if (!deleteTree(directory)) {
      problems.add("cannot delete " + directory);
    }
    if (!problems.isEmpty()) {
      throw withConsole(id + " left things behind: " + String.join("; ", problems), null);
    }
  }

  private void awaitRunning(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    systemd = awaitNamespaceInit(deadline, timeout);
    String state = "not started";
    while (true) {
      if (!systemd.isAlive()) {
        throw failure("systemd exited during startup");
      }
      if (Files.exists(hostPath(SystemdNamespace.PRIVATE_SOCKET))) {
        List<String> query = List.of("systemctl", "is-system-running");
        ExecResult result = CommandRunner.run(query, inside(query, null), STATE_QUERY_TIMEOUT);
        state = (result.stdout() + result.stderr()).strip();
        if (state.equals("running")) {
          return;
        }
        if (state.equals("degraded")) {
          List<String> failed = List.of("systemctl", "--no-pager", "--failed");
          throw failure(
              "systemd started degraded:\n"
                  + CommandRunner.run(failed, inside(failed, null), STATE_QUERY_TIMEOUT).stdout());
        }
      }
      if (System.nanoTime() > deadline) {
        throw failure("systemd was not running within " + timeout + " (last state: " + state + ")");
      }
      awaitExit(launcher.onExit(), POLL); // a pause that ends early if the launcher dies
    }
  }

  /** The launcher's descendant that is pid 1 of a new pid namespace: systemd, or about to be. */
  private ProcessHandle awaitNamespaceInit(long deadline, Duration timeout) {
    while (true) {
      Optional<ProcessHandle> init =
          launcher.descendants().filter(PidNamespaces::isInit).findFirst();
      if (init.isPresent()) {
        return init.get();
      }
      if (!launcher.isAlive()) {
        throw failure("the launcher exited with " + launcher.exitValue() + " before systemd ran");
      }
      if (System.nanoTime() > deadline) {
        throw failure("systemd did not start within " + timeout);
      }
      awaitExit(launcher.onExit(), POLL); // a pause that ends early if the launcher dies
    }
  }

  /** {@code inside} (absolute) as seen from the host, through {@code /proc/<pid>/root}. */
  Path hostPath(Path inside) {
    return Path.of("/proc", Long.toString(systemd.pid()), "root")
        .resolve(Path.of("/").relativize(inside));
  }

  /** A startup failure; {@link #launch} adds the console once systemd is gone. */
  private static SystemdNamespaceException failure(String message) {
    return new SystemdNamespaceException(message);
  }

  private SystemdNamespaceException withConsole(String message, Throwable cause) {
    return new SystemdNamespaceException(
        message + "\n--- systemd console (" + id + ") ---\n" + console.text(), cause);
  }

  private static Path copyScript(String name, Path directory) throws IOException {
    Path target = directory.resolve(name);
    try (InputStream script = NamespaceProcesses.class.getResourceAsStream(name)) {
      if (script == null) {
        throw new IOException("resource " + name + " is missing from the testkit jar");
      }
      Files.copy(script, target);
    }
    return target;
  }

  private static boolean deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return true;
    }
    try (Stream<Path> tree = Files.walk(root)) {
      for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits between two looks at something that sends no notice (other processes, cgroups). */
  static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SystemdNamespaceException("interrupted while waiting for systemd", e);
    }
  }

  private static boolean awaitExit(CompletableFuture<?> exit, Duration timeout) {
    try {
      exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SystemdNamespaceException("interrupted while waiting for systemd", e);
    }
  }
}
