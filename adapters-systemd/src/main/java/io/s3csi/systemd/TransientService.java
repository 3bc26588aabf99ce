package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.MountSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/**
 * The transient service that runs one FUSE client: what {@code StartTransientUnit} is given.
 *
 * <ul>
 *   <li>{@code Type=exec}: the start job finishes once the client's program is executed, and fails
 *       if it cannot be.
 *   <li>{@code ExecStart}: the client in the foreground, with its absolute path; {@code
 *       ExecStopPost}: a shell that appends {@code s3csi: <client> stopped: <result>, <code>
 *       <status>} to the log, so that a client that exits is explained even after systemd has
 *       collected its unit.
 *   <li>{@code Environment}: exactly the command's environment (no secret; see {@link
 *       #requireNoSecret}); {@code WorkingDirectory}: the mount's private directory.
 *   <li>{@code StandardOutput} and {@code StandardError} appended to a log file in the private
 *       directory, which the mounter quotes when the client fails. It works with or without a
 *       journal.
 *   <li>{@code CollectMode=inactive-or-failed}: an ended unit disappears, so its name is free for
 *       the next mount of the same target. {@code Restart=no}.
 *   <li>{@code KillMode=mixed}, {@code TimeoutStopSec}: stopping sends SIGTERM to the client only
 *       (the mounter has normally unmounted already, so it exits cleanly), then SIGKILL to whatever
 *       is left in the unit after the stop timeout.
 * </ul>
 *
 * <p>systemd substitutes {@code $NAME} and {@code ${NAME}} in command lines when it runs them;
 * {@link #properties()} escapes every {@code $} as {@code $$}, so arguments arrive as given.
 *
 * @param name the unit name
 * @param description the unit description
 * @param argv the client's argument vector; {@code argv[0]} is the absolute path of its program
 * @param environment the client's whole environment
 * @param workingDirectory the client's working directory
 * @param logFile the file its standard output and error are appended to
 * @param shell the absolute path of {@code sh}, which writes the stop note
 * @param stopTimeout how long the client may take to exit after SIGTERM
 */
record TransientService(
    String name,
    String description,
    List<String> argv,
    Map<String, String> environment,
    Path workingDirectory,
    Path logFile,
    Path shell,
    Duration stopTimeout) {

  /** How systemd collects the unit once it has ended. */
  static final String COLLECT_MODE = "inactive-or-failed";

  /** How systemd stops the unit. */
  static final String KILL_MODE = "mixed";

  /** The shell script of {@code ExecStopPost}; {@code $0} is the client's name. */
  static final String STOP_NOTE =
      "echo \"s3csi: $0 stopped: ${SERVICE_RESULT:-?}, ${EXIT_CODE:-?} ${EXIT_STATUS:-?}\"";

  /** Checks and copies. */
  TransientService {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    argv = List.copyOf(argv);
    environment = Map.copyOf(new TreeMap<>(environment));
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(logFile, "logFile");
    Objects.requireNonNull(shell, "shell");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    if (argv.isEmpty() || !Path.of(argv.get(0)).isAbsolute()) {
      throw new IllegalArgumentException("argv[0] must be an absolute program path: " + argv);
    }
    if (!shell.isAbsolute() || !logFile.isAbsolute() || !workingDirectory.isAbsolute()) {
      throw new IllegalArgumentException("shell, logFile and workingDirectory must be absolute");
    }
  }

  /**
   * Returns the service that runs a mount's client.
   *
   * @param spec the mount
   * @param unit the unit name
   * @param command the client's command, with its private directory
   * @param programs where the client's program and {@code sh} are looked up
   * @param stopTimeout how long the client may take to exit after SIGTERM
   * @return the service
   * @throws DriverException {@code FAILED_PRECONDITION} if the client is not installed
   */
  static TransientService forMount(
      MountSpec spec,
      String unit,
      FuseCommand command,
      ProgramResolver programs,
      Duration stopTimeout) {
    List<String> argv = new ArrayList<>(command.argv());
    argv.set(0, programs.resolve(command.program()).toString());
    Path directory = command.privateDirectory();
    return new TransientService(
        unit,
        description(spec),
        argv,
        command.environment(),
        directory,
        directory.resolve(ClientLog.FILE_NAME),
        programs.resolve("sh"),
        stopTimeout);
  }

  /** {@code s3csi: s3fs mount of bucket/prefix/ at /target (volume v, read-only)}. */
  static String description(MountSpec spec) {
    String text =
        "s3csi: "
            + spec.client().id()
            + " mount of "
            + spec.source()
            + " at "
            + spec.target()
            + " (volume "
            + spec.volumeId()
            + (spec.readOnly() ? ", read-only)" : ")");
    return text.replaceAll("\\p{Cntrl}", "?");
  }

  /** Returns the client's program name, such as {@code s3fs}. */
  String program() {
    return Path.of(argv.get(0)).getFileName().toString();
  }

  /**
   * Checks that no property carries a secret: unit properties are world-readable ({@code systemctl
   * show}), so a secret there is a bug in a command builder, and the unit is not started.
   *
   * @param redactor the mount's secrets
   * @throws DriverException {@code INTERNAL} naming the property (never the value)
   */
  void requireNoSecret(SecretRedactor redactor) {
    for (Map.Entry<String, List<String>> property : texts().entrySet()) {
      for (String text : property.getValue()) {
        if (!redactor.redact(text).equals(text)) {
          throw DriverException.internal(
              "refusing to start unit "
                  + name
                  + ": its "
                  + property.getKey()
                  + " would show a secret to every user of the host; the "
                  + program()
                  + " command builder must put secrets in private files",
              null);
        }
      }
    }
  }

  /** Returns the unit's properties as {@code StartTransientUnit} takes them. */
  List<SystemdManager.Property> properties() {
    List<SystemdManager.Property> properties = new ArrayList<>();
    properties.add(property("Description", new Variant<>(description)));
    properties.add(property("Type", new Variant<>("exec")));
    properties.add(property("ExecStart", exec(argv)));
    properties.add(
        property("ExecStopPost", exec(List.of(shell.toString(), "-c", STOP_NOTE, program()))));
    List<String> env =
        new TreeMap<>(environment)
            .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    properties.add(property("Environment", new Variant<>(env, "as")));
    properties.add(property("WorkingDirectory", new Variant<>(workingDirectory.toString())));
    properties.add(property("StandardInput", new Variant<>("null")));
    properties.add(property("StandardOutputFileToAppend", new Variant<>(logFile.toString())));
    properties.add(property("StandardErrorFileToAppend", new Variant<>(logFile.toString())));
    properties.add(property("CollectMode", new Variant<>(COLLECT_MODE)));
    properties.add(property("KillMode", new Variant<>(KILL_MODE)));
    properties.add(property("Restart", new Variant<>("no")));
    properties.add(
        property("TimeoutStopUSec", new Variant<>(new UInt64(stopTimeout.toNanos() / 1000))));
    return List.copyOf(properties);
  }

  /** Every text that ends up in the unit, by property name. */
  private Map<String, List<String>> texts() {
    Map<String, List<String>> texts = new TreeMap<>();
    texts.put("Description", List.of(description));
    texts.put("ExecStart", argv);
    texts.put(
        "Environment",
        new TreeMap<>(environment)
            .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    texts.put("WorkingDirectory", List.of(workingDirectory.toString()));
    texts.put("StandardOutput", List.of(logFile.toString()));
    return texts;
  }

  private static Variant<?> exec(List<String> argv) {
    List<String> escaped = argv.stream().map(arg -> arg.replace("$", "$$")).toList();
    return new Variant<>(
        List.of(new SystemdManager.ExecCommand(argv.get(0), escaped, false)), "a(sasb)");
  }

  private static SystemdManager.Property property(String name, Variant<?> value) {
    return new SystemdManager.Property(name, value);
  }
}
