package io.s3csi.launcher;

import io.s3csi.core.credentials.EnvironmentCredentialProvider;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.MountOptions;
import io.s3csi.core.mount.Mounter;
import io.s3csi.core.node.NodeConfig;
import io.s3csi.core.node.NodeService;
import io.s3csi.core.node.PublishRequest;
import io.s3csi.core.node.PublishResult;
import io.s3csi.core.node.VolumeLocks;
import io.s3csi.core.volume.AccessMode;
import io.s3csi.core.volume.VolumeCapability;
import io.s3csi.core.volume.VolumeContext;
import io.s3csi.systemd.ManagedMount;
import io.s3csi.systemd.ProcessMounter;
import io.s3csi.systemd.SystemdMounter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code s3csi mount}: mounts a bucket (or a prefix of it) at a directory of this host, with the
 * same checks, FUSE command lines and mounters as the node plugin. The mount is published through
 * the core's {@link NodeService} with the directory as the target and {@code /} as the kubelet
 * root, so the bucket, the options and the credentials are validated exactly as for a volume.
 */
@Command(
    name = "mount",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Mounts BUCKET, or the keys under BUCKET/PREFIX, at DIR through a FUSE client and returns"
          + " once the mount serves.",
      "The client runs as the systemd unit s3csi-mount-<hash of DIR>.service, which outlives this"
          + " command; 's3csi unmount DIR' stops it. With --foreground the client is a child of"
          + " this command instead, until Ctrl-C.",
      "Credentials come from the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and"
          + " AWS_SESSION_TOKEN), or AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, else the"
          + " machine's instance role. They reach the client only through root-only files.",
      "Exit codes: 0 mounted (or already mounted), 1 the mount failed, 2 bad command line."
    })
final class MountCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "BUCKET[/PREFIX]",
      description = "The bucket, optionally followed by the key prefix to mount as the root.")
  String source;

  @Parameters(index = "1", paramLabel = "DIR", description = "An existing directory.")
  String directory;

  @Option(
      names = "--fuse-client",
      defaultValue = "mount-s3",
      paramLabel = "mount-s3|s3fs|rclone",
      description = "The FUSE client (default: ${DEFAULT-VALUE}).")
  String fuseClient;

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      description = "The S3 endpoint (default: AWS S3).")
  String endpointUrl;

  @Option(names = "--region", paramLabel = "REGION", description = "The bucket's region.")
  String region;

  @Option(names = "--path-style", description = "Use path-style addressing.")
  boolean pathStyle;

  @Option(names = "--read-only", description = "Mount read-only.")
  boolean readOnly;

  @Option(
      names = {"-o", "--option"},
      paramLabel = "OPTION",
      description =
          "An option for the client, as a PersistentVolume's mountOptions (name, name=value or"
              + " a,b=c); repeatable. Only the options s3csi allows for the client are accepted.")
  List<String> options = new ArrayList<>();

  @Option(
      names = "--foreground",
      description =
          "Run the client as a child of this command instead of a systemd unit; Ctrl-C unmounts.")
  boolean foreground;

  @Mixin BareHostOptions host;

  @Override
  public Integer call() throws Exception {
    BareHost config = host.config();
    Path target = target();
    PublishRequest request = request(target);
    NodeConfig node = nodeConfig();
    Logging.configure(java.util.logging.Level.WARNING);
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (foreground) {
        try (ProcessMounter mounter = config.processMounter()) {
          publish(node, mounter, request);
          out.println("mounted " + source + " at " + target + "; Ctrl-C unmounts");
          return ForegroundMount.serve(mounter, target, out, spec.commandLine().getErr());
        }
      }
      try (SystemdMounter mounter = config.systemdMounter()) {
        PublishResult result = publish(node, mounter, request);
        Optional<ManagedMount> mount = mounter.managed(target);
        out.println(
            (result == PublishResult.ALREADY_MOUNTED ? "already mounted " : "mounted ")
                + mount.map(m -> m.bucket() + "/" + m.prefix().orElse("")).orElse(source)
                + " at "
                + target
                + mount.map(m -> " (unit " + m.unit() + ")").orElse(""));
        return S3csi.EXIT_OK;
      }
    } catch (InvalidArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), parameterOf(e.field()) + ": " + e.reason(), e);
    } catch (DriverException e) {
      // kept on several lines: the client's own last words are quoted one per line
      spec.commandLine().getErr().println("s3csi mount: " + e.getMessage());
      return S3csi.EXIT_FAILURE;
    }
  }

  private PublishResult publish(NodeConfig node, Mounter mounter, PublishRequest request) {
    NodeService service =
        new NodeService(
            node, mounter, new EnvironmentCredentialProvider(System.getenv()), new VolumeLocks());
    return service.publish(request);
  }

  private Path target() {
    Path target;
    try {
      target = Path.of(directory).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ParameterException(
          spec.commandLine(), "DIR: is not a valid path: " + e.getReason());
    }
    if (!Files.isDirectory(target)) {
      throw new ParameterException(
          spec.commandLine(),
          "DIR: "
              + target
              + (Files.exists(target)
                  ? " is not a directory"
                  : " does not exist; create it first"));
    }
    return target;
  }

  private PublishRequest request(Path target) {
    VolumeCapability capability =
        new VolumeCapability(
            readOnly ? AccessMode.SINGLE_NODE_READER_ONLY : AccessMode.SINGLE_NODE_WRITER,
            options,
            Optional.empty());
    return new PublishRequest(source, target.toString(), capability, readOnly, Map.of(), Map.of());
  }

  private NodeConfig nodeConfig() {
    try {
      return new NodeConfig(
          "bare-host",
          Path.of("/"),
          FuseClient.parse("--fuse-client", fuseClient),
          VolumeContext.endpoint("--endpoint-url", endpointUrl),
          VolumeContext.region("--region", region),
          pathStyle,
          0);
    } catch (IllegalArgumentException | DriverException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** The command-line parameter that a field of the core's validation stands for. */
  static String parameterOf(String field) {
    return switch (field) {
      case "volume_id", VolumeContext.BUCKET_NAME, VolumeContext.PREFIX -> "BUCKET[/PREFIX]";
      case "target_path" -> "DIR";
      case MountOptions.FIELD -> "-o";
      case VolumeContext.FUSE_CLIENT -> "--fuse-client";
      default -> field;
    };
  }
}
