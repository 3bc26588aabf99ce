package io.s3csi.launcher;

import static io.s3csi.launcher.CsiRequests.multiWriter;
import static io.s3csi.launcher.CsiRequests.unpublish;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.csi.v1.Volume;
import io.s3csi.testkit.junit.S3ServerExtension;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never reach the logs: an in-process driver runs a whole create, publish, unpublish and
 * delete cycle, with keys, a session token and service-account tokens, while every logger of the
 * JVM (s3csi, gRPC, Netty, the AWS SDK, dbus-java, S3Proxy) logs at the most verbose level. Every
 * record is formatted as text and as JSON on the thread that wrote it (so the CSI call's fields are
 * there), and the process's standard error is captured too; no line may contain a secret.
 */
@ExtendWith(S3ServerExtension.class)
class SecretsInLogsIT {
  /** Loggers set to ALL; held strongly so that java.util.logging keeps their level. */
  private static final List<Logger> VERBOSE =
      List.of(
          Logger.getLogger(""),
          Logger.getLogger("io.s3csi"),
          Logger.getLogger("io.grpc"),
          Logger.getLogger("io.grpc.netty.shaded.io.netty"),
          Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap"),
          Logger.getLogger("io.netty"),
          Logger.getLogger("software.amazon"),
          Logger.getLogger("org.freedesktop"),
          Logger.getLogger("org.gaul"),
          Logger.getLogger("org.eclipse.jetty"));

  private static EmbeddedS3Server s3;

  private final String sessionToken =
      "SESSIONTOKEN" + UUID.randomUUID().toString().replace("-", "");
  private final String serviceAccountToken =
      "SATOKEN" + UUID.randomUUID().toString().replace("-", "");
  private final List<String> text = new CopyOnWriteArrayList<>();
  private final List<String> json = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final Capture capture = new Capture();

  @TempDir Path dir;
  private PrintStream originalErr;
  private Level originalLevel;
  private List<Handler> originalHandlers;
  private InJvmDriver driver;
  private CsiClient csi;

  @BeforeAll
  static void server(EmbeddedS3Server server) {
    s3 = server;
  }

  @BeforeEach
  void captureEverything() {
    Logger root = Logger.getLogger("");
    originalLevel = root.getLevel();
    originalHandlers = List.of(root.getHandlers());
    originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, stderr), true, StandardCharsets.UTF_8));
    // the launcher's own console handler, on the captured standard error, in JSON
    Logging.configure(LogLevel.TRACE, LogFormat.JSON);
    VERBOSE.forEach(logger -> logger.setLevel(Level.ALL));
    root.addHandler(capture);
  }

  @AfterEach
  void restore() {
    if (driver != null) {
      driver.close();
    }
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    originalHandlers.forEach(root::addHandler);
    VERBOSE.forEach(logger -> logger.setLevel(null));
    root.setLevel(originalLevel);
    System.setErr(originalErr);
  }

  @Test
  void fullCycle_mostVerboseLevel_noLineCarriesASecret() throws IOException {
    start();
    String bucket = "secrets-it-" + UUID.randomUUID().toString().substring(0, 8);
    s3.createBucket(bucket);
    Map<String, String> keys = CsiRequests.keys(s3);
    String podUid = UUID.randomUUID().toString();

    Volume volume =
        csi.controller()
            .createVolume(
                CsiRequests.createVolume(keys).putParameters("bucketName", bucket).build())
            .getVolume();
    Path target = target(podUid, "pv-keys");
    csi.node()
        .nodePublishVolume(
            CsiRequests.publish(volume.getVolumeId(), target, multiWriter())
                .putAllVolumeContext(volume.getVolumeContextMap())
                .putVolumeContext("csi.storage.k8s.io/pod.uid", podUid)
                .putAllSecrets(keys)
                .build());
    Files.writeString(target.resolve("hello.txt"), "hello");
    publishWithTokens(bucket, target(podUid, "pv-tokens"));
    csi.node().nodeUnpublishVolume(unpublish(volume.getVolumeId(), target));
    csi.controller().deleteVolume(CsiRequests.deleteVolume(volume.getVolumeId(), keys));
    driver.driver().close(); // the driver only; the client closes after the test
    System.err.flush();

    List<String> stderrLines = stderr.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(json).anyMatch(line -> line.contains("\"volume_id\":\"" + volume.getVolumeId()));
    assertThat(json).anyMatch(line -> line.contains("\"pod_uid\":\"" + podUid + "\""));
    assertThat(text).anyMatch(line -> line.contains("volume_id=" + volume.getVolumeId()));
    assertThat(stderrLines).anyMatch(line -> line.contains(volume.getVolumeId()));
    // the most verbose output was on: requests rendered (redacted) and the AWS SDK's debug lines
    assertThat(json)
        .anyMatch(
            line ->
                line.contains("\"level\":\"DEBUG\",\"logger\":\"io.s3csi.grpc.calls\"")
                    && line.contains("NodePublishVolume request="));
    assertThat(json).anyMatch(line -> line.contains("\"logger\":\"software.amazon.awssdk"));
    assertThat(leaks(text)).isEmpty();
    assertThat(leaks(json)).isEmpty();
    assertThat(leaks(stderrLines)).isEmpty();
  }

  @Test
  void leaks_aSecretLoggedDuringTheTest_isCaughtInEveryCapture() {
    Logger.getLogger("io.s3csi.canary")
        .log(Level.FINEST, "oops: {0} / {1}", new Object[] {s3.secretAccessKey(), sessionToken});
    Logger.getLogger("io.s3csi.canary")
        .log(Level.FINE, "failed", new IllegalStateException("token " + serviceAccountToken));
    System.err.flush();

    List<String> stderrLines = stderr.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(leaks(text)).hasSize(2);
    assertThat(leaks(json)).hasSize(2);
    assertThat(leaks(stderrLines)).hasSizeGreaterThanOrEqualTo(2);
  }

  /** The second publish: a session token, and service-account tokens as kubelet passes them. */
  private void publishWithTokens(String bucket, Path target) {
    try {
      csi.node()
          .nodePublishVolume(
              CsiRequests.publishBucket(bucket, target, multiWriter())
                  // s3fs refuses session tokens; rclone passes them to S3
                  .putVolumeContext("fuseClient", "rclone")
                  .putVolumeContext(
                      "csi.storage.k8s.io/serviceAccount.tokens",
                      "{\"sts.amazonaws.com\":{\"token\":\""
                          + serviceAccountToken
                          + "\",\"expirationTimestamp\":\"2030-01-01T00:00:00Z\"}}")
                  .putSecrets("accessKeyId", s3.accessKeyId())
                  .putSecrets("secretAccessKey", s3.secretAccessKey())
                  .putSecrets("sessionToken", sessionToken)
                  .build());
      Logger.getLogger("io.s3csi.it").log(Level.INFO, "publish with tokens succeeded");
      csi.node().nodeUnpublishVolume(unpublish(bucket, target));
    } catch (StatusRuntimeException e) {
      // whether the S3 server takes the token or not, the logs of the attempt are what counts
      Logger.getLogger("io.s3csi.it")
          .log(Level.INFO, "publish with tokens ended with " + e.getStatus().getCode());
    }
  }

  private List<String> leaks(List<String> lines) {
    List<String> secrets = List.of(s3.secretAccessKey(), sessionToken, serviceAccountToken);
    List<String> leaked = new ArrayList<>();
    for (String line : lines) {
      if (secrets.stream().anyMatch(line::contains)) {
        leaked.add(line);
      }
    }
    return leaked;
  }

  private void start() {
    driver = InJvmDriver.start(dir, s3, "all", FuseClient.S3FS);
    csi = driver.csi();
  }

  private Path target(String podUid, String pv) {
    return driver.directory().target(podUid, pv);
  }

  /** Formats each record as text and as JSON on the thread that logs it. */
  private final class Capture extends Handler {
    private final java.util.logging.Formatter textFormat = Logging.formatter(LogFormat.TEXT);
    private final java.util.logging.Formatter jsonFormat = Logging.formatter(LogFormat.JSON);

    Capture() {
      setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
      text.add(textFormat.format(record));
      json.add(jsonFormat.format(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** Writes to both streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      synchronized (second) {
        second.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      synchronized (second) {
        second.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      first.flush();
    }
  }
}
