package io.s3csi.core.fuse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line of Mountpoint for Amazon S3 ({@code mount-s3}) from its documented flags:
 * {@code mount-s3 BUCKET DIR --foreground [--prefix=P] [--region=R] [--endpoint-url=U]
 * [--force-path-style] [--read-only] [--allow-other] [--gid=G] [options...]}. Values are always
 * joined to their flag with {@code =}, so a value can never be read as another flag. Credentials
 * reach it through the AWS SDK's standard files and variables.
 */
final class MountS3Command {
  static final String PROGRAM = "mount-s3";

  private MountS3Command() {}

  static FuseCommand build(MountSpec spec, Path dir) {
    List<String> argv = new ArrayList<>();
    argv.add(PROGRAM);
    argv.add(spec.bucket());
    argv.add(spec.target().toString());
    argv.add("--foreground");
    spec.prefix().ifPresent(p -> add(argv, "--prefix", p));
    spec.region().ifPresent(r -> add(argv, "--region", r));
    spec.endpoint().ifPresent(e -> add(argv, "--endpoint-url", e.toString()));
    if (spec.pathStyle()) {
      argv.add("--force-path-style");
    }
    if (spec.readOnly()) {
      argv.add("--read-only");
    }
    if (!spec.options().has("allow-root")) {
      argv.add("--allow-other");
    }
    if (spec.mountGroup().isPresent() && !spec.options().has("gid")) {
      add(argv, "--gid", spec.mountGroup().get());
      // The group kubelet asks for should be able to write, as with any fsGroup volume.
      if (!spec.options().has("dir-mode")) {
        add(argv, "--dir-mode", "0775");
      }
      if (!spec.options().has("file-mode")) {
        add(argv, "--file-mode", "0664");
      }
    }
    for (MountOption option : spec.options().options()) {
      if (option.name().equals("allow-other")) {
        continue;
      }
      argv.add("--" + option.name() + option.value().map(v -> "=" + v).orElse(""));
    }
    Map<String, String> env = ClientEnvironment.base(dir);
    List<PrivateFile> files = new ArrayList<>();
    ClientEnvironment.addAwsSdkCredentials(
        env, files, dir, spec.credentials(), spec.volumeId() + spec.target());
    return new FuseCommand(argv, env, files, dir);
  }

  private static void add(List<String> argv, String flag, String value) {
    argv.add(flag + "=" + value);
  }
}
