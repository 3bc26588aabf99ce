package io.s3csi.testkit.systemd;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A real systemd running as pid 1 of a private pid, mount and cgroup namespace, for tests that need
 * systemd on a machine whose own pid 1 is something else (a container, a CI runner).
 *
 * <pre>{@code
 * try (SystemdNamespace systemd = SystemdNamespace.start(Duration.ofSeconds(60))) {
 *   systemd.exec(List.of("systemd-run", "--unit=hello", "sleep", "600"), Duration.ofSeconds(30))
 *       .requireSuccess();
 *   assertThat(systemd.systemctl("is-active", "hello").stdout()).isEqualTo("active\n");
 * }
 * }</pre>
 *
 * <p>What a test can rely on:
 *
 * <ul>
 *   <li>systemd's API is peer-to-peer D-Bus (no {@code Hello}, no bus names) on {@link
 *       #privateSocket()}. systemd drops connections from processes outside its pid namespace, so a
 *       client must run inside: {@link #exec exec}, {@link #start(List) start} and {@link
 *       #systemctl systemctl} run commands there through {@code nsenter}. {@code busctl} cannot be
 *       used (it always says Hello); {@code systemd-run --wait} and {@code --pipe} cannot either
 *       (they need a bus daemon).
 *   <li>Units see only the unit files of this fixture and those added with {@link
 *       Builder#unitFile}; transient units ({@code systemd-run}, {@code systemd-mount}, D-Bus
 *       {@code StartTransientUnit}) work. Mounts made inside (by units or by commands) stay in the
 *       namespace: the host does not see them, except through {@link #hostView(Path)}. The rest of
 *       the file system ({@code /tmp}, {@code /dev/fuse}...) is the host's; {@code /run} is
 *       private.
 *   <li>There is no journal. systemd's log and, unless a unit says otherwise ({@code
 *       StandardOutput=append:/some/file}), its units' output go to the console, kept by {@link
 *       #consoleOutput()}.
 *   <li>{@link #close()} stops every unit, ends the namespace and waits until no process of it is
 *       left, then removes its cgroups and temporary files. The JVM's exit does the same; if the
 *       JVM is killed (SIGKILL), the namespace's processes still die, but a few empty cgroup
 *       directories and a temporary directory stay.
 * </ul>
 *
 * <p>Needs root, {@code /lib/systemd/systemd}, util-linux tools and a kernel that allows the
 * namespaces; {@link #availability()} says whether this machine qualifies and why not.
 */
public final class SystemdNamespace implements AutoCloseable {
  /** Where systemd listens for peer-to-peer D-Bus connections, inside the namespace. */
  public static final Path PRIVATE_SOCKET = Path.of("/run/systemd/private");

  private static final Duration SYSTEMCTL_TIMEOUT = Duration.ofSeconds(30);

  private final NamespaceProcesses processes;
  private final Duration stopTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  private SystemdNamespace(NamespaceProcesses processes, Duration stopTimeout) {
    this.processes = processes;
    this.stopTimeout = stopTimeout;
    this.shutdownHook = new Thread(this::closeAtExit, processes.id() + "-shutdown");
  }

  /**
   * Starts systemd with the fixture's own units only and waits until it is running.
   *
   * @param startupTimeout how long to wait for systemd to report {@code running}
   * @return the running namespace; close it
   * @throws SystemdNamespaceException if this machine cannot run it ({@link #availability()}), or
   *     systemd did not become ready in time; the message holds systemd's console output
   */
  public static SystemdNamespace start(Duration startupTimeout) {
    return builder().startupTimeout(startupTimeout).start();
  }

  /**
   * A builder for a namespace with extra unit files or manager environment.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether this machine can run a {@code SystemdNamespace}: Linux, root, {@code
   * /lib/systemd/systemd} and the util-linux tools installed, a kernel that allows new pid, mount
   * and cgroup namespaces, and writable cgroups. Probed once per JVM (it runs {@code unshare} and
   * creates and removes a cgroup); systemd need not be pid 1 of the machine.
   *
   * @return the verdict, with the reason when unavailable
   */
  public static Availability availability() {
    return AvailabilityProbe.get();
  }

  /**
   * The pid of systemd as the host sees it (systemd sees itself as pid 1).
   *
   * @return the host pid
   */
  public long pid() {
    return processes.systemd().pid();
  }

  /**
   * The path of systemd's private D-Bus socket inside the namespace.
   *
   * @return {@code /run/systemd/private}
   */
  public Path privateSocket() {
    return PRIVATE_SOCKET;
  }

  /**
   * The D-Bus address of {@link #privateSocket()}, for a client running inside the namespace
   * (peer-to-peer: no {@code Hello}, no destination).
   *
   * @return {@code unix:path=/run/systemd/private}
   */
  public String privateSocketAddress() {
    return "unix:path=" + PRIVATE_SOCKET;
  }

  /**
   * Where a path of the namespace appears on the host: under {@code /proc/<pid>/root}, which also
   * shows mounts that only exist inside. Absolute symbolic links met on the way resolve against the
   * host's root, not the namespace's. Valid while the namespace runs.
   *
   * @param inside an absolute path as the namespace sees it
   * @return the same file seen from the host
   * @throws IllegalArgumentException if {@code inside} is not absolute
   */
  public Path hostView(Path inside) {
    Objects.requireNonNull(inside, "inside");
    if (!inside.isAbsolute()) {
      throw new IllegalArgumentException("inside must be an absolute path, got '" + inside + "'");
    }
    return processes.hostPath(inside);
  }

  /**
   * Runs a command inside the namespace (its pid and mount namespaces, working directory {@code /},
   * the JVM's environment) and waits for it.
   *
   * @param command the program and its arguments
   * @param timeout how long to wait; then the command is killed
   * @return its exit code and outputs; a non-zero exit code is not an error here (see {@link
   *     ExecResult#requireSuccess()})
   * @throws IllegalArgumentException if {@code command} is empty
   * @throws IllegalStateException if the namespace is closed
   * @throws SystemdNamespaceException if the command does not finish within {@code timeout}
   */
  public ExecResult exec(List<String> command, Duration timeout) {
    List<String> checked = checkCommand(command);
    Objects.requireNonNull(timeout, "timeout");
    requireOpen();
    return CommandRunner.run(checked, processes.inside(checked, null), timeout);
  }

  /**
   * Runs {@code systemctl --no-pager <args>} inside the namespace, waiting up to 30 seconds.
   *
   * @param args the systemctl arguments, such as {@code "show", "-p", "ActiveState", "x.service"}
   * @return its exit code and outputs (systemctl uses exit codes for states: {@code is-active}
   *     exits with 3 for an inactive unit)
   * @throws IllegalStateException if the namespace is closed
   */
  public ExecResult systemctl(String... args) {
    List<String> command = new ArrayList<>(List.of("systemctl", "--no-pager"));
    command.addAll(List.of(args));
    return exec(command, SYSTEMCTL_TIMEOUT);
  }

  /**
   * Starts a long-lived command inside the namespace, such as a JVM that must talk to systemd.
   *
   * @param command the program and its arguments
   * @return the running command; see {@link #start(ProcessBuilder)}
   * @throws IllegalArgumentException if {@code command} is empty
   * @throws IllegalStateException if the namespace is closed
   */
  public Process start(List<String> command) {
    return start(new ProcessBuilder(checkCommand(command)));
  }

  /**
   * Starts the command of {@code builder} inside the namespace, with the builder's environment and
   * redirects. Its {@link ProcessBuilder#directory() directory} is taken as a path inside the
   * namespace (default {@code /}).
   *
   * <p>The returned process's streams and exit status are those of the command; {@link
   * Process#pid()} is its host pid; {@link Process#destroy()} sends it SIGTERM and {@link
   * Process#destroyForcibly()} SIGKILL. It dies at the latest when the namespace is closed.
   *
   * @param builder the command to run
   * @return the running command
   * @throws IllegalArgumentException if the builder's command is empty
   * @throws IllegalStateException if the namespace is closed
   * @throws SystemdNamespaceException if it cannot be started
   */
  public Process start(ProcessBuilder builder) {
    List<String> command = checkCommand(builder.command());
    requireOpen();
    try {
      return processes.start(builder, command);
    } catch (IOException e) {
      throw new SystemdNamespaceException("cannot start " + command + ": " + e.getMessage(), e);
    }
  }

  /**
   * systemd's console so far: its log and the output of units that do not redirect it. The last
   * megabyte (in characters) is kept.
   *
   * @return the console text, newline-separated
   */
  public String consoleOutput() {
    return processes.console();
  }

  /**
   * Whether systemd is still running and {@link #close()} has not been called.
   *
   * @return true while usable
   */
  public boolean isRunning() {
    return !closed.get() && processes.systemd().isAlive();
  }

  /**
   * Stops systemd: SIGRTMIN+3 (it stops all units, then exits, and the kernel ends every process
   * left in the namespace), SIGKILL if it has not exited within the builder's stop timeout. Then
   * removes its cgroups and temporary files. Calling it again does nothing.
   *
   * @throws SystemdNamespaceException if something of the namespace is left behind
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is exiting and runs the hook anyway
    }
    processes.stop(stopTimeout);
  }

  @Override
  public String toString() {
    return "SystemdNamespace[" + processes.id() + ", pid=" + pid() + "]";
  }

  private void closeAtExit() {
    if (closed.compareAndSet(false, true)) {
      try {
        processes.stop(stopTimeout);
      } catch (RuntimeException e) {
        // the JVM is exiting: nobody is left to tell
      }
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private static List<String> checkCommand(List<String> command) {
    Objects.requireNonNull(command, "command");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must name a program, got an empty list");
    }
    return List.copyOf(command);
  }

  /**
   * Whether this machine can run a {@link SystemdNamespace}.
   *
   * @param available true if it can
   * @param reason why it cannot (empty when it can)
   */
  public record Availability(boolean available, String reason) {
    static final Availability AVAILABLE = new Availability(true, "");

    /** Validates: an unavailable verdict has a reason, an available one none. */
    public Availability {
      Objects.requireNonNull(reason, "reason");
      if (available != reason.isEmpty()) {
        throw new IllegalArgumentException(
            "reason must be empty exactly when available, got available="
                + available
                + " and reason '"
                + reason
                + "'");
      }
    }

    static Availability unavailable(String reason) {
      return new Availability(false, reason);
    }
  }

  /** Configures and starts a {@link SystemdNamespace}. Not thread-safe. */
  public static final class Builder {
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> unitFiles = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Adds a unit file to systemd's only unit directory; start it with {@code systemctl start}.
     *
     * @param name the unit name, such as {@code hello.service}
     * @param content the unit file text
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is not a unit name or is one of the
     *     fixture's own units ({@code sysinit.target}, {@code halt.target}...)
     */
    public Builder unitFile(String name, String content) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(content, "content");
      UnitDirectory.checkExtraUnitName(name);
      unitFiles.put(name, content);
      return this;
    }

    /**
     * Sets a variable in systemd's manager environment ({@code systemctl set-environment}), which
     * every unit started afterwards inherits.
     *
     * @param name the variable name
     * @param value its value, on one line
     * @return this builder
     * @throws IllegalArgumentException if the name is not a shell variable name or the value holds
     *     a newline or NUL
     */
    public Builder environment(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!ENVIRONMENT_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "environment name must match " + ENVIRONMENT_NAME + ", got '" + name + "'");
      }
      if (value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "environment value of " + name + " must not contain a newline or NUL");
      }
      environment.put(name, value);
      return this;
    }

    /**
     * How long {@link #start()} waits for systemd to report {@code running}; default 60 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder startupTimeout(Duration timeout) {
      startupTimeout = positive(timeout, "startupTimeout");
      return this;
    }

    /**
     * How long {@link SystemdNamespace#close()} lets units stop before it kills the namespace;
     * default 30 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder stopTimeout(Duration timeout) {
      stopTimeout = positive(timeout, "stopTimeout");
      return this;
    }

    /**
     * Starts systemd and waits until it is running and the environment is set.
     *
     * @return the running namespace; close it
     * @throws SystemdNamespaceException if this machine cannot run it ({@link
     *     SystemdNamespace#availability()}), or it did not become ready in time; the message holds
     *     systemd's console output
     */
    public SystemdNamespace start() {
      Availability availability = availability();
      if (!availability.available()) {
        throw new SystemdNamespaceException(
            "cannot run systemd in a private namespace here: " + availability.reason());
      }
      NamespaceProcesses processes = NamespaceProcesses.launch(unitFiles, startupTimeout);
      SystemdNamespace namespace = new SystemdNamespace(processes, stopTimeout);
      try {
        for (Map.Entry<String, String> variable : environment.entrySet()) {
          namespace
              .systemctl("set-environment", variable.getKey() + "=" + variable.getValue())
              .requireSuccess();
        }
        Runtime.getRuntime().addShutdownHook(namespace.shutdownHook);
        return namespace;
      } catch (RuntimeException e) {
        try {
          namespace.close();
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
        throw e;
      }
    }

    private static Duration positive(Duration timeout, String name) {
      Objects.requireNonNull(timeout, name);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + timeout);
      }
      return timeout;
    }
  }
}
