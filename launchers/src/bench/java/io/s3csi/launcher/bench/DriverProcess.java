package io.s3csi.launcher.bench;

import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.Endpoint;
import io.s3csi.grpc.csi.v1.ProbeRequest;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The packaged launcher, {@code target/s3csi driver ...}, as a separate process: on the host, or
 * inside a {@link SystemdNamespace} for the systemd mounter. {@link #start} returns once a CSI
 * Probe through the socket has answered ready, and records how long that took from process start.
 */
final class DriverProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(120);
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Process process;
  private final Path errors;
  private final CsiClient csi;
  private final Endpoint endpoint;
  private final long timeToReadyNanos;
  private final long cpuToReadyNanos;

  private DriverProcess(
      Process process,
      Path errors,
      Endpoint endpoint,
      CsiClient csi,
      long timeToReadyNanos,
      long cpuToReadyNanos) {
    this.endpoint = endpoint;
    this.process = process;
    this.errors = errors;
    this.csi = csi;
    this.timeToReadyNanos = timeToReadyNanos;
    this.cpuToReadyNanos = cpuToReadyNanos;
  }

  /**
   * Starts {@code s3csi driver --endpoint unix://<socket> <flags>} with {@code JAVA_OPTS} set to
   * {@code javaOptions} (words of the form {@code NAME=value} are set as environment variables
   * instead), and waits for its first ready Probe.
   */
  static DriverProcess start(
      Optional<SystemdNamespace> namespace,
      String javaOptions,
      Path socket,
      Path logs,
      List<String> flags)
      throws IOException {
    Files.createDirectories(logs);
    Files.deleteIfExists(socket);
    List<String> command = new ArrayList<>();
    command.add(script().toString());
    command.add("driver");
    command.add("--endpoint");
    command.add("unix://" + socket);
    command.addAll(flags);
    int run = RUNS.incrementAndGet();
    Path out = logs.resolve("driver-" + run + ".out");
    Path err = logs.resolve("driver-" + run + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    // NAME=value words are environment variables for the JVM (MALLOC_ARENA_MAX=2), the rest
    // JVM options
    List<String> jvm = new ArrayList<>();
    for (String word : javaOptions.trim().split("\\s+")) {
      if (word.matches("[A-Z_]+=.*")) {
        builder
            .environment()
            .put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
      } else if (!word.isEmpty()) {
        jvm.add(word);
      }
    }
    builder.environment().put("JAVA_OPTS", String.join(" ", jvm));
    Endpoint endpoint = new Endpoint(socket);
    long started = System.nanoTime();
    Process process = namespace.isPresent() ? namespace.get().start(builder) : builder.start();
    long deadline = started + READY_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the driver exited before it was ready:\n" + read(err));
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the driver was not ready in " + READY_TIMEOUT);
      }
      if (Files.exists(socket)) {
        // a fresh client per attempt: a failed first connect would put a channel into back-off
        CsiClient csi = CsiClient.connect(endpoint, CALL_DEADLINE);
        try {
          if (csi.identity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue()) {
            long ready = System.nanoTime() - started;
            return new DriverProcess(
                process, err, endpoint, csi, ready, Procfs.cpuNanos(process.pid()));
          }
        } catch (RuntimeException e) {
          // not serving yet
        }
        csi.close();
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** The launcher script built by {@code package}. */
  static Path script() {
    Path script = Path.of(System.getProperty("s3csi.script", "target/s3csi")).toAbsolutePath();
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException(
          script + " is missing: build it with ./mvnw -pl launchers -am package -DskipTests");
    }
    return script;
  }

  CsiClient csi() {
    return csi;
  }

  /** Opens another connection to the driver, as another CSI sidecar would; close it. */
  CsiClient connect() {
    return CsiClient.connect(endpoint, CALL_DEADLINE);
  }

  long timeToReadyNanos() {
    return timeToReadyNanos;
  }

  /**
   * The CPU time the driver had used when it first answered ready (10 ms resolution): unlike the
   * time to ready, it barely depends on what else runs on the machine.
   */
  long cpuToReadyNanos() {
    return cpuToReadyNanos;
  }

  long pid() {
    return process.pid();
  }

  /** The resident set of the driver's JVM, from {@code VmRSS} in {@code /proc/<pid>/status}. */
  long rssKib() {
    return Procfs.rssKib(process.pid());
  }

  /**
   * The durations the driver logged for its successful calls of a method ({@code
   * method=csi.v1.Node/NodePublishVolume status=OK duration_ms=N}): the server's side of the RPC.
   */
  Samples loggedDurations(String method) {
    Samples samples = new Samples();
    String prefix = "method=" + method + " status=OK duration_ms=";
    for (String line : errors().split("\n")) {
      int at = line.indexOf(prefix);
      if (at >= 0) {
        String rest = line.substring(at + prefix.length());
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
          end++;
        }
        samples.add(
            java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Long.parseLong(rest, 0, end, 10)));
      }
    }
    return samples;
  }

  String errors() {
    return read(errors);
  }

  /** SIGTERM, then waits for the drain; SIGKILL if it does not end. */
  @Override
  public void close() {
    csi.close();
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
