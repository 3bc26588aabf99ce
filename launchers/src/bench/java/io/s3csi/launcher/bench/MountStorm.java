package io.s3csi.launcher.bench;

import io.grpc.StatusRuntimeException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.csi.v1.ProbeRequest;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Mount storm: {@code bench.volumes} volumes published at once on one node plugin, checked to serve
 * a read, then unpublished at once. A volume whose S3 endpoint never answers is published just
 * before the storm and stays in flight until the mounter's timeout: no storm RPC should wait for
 * it. A Probe every 100 ms during the publish wave shows whether the driver stays responsive.
 */
final class MountStorm {
  private final Path work;
  private final int count;

  MountStorm(Path work, int count) {
    this.work = work;
    this.count = count;
  }

  String run(String mounter, FuseClient client) throws Exception {
    Path dir = Files.createDirectories(work.resolve("storm-" + mounter));
    Optional<SystemdNamespace> namespace = NodePlugin.namespaceFor(mounter);
    try (EmbeddedS3Server s3 = EmbeddedS3Server.builder().start();
        Blackhole blackhole = new Blackhole()) {
      List<Storm.Volume> volumes = Storm.volumes(s3, dir.resolve("kubelet"), "storm", count);
      Path stuckTarget =
          dir.resolve(
              "kubelet/pods/" + UUID.randomUUID() + "/volumes/kubernetes.io~csi/stuck/mount");
      Files.createDirectories(stuckTarget.getParent());
      s3.createBucket("stuck");
      try (DriverProcess driver =
          NodePlugin.start(namespace, Bench.javaOptions(), dir, mounter, client, s3)) {
        long idleRss = driver.rssKib();
        // One volume published and unpublished first: the embedded S3 server initialises its
        // listing code (the AWS SDK's model classes) on the first ListObjects, and every s3fs
        // checks its bucket with one; cold, the whole first wave would wait for that, once.
        Storm.Volume warmUp = Storm.volumes(s3, dir.resolve("kubelet"), "warm-up", 1).get(0);
        driver
            .csi()
            .node()
            .nodePublishVolume(
                Requests.publish(
                    s3, warmUp.volumeId(), warmUp.bucket(), warmUp.target(), Map.of()));
        driver
            .csi()
            .node()
            .nodeUnpublishVolume(Requests.unpublish(warmUp.volumeId(), warmUp.target()));
        CompletableFuture<String> stuck =
            CompletableFuture.supplyAsync(
                () -> {
                  long start = System.nanoTime();
                  String outcome;
                  try {
                    driver
                        .csi()
                        .node()
                        .nodePublishVolume(
                            Requests.publish(
                                s3,
                                "stuck",
                                "stuck",
                                stuckTarget,
                                Map.of("endpointUrl", blackhole.endpoint().toString())));
                    outcome = "OK";
                  } catch (StatusRuntimeException e) {
                    outcome = e.getStatus().getCode().name();
                  }
                  return outcome + "@" + start + "@" + System.nanoTime();
                });
        LockSupport.parkNanos(1_000_000_000L); // the stuck publish is in the mounter now
        AtomicBoolean storming = new AtomicBoolean(true);
        // one prober on the storm's own connection, one on a connection of its own, as the
        // livenessprobe sidecar has: a connection's calls start in order on one event loop
        Samples probes = new Samples();
        Samples ownProbes = new Samples();
        CsiClient ownConnection = driver.connect();
        CompletableFuture<Void> prober = probeEvery100Ms(driver.csi(), storming, probes);
        CompletableFuture<Void> ownProber = probeEvery100Ms(ownConnection, storming, ownProbes);
        Storm.Wave published = Storm.publish(driver, s3, volumes);
        storming.set(false);
        prober.join();
        ownProber.join();
        ownConnection.close();
        Bench.progress("storm: %d published in %s s", published.ok(), seconds(published));
        Samples serverSide = driver.loggedDurations("csi.v1.Node/NodePublishVolume");
        int serving = Storm.serving(volumes, Storm.view(namespace));
        long mountedRss = driver.rssKib();
        long threads = Procfs.threads(driver.pid());
        String[] stuckOutcome = stuck.join().split("@");
        long stuckStart = Long.parseLong(stuckOutcome[1]);
        long stuckEnd = Long.parseLong(stuckOutcome[2]);
        long endedAfterStuck = published.endNanos().stream().filter(e -> e > stuckEnd).count();
        driver.csi().node().nodeUnpublishVolume(Requests.unpublish("stuck", stuckTarget));
        Storm.Wave unpublished = Storm.unpublish(driver, volumes);
        Table table =
            new Table("wave", "volumes", "wall s", "RPC/s", "p50 ms", "p99 ms", "max ms", "errors");
        row(table, "NodePublish", volumes.size(), published);
        row(table, "NodeUnpublish", volumes.size(), unpublished);
        return table.markdown()
            + "\n"
            + new Table("check", "result")
                .row("mounter / FUSE client", mounter + " / " + client.id())
                .row("volumes serving a read after the publish wave", serving + " of " + count)
                .row(
                    "stuck volume (endpoint never answers): outcome, time in flight",
                    stuckOutcome[0] + ", " + Samples.ms(stuckEnd - stuckStart) + " ms")
                .row(
                    "storm publishes that ended after the stuck one (blocked behind it?)",
                    endedAfterStuck + " of " + published.ok())
                .row(
                    "NodePublish as the driver logged it (server side): p50, p99, max ms",
                    serverSide.medianMs()
                        + ", "
                        + serverSide.percentileMs(99)
                        + ", "
                        + serverSide.percentileMs(100))
                .row(
                    "Probe during the publish wave, on the storm's connection: count, p50, max ms",
                    probes.count() + ", " + probes.medianMs() + ", " + probes.percentileMs(100))
                .row(
                    "Probe during the publish wave, on its own connection: count, p50, max ms",
                    ownProbes.count()
                        + ", "
                        + ownProbes.medianMs()
                        + ", "
                        + ownProbes.percentileMs(100))
                .row(
                    "driver VmRSS idle / after the publish wave",
                    idleRss / 1024 + " / " + mountedRss / 1024 + " MiB")
                .row("driver threads after the publish wave", threads)
                .markdown();
      }
    } finally {
      namespace.ifPresent(SystemdNamespace::close);
    }
  }

  private static CompletableFuture<Void> probeEvery100Ms(
      CsiClient csi, AtomicBoolean storming, Samples probes) {
    return CompletableFuture.runAsync(
        () -> {
          while (storming.get()) {
            long start = System.nanoTime();
            csi.identity().probe(ProbeRequest.getDefaultInstance());
            probes.add(System.nanoTime() - start);
            LockSupport.parkNanos(100_000_000L);
          }
        });
  }

  private static void row(Table table, String wave, int volumes, Storm.Wave w) {
    table.row(
        wave,
        volumes,
        seconds(w),
        w.throughput(),
        w.ok() == 0 ? "-" : w.latencies().medianMs(),
        w.ok() == 0 ? "-" : w.latencies().percentileMs(99),
        w.ok() == 0 ? "-" : w.latencies().percentileMs(100),
        w.errorSummary());
  }

  private static String seconds(Storm.Wave w) {
    return String.format(java.util.Locale.ROOT, "%.2f", w.wallNanos() / 1e9);
  }
}
