package io.s3csi.launcher;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Where a driver under test keeps its files, all under one directory of the test: its CSI socket,
 * the kubelet directory its targets are under and its state directory. The in-JVM driver ({@link
 * InJvmDriver}) and the packaged one in a systemd namespace ({@link NamespacedDriver}) lay them out
 * alike, so a test computes a target or a mount's private directory the way the driver does.
 *
 * @param root the test's directory
 */
record DriverDirectory(Path root) {
  /** The node id every driver under test reports. */
  static final String NODE_ID = "it-node";

  /** The CSI socket. */
  Path socket() {
    return root.resolve("csi.sock");
  }

  /** The driver's {@code --kubelet-dir}. */
  Path kubeletDir() {
    return root.resolve("kubelet");
  }

  /** The driver's {@code --state-dir}. */
  Path stateDir() {
    return root.resolve("state");
  }

  /**
   * The flags of a driver that serves on this directory's socket, with its kubelet and state
   * directories, and reaches an S3 server with path-style addressing in us-east-1.
   *
   * @param mode the driver's {@code --mode}
   * @param client the driver's default {@code --fuse-client}
   * @param s3 the S3 server the driver talks to
   */
  List<String> flags(String mode, FuseClient client, EmbeddedS3Server s3) {
    return List.of(
        "--endpoint",
        "unix://" + socket(),
        "--node-id",
        NODE_ID,
        "--mode",
        mode,
        "--fuse-client",
        client.id(),
        "--kubelet-dir",
        kubeletDir().toString(),
        "--state-dir",
        stateDir().toString(),
        "--s3-endpoint-url",
        s3.endpoint().toString(),
        "--s3-region",
        "us-east-1",
        "--s3-path-style");
  }

  /**
   * A target path of a new pod, as kubelet makes it: its parent exists, the target itself does not
   * (the driver creates it).
   *
   * @param pv the persistent volume's name
   */
  Path target(String pv) {
    return target(UUID.randomUUID().toString(), pv);
  }

  /**
   * A target path of a given pod, as kubelet makes it: its parent exists, the target itself does
   * not.
   *
   * @param podUid the pod's uid
   * @param pv the persistent volume's name
   */
  Path target(String podUid, String pv) {
    Path target =
        kubeletDir().resolve("pods/" + podUid + "/volumes/kubernetes.io~csi/" + pv + "/mount");
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the parent of " + target, e);
    }
    return target;
  }

  /** The private directory (credentials, mount record) of the mount at a target. */
  Path privateDirectory(Path target) {
    return new PrivateDirectories(stateDir().resolve(DriverConfig.MOUNTS_DIRECTORY))
        .directoryFor(target);
  }
}
