package io.s3csi.launcher;

import static org.awaitility.Awaitility.await;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.Endpoint;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged node driver, {@code s3csi driver --mode node} with its default systemd mounter, run
 * by a {@link NamespacedLauncher} inside a {@link SystemdNamespace}, as a node plugin runs beside
 * the host's systemd. It serves on a unix socket in the shared /tmp, where the test talks CSI to it
 * as kubelet does. One instance serves a test class; each test starts and stops its driver.
 */
final class NamespacedDriver {
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(90);
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration STOP = Duration.ofSeconds(30);

  private final EmbeddedS3Server s3;
  private final DriverDirectory directory;
  private final NamespacedLauncher launcher;
  private final String owner;
  private NamespacedLauncher.Running running;
  private CsiClient csi;

  /**
   * Prepares the driver of a test class.
   *
   * @param systemd the namespace it runs in
   * @param s3 the S3 server it talks to
   * @param dir the class's directory: socket, kubelet and state directories, the launcher's logs
   * @param owner the test class, named in the driver log it prints
   */
  NamespacedDriver(SystemdNamespace systemd, EmbeddedS3Server s3, Path dir, Class<?> owner) {
    this.s3 = s3;
    this.directory = new DriverDirectory(dir);
    this.owner = owner.getSimpleName();
    try {
      this.launcher = new NamespacedLauncher(systemd, Files.createDirectories(dir.resolve("logs")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the driver and waits until it answers CSI calls.
   *
   * @param client the default FUSE client
   * @param extraFlags more flags, after the common ones
   * @throws AssertionError if the driver exits or does not serve within 90 seconds, with its log
   */
  void start(FuseClient client, String... extraFlags) {
    List<String> args = new ArrayList<>();
    args.add("driver");
    args.addAll(directory.flags("node", client, s3));
    args.addAll(List.of(extraFlags));
    NamespacedLauncher.Running driver = launcher.start(Map.of(), args.toArray(String[]::new));
    running = driver;
    CsiClient client0 = CsiClient.connect(new Endpoint(directory.socket()), CALL_DEADLINE);
    try {
      await()
          .atMost(START)
          .ignoreExceptions()
          .until(
              () -> {
                if (!driver.process().isAlive()) {
                  throw new AssertionError("the driver exited:\n" + driver.errors());
                }
                return client0.identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance())
                    != null;
              });
    } catch (RuntimeException e) {
      client0.close();
      throw new AssertionError("the driver did not serve:\n" + driver.errors(), e);
    }
    csi = client0;
  }

  /** The CSI client of the running driver. */
  CsiClient csi() {
    return csi;
  }

  /** Closes the CSI client, as after the driver is gone. */
  void closeClient() {
    if (csi != null) {
      csi.close();
      csi = null;
    }
  }

  /**
   * Kills the driver with SIGKILL and waits for it; the CSI client stays open.
   *
   * @return whether the driver ended within 30 seconds
   */
  boolean kill() throws InterruptedException {
    running.process().destroyForcibly();
    return running.process().waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
  }

  /** What the driver logged to its standard error. */
  String errors() {
    return running.errors();
  }

  /** Closes the client, stops the driver with SIGTERM and prints its log; for after each test. */
  void stop() throws InterruptedException {
    closeClient();
    if (running != null) {
      running.process().destroy();
      running.process().waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
      System.out.println("[" + owner + "] driver log:\n" + running.errors());
      running = null;
    }
  }

  /** Runs the packaged launcher in the namespace. */
  NamespacedLauncher launcher() {
    return launcher;
  }

  /** Where the driver keeps its files. */
  DriverDirectory directory() {
    return directory;
  }

  /** The systemd unit that serves the mount at a target. */
  static String unitOf(Path target) {
    return "s3csi-" + PrivateDirectories.keyOf(target) + ".service";
  }
}
