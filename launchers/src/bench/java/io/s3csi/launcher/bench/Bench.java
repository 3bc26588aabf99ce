package io.s3csi.launcher.bench;

import io.s3csi.core.fuse.FuseClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs one benchmark and writes its Markdown table to stdout and to {@code
 * <bench.output>/<name>.md}. The Maven profile {@code bench} calls it after {@code package}:
 *
 * <pre>
 * ./mvnw -pl launchers -am -DskipTests -Dbench=time-to-mount verify
 * </pre>
 *
 * <p>Names: {@code jmh}, {@code time-to-mount}, {@code mount-storm}, {@code controller}, {@code
 * footprint}. Settings are system properties (the profile passes them on): {@code bench.reps},
 * {@code bench.volumes}, {@code bench.mounters}, {@code bench.clients}, {@code bench.javaOpts}.
 */
public final class Bench {
  /**
   * The JVM options the image sets (launchers/deploy/Dockerfile, the chart, the manifests), minus
   * the class-data sharing archive, which only the image builds; {@code MALLOC_ARENA_MAX=2} goes to
   * the environment. Chosen from the footprint benchmark. {@code -XX:-UsePerfData}: no hsperfdata
   * file, whose pid-named files would also collide between the systemd namespace and the host.
   */
  static final String IMAGE_JAVA_OPTS =
      "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms8m -Xmx64m -XX:MaxMetaspaceSize=64m"
          + " -XX:ReservedCodeCacheSize=16m -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=5"
          + " -XX:-UsePerfData -XX:TrimNativeHeapInterval=1000"
          + " -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled MALLOC_ARENA_MAX=2";

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || args[0].isBlank()) {
      System.err.println(
          "usage: Bench jmh|time-to-mount|mount-storm|controller|footprint (got "
              + Arrays.toString(args)
              + ")");
      System.exit(2);
    }
    String name = args[0].strip();
    // the embedded S3 server logs every start and stop through java.util.logging
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    Path work = Files.createTempDirectory("s3csi-bench-");
    String started = Instant.now().toString();
    String loadAtStart = loadAverage();
    String markdown =
        switch (name) {
          case "jmh" -> Micro.run().markdown();
          case "time-to-mount" ->
              new TimeToMount(work, intProperty("bench.reps", 20))
                  .run(listProperty("bench.mounters", "process,systemd"), clients());
          case "mount-storm" ->
              new MountStorm(work, intProperty("bench.volumes", 200))
                  .run(listProperty("bench.mounters", "process").get(0), clients().get(0));
          case "controller" ->
              new ControllerBench(work, intProperty("bench.reps", 100)).run().markdown();
          case "footprint" ->
              new Footprint(
                      work, intProperty("bench.startups", 5), intProperty("bench.volumes", 200))
                  .run(listProperty("bench.mounters", "systemd").get(0), clients().get(0))
                  .markdown();
          default ->
              throw new IllegalArgumentException(
                  "bench: unknown benchmark '"
                      + name
                      + "'; expected jmh, time-to-mount, mount-storm, controller or footprint");
        };
    String report =
        "## "
            + name
            + "\n\n"
            + machine(started, loadAtStart)
            + "\n\n"
            + markdown
            + (name.equals("jmh") ? "" : "\nDriver JVM options: `" + javaOptions() + "`\n");
    System.out.println();
    System.out.println(report);
    Path output = Path.of(System.getProperty("bench.output", "target/bench"));
    Files.createDirectories(output);
    Files.writeString(output.resolve(name + ".md"), report, StandardCharsets.UTF_8);
    System.out.println("written to " + output.resolve(name + ".md"));
    if (Boolean.getBoolean("bench.keep")) {
      System.out.println("kept " + work + " (bench.keep): the drivers' logs are under it");
    } else {
      removeIfNothingMounted(work);
    }
    System.exit(0); // the embedded S3 server and gRPC leave non-daemon threads behind
  }

  /**
   * Removes the work directory, unless the kernel still lists a mount under it: deleting through a
   * live FUSE mount would delete objects in S3.
   */
  private static void removeIfNothingMounted(Path work) throws IOException {
    boolean mounted =
        Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
            .anyMatch(line -> line.contains(" " + work + "/"));
    if (mounted) {
      System.out.println("kept " + work + ": something is still mounted under it");
      return;
    }
    try (var paths = Files.walk(work)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The driver's JAVA_OPTS: {@code bench.javaOpts}, or what the image uses. */
  static String javaOptions() {
    String options = System.getProperty("bench.javaOpts", "");
    return options.isBlank() ? IMAGE_JAVA_OPTS : options;
  }

  static int intProperty(String name, int defaultValue) {
    String value = System.getProperty(name, "");
    if (value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": must be a number, got '" + value + "'", e);
    }
  }

  static List<String> listProperty(String name, String defaultValue) {
    String value = System.getProperty(name, "");
    return Arrays.stream((value.isBlank() ? defaultValue : value).split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  static List<FuseClient> clients() {
    return listProperty("bench.clients", "s3fs,rclone").stream()
        .map(c -> FuseClient.parse("bench.clients", c))
        .toList();
  }

  static void progress(String format, Object... args) {
    System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
  }

  /** One line on the machine and its load: the numbers mean little without it. */
  static String machine(String started, String loadAtStart) throws IOException {
    String cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).strip())
            .findFirst()
            .orElse("unknown CPU");
    long memKib =
        Files.readAllLines(Path.of("/proc/meminfo")).stream()
            .filter(l -> l.startsWith("MemTotal:"))
            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
            .findFirst()
            .orElse(0L);
    return String.format(
        Locale.ROOT,
        "Started %s on %d x %s, %d MiB RAM, Linux %s, Java %s; load average at start: %s, at"
            + " end: %s",
        started,
        Runtime.getRuntime().availableProcessors(),
        cpu,
        memKib / 1024,
        System.getProperty("os.version"),
        System.getProperty("java.vm.version"),
        loadAtStart,
        loadAverage());
  }

  /** The 1, 5 and 15 minute load averages, from {@code /proc/loadavg}. */
  static String loadAverage() throws IOException {
    String load = Files.readString(Path.of("/proc/loadavg")).strip();
    return Arrays.stream(load.split(" ")).limit(3).collect(Collectors.joining(" "));
  }
}
