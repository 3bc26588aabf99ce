package io.s3csi.testkit.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.s3csi.testkit.junit.SystemdExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SystemdExtension.class)
class SystemdNamespaceIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void start_defaultUnits_systemdRunsAsPid1OfItsOwnNamespace(SystemdNamespace systemd)
      throws IOException {
    assertThat(systemd.isRunning()).isTrue();
    assertThat(nsPids(systemd.pid())).containsExactly(Long.toString(systemd.pid()), "1");
    assertThat(pidNamespace(systemd.pid()))
        .isNotEqualTo(pidNamespace(ProcessHandle.current().pid()));
    assertThat(systemd.exec(List.of("cat", "/proc/1/comm"), TIMEOUT).stdout())
        .isEqualTo("systemd\n");
    assertThat(systemd.systemctl("is-system-running").stdout()).isEqualTo("running\n");
    assertThat(systemd.hostView(systemd.privateSocket())).exists();
    assertThat(systemd.privateSocketAddress()).isEqualTo("unix:path=/run/systemd/private");
    assertThat(systemd.consoleOutput()).contains("Reached target s3csi-testkit.target");
  }

  @Test
  void systemctl_listUnits_showsTheFixtureTargetActive(SystemdNamespace systemd) {
    ExecResult units =
        systemd.systemctl("list-units", "--plain", "--no-legend", "--all").requireSuccess();

    assertThat(units.stdout())
        .containsPattern("(?m)^s3csi-testkit\\.target\\s+loaded\\s+active\\s+active\\s");
  }

  @Test
  void systemdRun_transientService_runsAndIsListed(SystemdNamespace systemd) {
    String unit = "it-sleep-" + shortId() + ".service";

    systemd
        .exec(
            List.of(
                "systemd-run", "--unit=" + unit, "-p", "Description=it sleeper", "sleep", "600"),
            TIMEOUT)
        .requireSuccess();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(systemd.systemctl("is-active", unit).stdout()).isEqualTo("active\n"));
    assertThat(systemd.systemctl("list-units", "--plain", "--no-legend", unit).stdout())
        .containsPattern(
            unit.replace(".", "\\.") + "\\s+loaded\\s+active\\s+running\\s+it sleeper");
    String mainPid = systemd.systemctl("show", "--value", "-p", "MainPID", unit).stdout().strip();
    assertThat(systemd.exec(List.of("cat", "/proc/" + mainPid + "/comm"), TIMEOUT).stdout())
        .isEqualTo("sleep\n");

    systemd.systemctl("stop", unit).requireSuccess();
    ExecResult stopped = systemd.systemctl("is-active", unit);
    assertThat(stopped.exitCode()).isEqualTo(3);
    assertThat(stopped.stdout()).isEqualTo("inactive\n");
  }

  @Test
  void tmpfsMountedByAUnit_isVisibleInsideButNotOnTheHost(
      SystemdNamespace systemd, @TempDir Path directory) throws IOException {
    Path mountpoint = Files.createDirectory(directory.resolve("mnt"));
    String source = "it-tmpfs-" + shortId();

    systemd
        .exec(
            List.of(
                "systemd-run",
                "--unit=it-mount-" + shortId(),
                "-p",
                "Type=oneshot",
                "-p",
                "RemainAfterExit=yes",
                "mount",
                "-t",
                "tmpfs",
                "-o",
                "size=1m",
                source,
                mountpoint.toString()),
            TIMEOUT)
        .requireSuccess();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        systemd
                            .exec(
                                List.of(
                                    "findmnt", "-n", "-o", "SOURCE,FSTYPE", mountpoint.toString()),
                                TIMEOUT)
                            .stdout())
                    .isEqualTo(source + " tmpfs\n"));
    systemd
        .exec(List.of("sh", "-c", "echo inside > " + mountpoint.resolve("marker")), TIMEOUT)
        .requireSuccess();

    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(source);
    assertThat(mountpoint.resolve("marker")).doesNotExist();
    assertThat(systemd.hostView(mountpoint.resolve("marker"))).hasContent("inside");
  }

  @Test
  void unitOutput_notRedirected_goesToTheConsole(SystemdNamespace systemd) {
    String marker = "it-marker-" + UUID.randomUUID();

    systemd
        .exec(List.of("systemd-run", "--unit=it-echo-" + shortId(), "echo", marker), TIMEOUT)
        .requireSuccess();

    await().atMost(TIMEOUT).until(() -> systemd.consoleOutput().contains(marker));
  }

  @Test
  void start_longLivedCommand_runsInsideAndDestroyEndsIt(SystemdNamespace systemd)
      throws Exception {
    Process sleeper = systemd.start(List.of("sleep", "604"));

    assertThat(nsPids(sleeper.pid())).hasSize(2).first().isEqualTo(Long.toString(sleeper.pid()));
    assertThat(pidNamespace(sleeper.pid())).isEqualTo(pidNamespace(systemd.pid()));
    assertThat(sleeper.toHandle().info().commandLine())
        .hasValueSatisfying(line -> assertThat(line).endsWith("sleep 604"));

    sleeper.destroy();

    assertThat(sleeper.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(sleeper.exitValue()).isEqualTo(128 + 15);
    assertThat(sleeper.toHandle().isAlive()).isFalse();
  }

  @Test
  void exec_commandOutlivesTimeout_isKilledAndReported(SystemdNamespace systemd)
      throws IOException {
    String namespace = pidNamespace(systemd.pid());

    assertThatThrownBy(() -> systemd.exec(List.of("sleep", "605"), Duration.ofMillis(300)))
        .isInstanceOf(SystemdNamespaceException.class)
        .hasMessageStartingWith("command [sleep, 605] did not finish within PT0.3S and was killed");

    await()
        .atMost(TIMEOUT)
        .until(() -> commandLinesIn(namespace).stream().noneMatch(c -> c.endsWith("/sleep 605")));
  }

  @Test
  void hostView_relativePath_isRejected(SystemdNamespace systemd) {
    assertThatThrownBy(() -> systemd.hostView(Path.of("run/systemd")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inside must be an absolute path, got 'run/systemd'");
  }

  @Test
  void close_withUnitsAndCommandsRunning_leavesNothingBehind() throws Exception {
    SystemdNamespace systemd =
        SystemdNamespace.builder()
            .unitFile(
                "it-hello.service",
                "[Service]\nExecStart=/bin/sh -c 'echo \"greeting: $IT_GREETING\"; exec /bin/sleep 602'\n")
            .environment("IT_GREETING", "hello world")
            .start();
    long pid = systemd.pid();
    String namespace = pidNamespace(pid);
    Path temporary = unitDirectory(pid).getParent();
    List<Path> cgroups = hostCgroupsOf(pid);
    systemd.systemctl("start", "it-hello.service").requireSuccess();
    Process sleeper = systemd.start(List.of("sleep", "603"));
    await()
        .atMost(TIMEOUT)
        .until(() -> systemd.consoleOutput().contains("greeting: hello world\n"));
    await()
        .atMost(TIMEOUT)
        .until(
            () -> commandLinesIn(namespace),
            lines -> lines.contains("/usr/bin/sleep 602") && lines.contains("/usr/bin/sleep 603"));
    assertThat(temporary).isDirectory();
    assertThat(cgroups).isNotEmpty().allSatisfy(cgroup -> assertThat(cgroup).isDirectory());

    systemd.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .isIn(Optional.empty(), Optional.of(false));
    assertThat(commandLinesIn(namespace)).isEmpty();
    assertThat(sleeper.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(temporary).doesNotExist();
    assertThat(cgroups).allSatisfy(cgroup -> assertThat(cgroup).doesNotExist());
    assertThat(systemd.consoleOutput())
        .contains("Received SIGRTMIN+3.")
        .contains("Stopped it-hello.service")
        .contains("Exiting container.");
    assertThat(systemd.isRunning()).isFalse();
    systemd.close(); // twice is fine
    assertThatThrownBy(() -> systemd.systemctl("status"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith(" is closed");
  }

  @Test
  void start_timeoutTooShortForSystemd_failsWithItsConsoleAndCleansUp() throws IOException {
    SystemdNamespace.Builder builder =
        SystemdNamespace.builder().startupTimeout(Duration.ofMillis(1));

    Throwable failure = catchThrowable(builder::start);

    assertThat(failure)
        .isInstanceOf(SystemdNamespaceException.class)
        .hasMessageMatching(
            "(?s)systemd (did not start|was not running) within PT0\\.001S.*"
                + "\n--- systemd console \\(s3csi-testkit-[0-9a-f]{12}\\) ---\n.*");
    String id = failure.getMessage().replaceFirst("(?s).*--- systemd console \\((.*?)\\).*", "$1");
    try (Stream<Path> cgroups = Files.walk(Path.of("/sys/fs/cgroup"), 4);
        Stream<Path> temporary = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(cgroups.filter(p -> p.getFileName().toString().equals(id))).isEmpty();
      assertThat(temporary.filter(p -> p.getFileName().toString().startsWith(id + "-"))).isEmpty();
    }
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** The pid of a process in each pid namespace from the host's down to its own. */
  private static List<String> nsPids(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(line -> line.startsWith("NSpid:"))
        .flatMap(line -> Stream.of(line.substring("NSpid:".length()).strip().split("\\s+")))
        .collect(Collectors.toList());
  }

  private static String pidNamespace(long pid) throws IOException {
    return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid")).toString();
  }

  /** The command lines of every process in the pid namespace {@code namespace}. */
  private static List<String> commandLinesIn(String namespace) {
    return ProcessHandle.allProcesses()
        .filter(p -> namespace.equals(pidNamespaceOrNull(p.pid())))
        .map(p -> p.info().commandLine().orElse("?"))
        .collect(Collectors.toList());
  }

  private static String pidNamespaceOrNull(long pid) {
    try {
      return pidNamespace(pid);
    } catch (IOException e) {
      return null;
    }
  }

  /** SYSTEMD_UNIT_PATH from systemd's environment. */
  private static Path unitDirectory(long pid) throws IOException {
    String environment = Files.readString(Path.of("/proc", Long.toString(pid), "environ"));
    return Stream.of(environment.split("\0"))
        .filter(variable -> variable.startsWith("SYSTEMD_UNIT_PATH="))
        .map(variable -> Path.of(variable.substring("SYSTEMD_UNIT_PATH=".length())))
        .findFirst()
        .orElseThrow();
  }

  /** The fixture's cgroup directories, found from the cgroups systemd is in. */
  private static List<Path> hostCgroupsOf(long pid) throws IOException {
    String name =
        Stream.of(Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")).split("[/\n]"))
            .filter(segment -> segment.startsWith("s3csi-testkit-"))
            .findFirst()
            .orElseThrow();
    try (Stream<Path> tree = Files.walk(Path.of("/sys/fs/cgroup"), 4)) {
      return tree.filter(
              path -> path.getFileName() != null && path.getFileName().toString().equals(name))
          .collect(Collectors.toList());
    }
  }
}
