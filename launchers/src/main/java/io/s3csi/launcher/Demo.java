package io.s3csi.launcher;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.mount.MountEntry;
import io.s3csi.core.mount.MountTable;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
import io.s3csi.grpc.csi.v1.GetPluginInfoResponse;
import io.s3csi.grpc.csi.v1.NodeGetInfoRequest;
import io.s3csi.grpc.csi.v1.ProbeRequest;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The steps of {@code s3csi demo}, told on standard output: preflight, an S3 server, the driver,
 * the calls kubelet makes (see {@link DemoVolume}), a file written through the mount and seen
 * through S3, then the clean-up.
 */
final class Demo {
  static final String BUCKET = "demo";
  static final String FILE_NAME = "hello.txt";
  static final String NODE_ID = "demo-node";
  private static final int STEPS = 8;

  private final PrintWriter out;
  private final Preflight preflight;
  private int step;

  Demo(PrintWriter out, Preflight preflight) {
    this.out = Objects.requireNonNull(out, "out");
    this.preflight = Objects.requireNonNull(preflight, "preflight");
  }

  /**
   * Runs the demo.
   *
   * @param dataDir where the S3 server keeps its objects
   * @param client the FUSE client
   * @param once whether to clean up at once instead of waiting for Ctrl-C
   * @return the exit code
   * @throws Exception when a step fails; what was started is stopped first
   */
  int run(Path dataDir, FuseClient client, boolean once) throws Exception {
    out.println("s3csi demo: an S3 bucket mounted by the s3csi CSI driver, as kubelet mounts it");
    out.println("into a pod - on this machine, without Kubernetes.");
    out.println();
    try (ShutdownSignals signals = ShutdownSignals.install()) {
      step("Preflight");
      Path program = preflight.check(client);
      detail("running as root, /dev/fuse is present, " + client + " is " + program);
      Path work = Files.createTempDirectory("s3csi-demo-");
      try {
        serve(dataDir, work, client, once, signals);
      } finally {
        removeWorkDirectory(work);
      }
      out.println("Done.");
      return S3csi.EXIT_OK;
    }
  }

  private void serve(
      Path dataDir, Path work, FuseClient client, boolean once, ShutdownSignals signals)
      throws Exception {
    try (EmbeddedS3Server s3 = EmbeddedS3Server.builder().filesystem(dataDir).start()) {
      boolean created = s3.createBucket(BUCKET);
      step("Started an S3 server (S3Proxy) at " + s3.endpoint());
      detail("it keeps objects as plain files under " + dataDir);
      detail(created ? "created bucket \"" + BUCKET + "\"" : "bucket \"" + BUCKET + "\" is there");
      checkpoint(signals);
      try (Driver driver = Driver.start(driverConfig(work, client, s3));
          CsiClient csi = CsiClient.connect(driver.endpoint())) {
        step("Started the s3csi driver (Identity, Node, Controller) on " + driver.endpoint());
        identify(csi);
        checkpoint(signals);
        Path target =
            driver
                .config()
                .kubeletDir()
                .resolve("pods/" + UUID.randomUUID() + "/volumes/kubernetes.io~csi/demo-pv/mount");
        mountAndShow(new DemoVolume(csi, s3, target), s3, client, dataDir, once, signals);
      }
      detail("stopped the driver; its socket is gone");
    }
    detail("stopped the S3 server; the objects stay in " + dataDir);
  }

  /**
   * The driver as a single-node cluster would run it, all of its files under {@code work}, with the
   * demo's S3 server as its default endpoint (which the controller's readiness check asks).
   */
  private static DriverConfig driverConfig(Path work, FuseClient client, EmbeddedS3Server s3) {
    return DriverConfig.fromFlags(
        "--endpoint",
        "unix://" + work.resolve("csi.sock"),
        "--node-id",
        NODE_ID,
        "--mode",
        "all",
        "--mounter",
        "process",
        "--fuse-client",
        client.id(),
        "--kubelet-dir",
        work.resolve("kubelet").toString(),
        "--state-dir",
        work.resolve("state").toString(),
        "--s3-endpoint-url",
        s3.endpoint().toString(),
        "--s3-region",
        DemoVolume.REGION,
        "--s3-path-style");
  }

  /** Publishes, shows the file both ways, waits if asked, and always unpublishes. */
  private void mountAndShow(
      DemoVolume volume,
      EmbeddedS3Server s3,
      FuseClient client,
      Path dataDir,
      boolean once,
      ShutdownSignals signals)
      throws Exception {
    Throwable failure = null;
    try (S3View view =
        new S3View(s3.endpoint(), DemoVolume.REGION, s3.accessKeyId(), s3.secretAccessKey())) {
      volume.publish(this::step, this::detail);
      checkpoint(signals);
      exercise(volume, view, client, dataDir, signals);
      if (!once) {
        waitForCtrlC(volume.target(), dataDir, signals);
      }
    } catch (Exception | Error e) {
      failure = e;
      throw e;
    } finally {
      out.println();
      out.println("Cleaning up:");
      try {
        volume.unpublish(this::detail);
      } catch (RuntimeException e) {
        if (failure == null) {
          throw e;
        }
        failure.addSuppressed(e);
      }
    }
  }

  private void identify(CsiClient csi) {
    step("Asked the driver what kubelet asks a new plugin:");
    GetPluginInfoResponse info =
        csi.identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
    detail("GetPluginInfo  name=" + info.getName() + " version=" + info.getVendorVersion());
    boolean ready = csi.identity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue();
    detail("Probe          ready=" + ready);
    String nodeId = csi.node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId();
    detail("NodeGetInfo    node_id=" + nodeId);
    if (!ready) {
      throw new IllegalStateException("the driver reports it is not ready; see its log above");
    }
  }

  private void exercise(
      DemoVolume volume, S3View view, FuseClient client, Path dataDir, ShutdownSignals signals)
      throws IOException, InterruptedException {
    String content =
        "Hello from s3csi! Written through the "
            + client
            + " FUSE mount that the CSI driver published.\n";
    Path file = volume.target().resolve(FILE_NAME);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    String readBack = Files.readString(file, StandardCharsets.UTF_8);
    if (!readBack.equals(content)) {
      throw new IllegalStateException(
          "read " + quote(readBack) + " back through the mount, wrote " + quote(content));
    }
    step("Wrote " + FILE_NAME + " through the mount and read it back:");
    detail(quote(content));
    checkpoint(signals);

    volume.awaitObject(view, FILE_NAME, content, signals);
    step(
        "Looked into bucket \""
            + BUCKET
            + "\" through the S3 API (AWS SDK, ListObjectsV2 + GetObject):");
    view.list(BUCKET)
        .forEach(
            o ->
                detail(
                    "s3://"
                        + BUCKET
                        + "/"
                        + o.key()
                        + "  "
                        + o.size()
                        + " bytes"
                        + (o.key().equals(FILE_NAME) ? "  " + quote(content) : "")));

    Path onDisk = dataDir.resolve(BUCKET).resolve(FILE_NAME);
    step(
        Files.isRegularFile(onDisk)
            ? "The S3 server stores it as the file "
                + onDisk
                + " ("
                + Files.size(onDisk)
                + " bytes)"
            : "The S3 server stores the bucket under " + dataDir.resolve(BUCKET));
  }

  private void waitForCtrlC(Path target, Path dataDir, ShutdownSignals signals)
      throws InterruptedException {
    out.println();
    out.println("The volume stays mounted. In another shell, try:");
    out.println("  ls -l " + target);
    out.println(
        "  echo more > " + target.resolve("more.txt") + " && ls -l " + dataDir.resolve(BUCKET));
    out.println("Press Ctrl-C to unmount and stop.");
    out.flush();
    String signal = signals.await();
    out.println();
    out.println("Received SIG" + signal + ".");
  }

  private void step(String text) {
    step++;
    out.println("[" + step + "/" + STEPS + "] " + text);
    out.flush();
  }

  private void detail(String text) {
    out.println("      " + text);
    out.flush();
  }

  private static void checkpoint(ShutdownSignals signals) {
    if (signals.received()) {
      throw new IllegalStateException(
          "interrupted by SIG" + signals.signalName() + "; stopped what had started");
    }
  }

  static String quote(String text) {
    return "\"" + text.strip().replace("\n", "\\n") + "\"";
  }

  /** Removes the demo's temporary directory, unless something is still mounted under it. */
  private void removeWorkDirectory(Path work) throws IOException {
    List<Path> mounted =
        MountTable.parse(Files.readString(Path.of("/proc/self/mountinfo"))).entries().stream()
            .map(MountEntry::mountPoint)
            .filter(p -> p.startsWith(work))
            .toList();
    if (!mounted.isEmpty()) {
      detail(
          "left " + work + " in place: " + mounted + " is still mounted (umount it, then rm -r)");
      return;
    }
    try (Stream<Path> paths = Files.walk(work)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
    detail("removed " + work);
  }
}
