package io.s3csi.launcher;

import io.s3csi.core.volume.VolumeContext;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeRequest;
import io.s3csi.grpc.csi.v1.VolumeCapability;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The demo's volume, handled as kubelet handles a PersistentVolume with a {@code
 * nodePublishSecretRef}: NodePublishVolume at a pod's volume directory, NodeUnpublishVolume when
 * the pod goes.
 */
final class DemoVolume {
  static final String VOLUME_ID = "s3csi-demo";
  static final String REGION = "us-east-1";
  private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(30);
  private static final long POLL_MILLIS = 200;

  private final CsiClient csi;
  private final EmbeddedS3Server s3;
  private final Path target;

  DemoVolume(CsiClient csi, EmbeddedS3Server s3, Path target) {
    this.csi = Objects.requireNonNull(csi, "csi");
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.target = Objects.requireNonNull(target, "target");
  }

  Path target() {
    return target;
  }

  /** Publishes the volume; kubelet creates the pod's volume directory first, so does this. */
  void publish(Consumer<String> step, Consumer<String> detail) throws IOException {
    Files.createDirectories(target.getParent());
    NodePublishVolumeRequest request =
        NodePublishVolumeRequest.newBuilder()
            .setVolumeId(VOLUME_ID)
            .setTargetPath(target.toString())
            .setVolumeCapability(
                VolumeCapability.newBuilder()
                    .setMount(VolumeCapability.MountVolume.getDefaultInstance())
                    .setAccessMode(
                        VolumeCapability.AccessMode.newBuilder()
                            .setMode(VolumeCapability.AccessMode.Mode.MULTI_NODE_MULTI_WRITER)))
            .putAllVolumeContext(
                Map.of(
                    VolumeContext.BUCKET_NAME,
                    Demo.BUCKET,
                    VolumeContext.ENDPOINT_URL,
                    s3.endpoint().toString(),
                    VolumeContext.PATH_STYLE,
                    "true",
                    VolumeContext.REGION,
                    REGION,
                    VolumeContext.AUTHENTICATION_SOURCE,
                    "secret"))
            .putAllSecrets(
                Map.of("accessKeyId", s3.accessKeyId(), "secretAccessKey", s3.secretAccessKey()))
            .build();
    csi.node().nodePublishVolume(request);
    step.accept(
        "NodePublishVolume: mounted bucket \"" + Demo.BUCKET + "\" (volume " + VOLUME_ID + ") at");
    detail.accept(target.toString());
    detail.accept(
        "read-write for many nodes (MULTI_NODE_MULTI_WRITER); keys from the request's secrets,"
            + " as a nodePublishSecretRef sends them");
  }

  /** Unpublishes the volume; the driver unmounts, stops the client and removes the target. */
  void unpublish(Consumer<String> detail) {
    csi.node()
        .nodeUnpublishVolume(
            NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId(VOLUME_ID)
                .setTargetPath(target.toString())
                .build());
    detail.accept(
        "NodeUnpublishVolume: unmounted; "
            + (Files.exists(target)
                ? "the target is still there"
                : "the target directory is gone"));
  }

  /**
   * Waits until S3 holds the object with the expected content: some clients (rclone) upload a file
   * after it is closed, not while.
   */
  void awaitObject(S3View view, String key, String content, ShutdownSignals signals)
      throws InterruptedException {
    byte[] expected = content.getBytes(StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + UPLOAD_TIMEOUT.toNanos();
    while (true) {
      if (view.find(Demo.BUCKET, key).filter(o -> o.size() == expected.length).isPresent()
          && Arrays.equals(view.get(Demo.BUCKET, key), expected)) {
        return;
      }
      if (signals.await(POLL_MILLIS)) {
        throw new IllegalStateException(
            "interrupted by SIG" + signals.signalName() + "; stopped what had started");
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            key
                + " did not reach bucket \""
                + Demo.BUCKET
                + "\" with the content written within "
                + UPLOAD_TIMEOUT.toSeconds()
                + " s");
      }
    }
  }
}
