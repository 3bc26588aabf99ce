package io.s3csi.launcher.bench;

import io.grpc.StatusRuntimeException;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Many volumes published (or unpublished) at once through one driver: every RPC starts at the same
 * instant from its own thread, as kubelet does when a node fills with pods.
 */
final class Storm {
  static final String CONTENT = "storm probe";

  /** One volume of the storm. */
  record Volume(String volumeId, String bucket, Path target) {}

  /** What one wave of RPCs did. */
  record Wave(Samples latencies, Map<String, Integer> errors, long wallNanos, List<Long> endNanos) {
    int ok() {
      return latencies.count();
    }

    int failed() {
      return errors.values().stream().mapToInt(Integer::intValue).sum();
    }

    String errorSummary() {
      return errors.isEmpty() ? "0" : failed() + " " + errors;
    }

    String throughput() {
      return String.format(java.util.Locale.ROOT, "%.1f", ok() / (wallNanos / 1e9));
    }
  }

  private Storm() {}

  /**
   * Creates {@code count} buckets, each with a probe object, and a target for each under kubelet.
   */
  static List<Volume> volumes(EmbeddedS3Server s3, Path kubelet, String prefix, int count)
      throws IOException {
    List<Volume> volumes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String bucket = prefix + "-" + i;
      s3.createBucket(bucket);
      s3.putObject(bucket, "probe.txt", CONTENT.getBytes(StandardCharsets.UTF_8));
      Path target =
          kubelet.resolve(
              "pods/" + UUID.randomUUID() + "/volumes/kubernetes.io~csi/" + bucket + "/mount");
      Files.createDirectories(target.getParent());
      volumes.add(new Volume(bucket, bucket, target));
    }
    return volumes;
  }

  static Wave publish(DriverProcess driver, EmbeddedS3Server s3, List<Volume> volumes)
      throws InterruptedException {
    return wave(
        volumes,
        v ->
            () ->
                driver
                    .csi()
                    .node()
                    .nodePublishVolume(
                        Requests.publish(s3, v.volumeId(), v.bucket(), v.target(), Map.of())));
  }

  static Wave unpublish(DriverProcess driver, List<Volume> volumes) throws InterruptedException {
    return wave(
        volumes,
        v ->
            () ->
                driver
                    .csi()
                    .node()
                    .nodeUnpublishVolume(Requests.unpublish(v.volumeId(), v.target())));
  }

  /** How many of the volumes serve their probe object right now (read through {@code view}). */
  static int serving(List<Volume> volumes, Function<Path, Path> view) {
    int serving = 0;
    for (Volume v : volumes) {
      try {
        Reads.awaitContent(
            view.apply(v.target()).resolve("probe.txt"),
            CONTENT,
            Duration.ofSeconds(10),
            () -> true);
        serving++;
      } catch (IllegalStateException e) {
        // counted as not serving
      }
    }
    return serving;
  }

  private static Wave wave(List<Volume> volumes, Function<Volume, Runnable> call)
      throws InterruptedException {
    Samples latencies = new Samples();
    Map<String, Integer> errors = new ConcurrentHashMap<>();
    List<Long> ends = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch ready = new CountDownLatch(volumes.size());
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(volumes.size());
    List<Future<?>> calls = new ArrayList<>();
    for (Volume volume : volumes) {
      Runnable rpc = call.apply(volume);
      calls.add(
          threads.submit(
              () -> {
                ready.countDown();
                go.await();
                long start = System.nanoTime();
                try {
                  rpc.run();
                  long end = System.nanoTime();
                  latencies.add(end - start);
                  ends.add(end);
                } catch (StatusRuntimeException e) {
                  errors.merge(e.getStatus().getCode().name(), 1, Integer::sum);
                  Bench.progress("%s: %s", volume.volumeId(), e.getStatus());
                }
                return null;
              }));
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    for (Future<?> f : calls) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        errors.merge(e.getCause().getClass().getSimpleName(), 1, Integer::sum);
      }
    }
    long wall = System.nanoTime() - start;
    threads.shutdown();
    return new Wave(latencies, errors, wall, List.copyOf(ends));
  }

  /** The driver's JVM options, a namespace or not: the view of a target from this JVM. */
  static Function<Path, Path> view(Optional<io.s3csi.testkit.systemd.SystemdNamespace> namespace) {
    return target -> namespace.map(n -> n.hostView(target)).orElse(target);
  }
}
