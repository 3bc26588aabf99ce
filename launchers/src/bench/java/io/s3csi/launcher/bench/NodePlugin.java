package io.s3csi.launcher.bench;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Starts the packaged driver as a node plugin against the embedded S3 server. */
final class NodePlugin {
  private NodePlugin() {}

  static DriverProcess start(
      Optional<SystemdNamespace> namespace,
      String javaOptions,
      Path dir,
      String mounter,
      FuseClient client,
      EmbeddedS3Server s3)
      throws IOException {
    return DriverProcess.start(
        namespace,
        javaOptions,
        dir.resolve("csi.sock"),
        dir.resolve("logs"),
        List.of(
            "--mode",
            "node",
            "--node-id",
            "bench-node",
            "--mounter",
            mounter,
            "--fuse-client",
            client.id(),
            "--kubelet-dir",
            dir.resolve("kubelet").toString(),
            "--state-dir",
            dir.resolve("state").toString(),
            "--s3-endpoint-url",
            s3.endpoint().toString(),
            "--s3-region",
            "us-east-1",
            "--s3-path-style"));
  }

  static Optional<SystemdNamespace> namespaceFor(String mounter) {
    return switch (mounter) {
      case "systemd" -> Optional.of(SystemdNamespace.start(java.time.Duration.ofSeconds(60)));
      case "process" -> Optional.empty();
      default ->
          throw new IllegalArgumentException(
              "bench.mounters: expected process or systemd, got '" + mounter + "'");
    };
  }
}
