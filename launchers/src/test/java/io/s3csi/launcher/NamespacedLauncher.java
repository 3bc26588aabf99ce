package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.testkit.systemd.SystemdNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged launcher, {@code target/s3csi}, run inside a {@link SystemdNamespace}: systemd only
 * answers clients in its pid namespace, and the mounts its units make are only visible there.
 * Output goes to files in a directory the test owns, so a long-running command never blocks on a
 * full pipe.
 */
final class NamespacedLauncher {
  /**
   * The launcher's JVM options: small, and without hsperfdata, whose file names are pids that the
   * namespace shares with the host in the common /tmp.
   */
  static final String JAVA_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData";

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final SystemdNamespace systemd;
  private final Path script;
  private final Path logs;

  NamespacedLauncher(SystemdNamespace systemd, Path logs) {
    this.systemd = systemd;
    this.script = Path.of(System.getProperty("s3csi.script", "target/s3csi")).toAbsolutePath();
    this.logs = logs;
    assertThat(script).isExecutable();
  }

  /** What a finished command did. */
  record Result(int exitCode, String out, String err) {}

  /** A command that runs, with the files its output goes to. */
  record Running(Process process, Path out, Path err) {
    String output() {
      return read(out);
    }

    String errors() {
      return read(err);
    }
  }

  /**
   * Runs {@code s3csi <args>} and waits for it.
   *
   * @param environment variables added to the JVM's environment
   * @param args the command line after {@code s3csi}
   */
  Result run(Map<String, String> environment, String... args) throws InterruptedException {
    Running running = start(environment, args);
    if (!running.process().waitFor(120, TimeUnit.SECONDS)) {
      running.process().destroyForcibly();
      throw new AssertionError("s3csi " + List.of(args) + " did not end:\n" + running.errors());
    }
    return new Result(running.process().exitValue(), running.output(), running.errors());
  }

  /**
   * Starts {@code s3csi <args>} and returns at once.
   *
   * @param environment variables added to the JVM's environment
   * @param args the command line after {@code s3csi}
   */
  Running start(Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    int run = RUNS.incrementAndGet();
    Path out = logs.resolve(run + "-" + args[0] + ".out");
    Path err = logs.resolve(run + "-" + args[0] + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().put("JAVA_OPTS", JAVA_OPTS);
    builder.environment().putAll(environment);
    return new Running(systemd.start(builder), out, err);
  }

  /** Returns the mount table of the namespace. */
  String mountinfo() {
    return read(Path.of("/proc", Long.toString(systemd.pid()), "mountinfo"));
  }

  /** Runs a command inside the namespace and returns its standard output; it must succeed. */
  String exec(String... command) {
    return systemd.exec(List.of(command), Duration.ofSeconds(30)).requireSuccess().stdout();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
