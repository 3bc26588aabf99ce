package io.s3csi.launcher.bench;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import io.s3csi.testkit.systemd.ExecResult;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Time-to-mount: from NodePublish sent on the unix socket until the mount serves a read, against
 * the same FUSE client started by hand (same argv, environment and files, same bucket) until it
 * serves a read. Driver and hand runs alternate, so background load hits both alike.
 */
final class TimeToMount {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  private static final String CONTENT = "time-to-mount probe";

  private final Path work;
  private final int reps;

  TimeToMount(Path work, int reps) {
    this.work = work;
    this.reps = reps;
  }

  String run(List<String> mounters, List<FuseClient> clients) throws Exception {
    Table table =
        new Table(
            "mounter",
            "client",
            "runs",
            "driver median ms",
            "driver p90 ms",
            "by hand median ms",
            "by hand p90 ms",
            "ratio median",
            "ratio p90",
            "NodePublish RPC median ms",
            "same argv as by hand");
    Optional<Table> systemdCost = Optional.empty();
    try (EmbeddedS3Server s3 = EmbeddedS3Server.builder().start()) {
      for (String mounter : mounters) {
        Optional<SystemdNamespace> namespace =
            mounter.equals("systemd")
                ? Optional.of(SystemdNamespace.start(Duration.ofSeconds(60)))
                : Optional.empty();
        try {
          for (FuseClient client : clients) {
            measure(s3, namespace, mounter, client, table);
          }
          if (namespace.isPresent()) {
            systemdCost = Optional.of(systemdCost(namespace.get()));
          }
        } finally {
          namespace.ifPresent(SystemdNamespace::close);
        }
      }
    }
    return table.markdown()
        + systemdCost
            .map(
                cost ->
                    "\nWhat systemd itself costs, timed by a shell inside the same systemd"
                        + " namespace (not through the driver):\n\n"
                        + cost.markdown())
            .orElse("");
  }

  /**
   * Times, inside the namespace, what starting a unit costs systemd: {@code systemd-run} of a
   * {@code Type=exec} unit returns once systemd has started it and the program was executed; {@code
   * systemctl --version} is the same kind of tool starting without asking systemd anything.
   */
  private Table systemdCost(SystemdNamespace namespace) {
    String script =
        "for i in $(seq 1 "
            + reps
            + "); do"
            + " a=$(date +%s%N); /bin/true; b=$(date +%s%N); echo true $((b-a));"
            + " a=$(date +%s%N); systemctl --version >/dev/null; b=$(date +%s%N);"
            + " echo version $((b-a));"
            + " a=$(date +%s%N); systemd-run -q --collect -p Type=exec /bin/true; b=$(date +%s%N);"
            + " echo run $((b-a));"
            + " done";
    ExecResult result = namespace.exec(List.of("sh", "-c", script), Duration.ofMinutes(2));
    if (result.exitCode() != 0) {
      throw new IllegalStateException("timing systemd-run failed: " + result);
    }
    Map<String, Samples> samples = new LinkedHashMap<>();
    for (String line : result.stdout().split("\n")) {
      String[] words = line.strip().split(" ");
      if (words.length == 2) {
        samples.computeIfAbsent(words[0], k -> new Samples()).add(Long.parseLong(words[1]));
      }
    }
    Table cost = new Table("command", "runs", "median ms", "p90 ms");
    row(cost, "/bin/true", samples.get("true"));
    row(cost, "systemctl --version (a systemd tool starting)", samples.get("version"));
    row(
        cost,
        "systemd-run -p Type=exec /bin/true (a transient unit started and executed)",
        samples.get("run"));
    return cost;
  }

  private static void row(Table table, String command, Samples samples) {
    table.row(command, samples.count(), samples.medianMs(), samples.percentileMs(90));
  }

  private void measure(
      EmbeddedS3Server s3,
      Optional<SystemdNamespace> namespace,
      String mounter,
      FuseClient client,
      Table table)
      throws Exception {
    String bucket = "ttm-" + mounter + "-" + client.id();
    s3.createBucket(bucket);
    s3.putObject(bucket, "probe.txt", CONTENT.getBytes(StandardCharsets.UTF_8));
    Path dir = Files.createDirectories(work.resolve("ttm-" + mounter + "-" + client.id()));
    Path kubelet = dir.resolve("kubelet");
    PrivateDirectories hand = new PrivateDirectories(dir.resolve("hand"));
    Samples driverSamples = new Samples();
    Samples rpcSamples = new Samples();
    Samples handSamples = new Samples();
    String sameArgv = "?";
    try (DriverProcess driver =
        NodePlugin.start(namespace, Bench.javaOptions(), dir, mounter, client, s3)) {
      // one unmeasured round each: the first mount pays for class loading and page cache
      sameArgv = sameArgv(s3, driver, namespace, client, bucket, kubelet, dir, hand);
      driverRound(s3, driver, namespace, bucket, kubelet, new Samples(), new Samples());
      handRound(s3, client, bucket, kubelet, hand, new Samples());
      for (int i = 0; i < reps; i++) {
        if (i % 2 == 0) {
          driverRound(s3, driver, namespace, bucket, kubelet, driverSamples, rpcSamples);
          handRound(s3, client, bucket, kubelet, hand, handSamples);
        } else {
          handRound(s3, client, bucket, kubelet, hand, handSamples);
          driverRound(s3, driver, namespace, bucket, kubelet, driverSamples, rpcSamples);
        }
      }
    }
    table.row(
        mounter,
        client.id(),
        reps,
        driverSamples.medianMs(),
        driverSamples.percentileMs(90),
        handSamples.medianMs(),
        handSamples.percentileMs(90),
        Samples.ratio(driverSamples.median(), handSamples.median()),
        Samples.ratio(driverSamples.percentile(90), handSamples.percentile(90)),
        rpcSamples.medianMs(),
        sameArgv);
    Bench.progress(
        "time-to-mount %s %s: driver %s ms, by hand %s ms (medians of %d)",
        mounter, client.id(), driverSamples.medianMs(), handSamples.medianMs(), reps);
  }

  private static void driverRound(
      EmbeddedS3Server s3,
      DriverProcess driver,
      Optional<SystemdNamespace> namespace,
      String bucket,
      Path kubelet,
      Samples total,
      Samples rpc)
      throws IOException {
    Path target = target(kubelet);
    Path seen = namespace.map(n -> n.hostView(target)).orElse(target);
    long start = System.nanoTime();
    driver.csi().node().nodePublishVolume(Requests.publish(s3, bucket, bucket, target, Map.of()));
    long published = System.nanoTime();
    long served = Reads.awaitContent(seen.resolve("probe.txt"), CONTENT, READ_TIMEOUT, () -> true);
    total.add(served - start);
    rpc.add(published - start);
    driver.csi().node().nodeUnpublishVolume(Requests.unpublish(bucket, target));
  }

  private static void handRound(
      EmbeddedS3Server s3,
      FuseClient client,
      String bucket,
      Path kubelet,
      PrivateDirectories privateDirectories,
      Samples total)
      throws Exception {
    Path target = target(kubelet);
    Files.createDirectories(target);
    FuseCommand command = HandMount.command(s3, client, bucket, target, privateDirectories);
    long start = System.nanoTime();
    try (HandMount mount = HandMount.start(command, target, privateDirectories)) {
      long served =
          Reads.awaitContent(target.resolve("probe.txt"), CONTENT, READ_TIMEOUT, mount::isAlive);
      total.add(served - start);
    }
    Files.deleteIfExists(target);
  }

  /**
   * Mounts once through the driver and compares its client's argv with the hand-built one, the
   * target and private directory masked: "yes" shows the comparison is like for like.
   */
  private static String sameArgv(
      EmbeddedS3Server s3,
      DriverProcess driver,
      Optional<SystemdNamespace> namespace,
      FuseClient client,
      String bucket,
      Path kubelet,
      Path dir,
      PrivateDirectories hand)
      throws IOException {
    Path target = target(kubelet);
    driver.csi().node().nodePublishVolume(Requests.publish(s3, bucket, bucket, target, Map.of()));
    try {
      Optional<List<String>> running =
          ProcessHandle.allProcesses()
              .map(p -> Procfs.cmdline(p.pid()))
              .flatMap(Optional::stream)
              .filter(argv -> argv.contains(target.toString()))
              .findFirst();
      if (running.isEmpty()) {
        return "no client found";
      }
      Path driverPrivate =
          new PrivateDirectories(dir.resolve("state").resolve("mounts")).directoryFor(target);
      List<String> expected =
          mask(
              HandMount.command(s3, client, bucket, target, hand).argv(),
              target,
              hand.directoryFor(target));
      List<String> actual = mask(running.get(), target, driverPrivate);
      return expected.equals(actual) ? "yes" : "no: " + actual + " vs " + expected;
    } finally {
      driver.csi().node().nodeUnpublishVolume(Requests.unpublish(bucket, target));
    }
  }

  private static List<String> mask(List<String> argv, Path target, Path privateDirectory) {
    List<String> masked = new ArrayList<>();
    masked.add(Path.of(argv.get(0)).getFileName().toString());
    for (String arg : argv.subList(1, argv.size())) {
      masked.add(
          arg.replace(privateDirectory.toString(), "<private>")
              .replace(target.toString(), "<target>"));
    }
    return masked;
  }

  private static Path target(Path kubelet) throws IOException {
    Path target =
        kubelet.resolve("pods/" + UUID.randomUUID() + "/volumes/kubernetes.io~csi/pv-bench/mount");
    Files.createDirectories(target.getParent());
    return target;
  }
}
