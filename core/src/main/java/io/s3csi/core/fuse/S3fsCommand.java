package io.s3csi.core.fuse;

import io.s3csi.core.credentials.InstanceCredentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.credentials.WebIdentityCredentials;
import io.s3csi.core.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line of s3fs-fuse: {@code s3fs BUCKET[:/PREFIX] DIR -f -o url=U -o
 * endpoint=REGION [-o use_path_request_style] [-o ro] -o allow_other -o passwd_file=F [-o
 * options...]}. Static keys without a session token go in a passwd file; keys with a session token
 * go in an AWS credentials file under the client's private HOME.
 */
final class S3fsCommand {
  static final String PROGRAM = "s3fs";

  private S3fsCommand() {}

  static FuseCommand build(MountSpec spec, Path dir) {
    List<String> argv = new ArrayList<>();
    argv.add(PROGRAM);
    String prefix = spec.prefix().map(p -> ":/" + p.substring(0, p.length() - 1)).orElse("");
    argv.add(spec.bucket() + prefix);
    argv.add(spec.target().toString());
    argv.add("-f");
    option(argv, "url", url(spec));
    spec.region().ifPresent(region -> option(argv, "endpoint", region));
    if (spec.pathStyle()) {
      option(argv, "use_path_request_style", null);
    }
    if (spec.readOnly()) {
      option(argv, "ro", null);
    }
    if (!spec.options().has("allow-root")) {
      option(argv, "allow_other", null);
    }
    if (spec.mountGroup().isPresent() && !spec.options().has("gid")) {
      option(argv, "gid", spec.mountGroup().get());
    }
    Map<String, String> env = ClientEnvironment.base(dir);
    List<PrivateFile> files = new ArrayList<>();
    if (spec.credentials() instanceof StaticCredentials keys) {
      if (keys.sessionToken().isEmpty()) {
        Path passwd = dir.resolve("passwd-s3fs");
        String line = keys.accessKeyId() + ":" + keys.secretAccessKey().reveal() + "\n";
        files.add(new PrivateFile(passwd, Secret.of(line)));
        option(argv, "passwd_file", passwd.toString());
      } else {
        files.add(new PrivateFile(dir.resolve(".aws/credentials"), Ini.awsCredentials(keys)));
        option(argv, "profile", "default");
      }
    } else if (spec.credentials() instanceof InstanceCredentials) {
      option(argv, "iam_role", "auto");
    } else if (spec.credentials() instanceof WebIdentityCredentials) {
      throw new InvalidArgumentException(
          "fuseClient",
          "s3fs cannot assume a role with a web-identity token; use mount-s3 or rclone for"
              + " authenticationSource pod");
    }
    for (MountOption option : spec.options().options()) {
      if (!option.name().equals("allow-other")) {
        option(argv, option.underscoredName(), option.value().orElse(null));
      }
    }
    return new FuseCommand(argv, env, files, dir);
  }

  private static String url(MountSpec spec) {
    if (spec.endpoint().isPresent()) {
      return spec.endpoint().get().toString();
    }
    return spec.region()
        .map(r -> "https://s3." + r + ".amazonaws.com")
        .orElse("https://s3.amazonaws.com");
  }

  private static void option(List<String> argv, String name, String value) {
    argv.add("-o");
    argv.add(value == null ? name : name + "=" + value);
  }
}
