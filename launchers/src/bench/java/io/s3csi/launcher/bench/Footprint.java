package io.s3csi.launcher.bench;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Footprint and start-up of the node plugin under JVM levers applied one on top of the other: for
 * each, the time from process start to the first ready Probe and the idle VmRSS (medians over
 * {@code bench.startups} starts), then VmRSS after {@code bench.volumes} volumes published at once.
 * The class-data sharing lever uses an archive trained the way the image trains it: the driver
 * started with {@code -XX:ArchiveClassesAtExit} and stopped with SIGTERM.
 */
final class Footprint {
  /**
   * How long the driver settles before VmRSS is read: past the JVM's first release of its pooled
   * native arena chunks (every 5 s) and a native heap trim after it.
   */
  private static final long IDLE_SETTLE_NANOS = 10_000_000_000L;

  private final Path work;
  private final int startups;
  private final int volumes;

  Footprint(Path work, int startups, int volumes) {
    this.work = work;
    this.startups = startups;
    this.volumes = volumes;
  }

  /** A lever: a name and the JVM options with it and every lever above it. */
  record Lever(String name, String javaOptions) {}

  Table run(String mounter, FuseClient client) throws Exception {
    Table table =
        new Table(
            "lever (cumulative)",
            "JAVA_OPTS",
            "time to ready median ms",
            "time to ready p90 ms",
            "CPU to ready median ms",
            "idle VmRSS MiB",
            "VmRSS after " + volumes + " mounts MiB",
            "publish errors");
    Optional<SystemdNamespace> namespace = NodePlugin.namespaceFor(mounter);
    try (EmbeddedS3Server s3 = EmbeddedS3Server.builder().start()) {
      Path archive = work.resolve("s3csi.jsa");
      String before = Bench.IMAGE_JAVA_OPTS;
      for (Lever lever : levers(archive)) {
        if (lever.javaOptions().contains("SharedArchiveFile") && !Files.exists(archive)) {
          train(namespace, before, mounter, client, s3, archive);
        }
        measure(namespace, mounter, client, s3, lever, table);
        before = lever.javaOptions();
      }
    } finally {
      namespace.ifPresent(SystemdNamespace::close);
    }
    return table;
  }

  /**
   * The levers, each adding to the one before; {@code bench.levers} replaces them ("name=opts;").
   */
  static List<Lever> levers(Path archive) {
    String custom = System.getProperty("bench.levers", "");
    List<Lever> levers = new ArrayList<>();
    if (!custom.isBlank()) {
      for (String entry : custom.split(";")) {
        String[] parts = entry.split("=", 2);
        levers.add(
            new Lever(parts[0].strip(), parts[1].strip().replace("@ARCHIVE@", archive.toString())));
      }
      return levers;
    }
    String options = "-XX:-UsePerfData";
    levers.add(new Lever("JVM defaults (G1, heap 1/4 of RAM)", options));
    options += " -XX:+UseSerialGC";
    levers.add(new Lever("+ Serial GC", options));
    options += " -XX:TieredStopAtLevel=1";
    levers.add(new Lever("+ C1 only", options));
    options += " -Xss512k";
    levers.add(new Lever("+ 512 KiB thread stacks (launcher script default)", options));
    options += " -Xms8m -Xmx64m";
    levers.add(new Lever("+ heap 8-64 MiB", options));
    options += " -XX:MaxMetaspaceSize=64m";
    levers.add(new Lever("+ metaspace cap 64 MiB", options));
    options += " -XX:ReservedCodeCacheSize=16m";
    levers.add(new Lever("+ code cache 16 MiB", options));
    levers.add(
        new Lever(
            "(aside: the line above without the JDK's CDS archive)", options + " -Xshare:off"));
    options += " MALLOC_ARENA_MAX=2";
    levers.add(new Lever("+ 2 glibc malloc arenas (environment)", options));
    options += " -XX:SharedArchiveFile=" + archive;
    levers.add(new Lever("+ AppCDS archive", options));
    options += " -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=5";
    levers.add(new Lever("+ heap shrinks after GC (free ratio 5-20%)", options));
    options += " -XX:TrimNativeHeapInterval=1000";
    levers.add(new Lever("+ native heap trimmed every second", options));
    options += " -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled";
    levers.add(new Lever("+ unpooled Netty buffers", options));
    return levers;
  }

  private void measure(
      Optional<SystemdNamespace> namespace,
      String mounter,
      FuseClient client,
      EmbeddedS3Server s3,
      Lever lever,
      Table table)
      throws Exception {
    Samples ready = new Samples();
    Samples cpu = new Samples();
    Samples idle = new Samples();
    for (int i = 0; i < startups; i++) {
      Path dir = Files.createDirectories(work.resolve("footprint-" + System.nanoTime()));
      try (DriverProcess driver =
          NodePlugin.start(namespace, lever.javaOptions(), dir, mounter, client, s3)) {
        ready.add(driver.timeToReadyNanos());
        cpu.add(driver.cpuToReadyNanos());
        LockSupport.parkNanos(IDLE_SETTLE_NANOS);
        idle.add(driver.rssKib() * 1024);
      }
    }
    Path dir = Files.createDirectories(work.resolve("footprint-" + System.nanoTime()));
    long mountedRss;
    Storm.Wave published;
    try (DriverProcess driver =
        NodePlugin.start(namespace, lever.javaOptions(), dir, mounter, client, s3)) {
      List<Storm.Volume> storm =
          Storm.volumes(
              s3, dir.resolve("kubelet"), "fp" + Math.abs(dir.hashCode() % 100000), volumes);
      published = Storm.publish(driver, s3, storm);
      LockSupport.parkNanos(IDLE_SETTLE_NANOS);
      mountedRss = driver.rssKib();
      Storm.unpublish(driver, storm);
    }
    table.row(
        lever.name(),
        "`" + lever.javaOptions().replace(work.toString(), "…") + "`",
        ready.medianMs(),
        ready.percentileMs(90),
        String.format(Locale.ROOT, "%.0f", cpu.median() / 1e6),
        idle.median() / 1024 / 1024,
        mountedRss / 1024,
        published.errorSummary());
    Bench.progress(
        "footprint %s: ready %s ms (CPU %s ms), idle %d MiB, after mounts %d MiB",
        lever.name(),
        ready.medianMs(),
        cpu.medianMs(),
        idle.median() / 1024 / 1024,
        mountedRss / 1024);
  }

  /** Trains the archive as the image does (start, first Probe, SIGTERM) with the options before. */
  private void train(
      Optional<SystemdNamespace> namespace,
      String javaOptions,
      String mounter,
      FuseClient client,
      EmbeddedS3Server s3,
      Path archive)
      throws Exception {
    Path dir = Files.createDirectories(work.resolve("train"));
    try (DriverProcess driver =
        NodePlugin.start(
            namespace,
            javaOptions + " -XX:ArchiveClassesAtExit=" + archive,
            dir,
            mounter,
            client,
            s3)) {
      Bench.progress("training the CDS archive (pid %d)", driver.pid());
    }
    if (!Files.exists(archive)) {
      throw new IllegalStateException("the training run wrote no CDS archive at " + archive);
    }
  }
}
