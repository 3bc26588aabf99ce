package io.s3csi.launcher;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code s3csi demo}: an S3 bucket mounted through the real driver, as kubelet would mount it into
 * a pod, on one machine and without Kubernetes.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Starts an S3 server on 127.0.0.1 and the s3csi driver on a unix socket, publishes a bucket"
          + " through the CSI API as kubelet would, writes a file through the FUSE mount and shows"
          + " it through S3.",
      "Needs root, /dev/fuse and the FUSE client (apt-get install s3fs)."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = "demo-data",
      paramLabel = "DIR",
      description =
          "Where the S3 server keeps the bucket's objects as files (default: ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--fuse-client",
      defaultValue = "s3fs",
      paramLabel = "s3fs|rclone",
      description = "The FUSE client to mount with (default: ${DEFAULT-VALUE}).")
  String fuseClient;

  @Option(
      names = "--once",
      description = "Unmount and stop as soon as the file is shown, instead of waiting for Ctrl-C.")
  boolean once;

  @Override
  public Integer call() throws Exception {
    FuseClient client = client();
    Logging.configure(java.util.logging.Level.WARNING);
    return new Demo(spec.commandLine().getOut(), Preflight.ofHost())
        .run(dataDir.toAbsolutePath().normalize(), client, once);
  }

  private FuseClient client() {
    FuseClient client = null;
    try {
      client = FuseClient.parse("--fuse-client", fuseClient);
    } catch (DriverException e) {
      // named below, with the clients the demo supports
    }
    if (client != FuseClient.S3FS && client != FuseClient.RCLONE) {
      throw new ParameterException(
          spec.commandLine(),
          "--fuse-client: the demo mounts with s3fs or rclone, got '" + fuseClient + "'");
    }
    return client;
  }
}
