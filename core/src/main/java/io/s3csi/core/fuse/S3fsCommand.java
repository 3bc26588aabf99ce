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
 * options...]}. Static keys go in a passwd file of mode 0600; s3fs cannot read a session token from
 * a private file, so temporary credentials are refused for it.
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
    if (!spec.options().has("sigv2") && !spec.options().has("sigv4")) {
      // Without it s3fs falls back to signature v2 after a failed check, which hides the error.
      option(argv, "sigv4", null);
    }
    if (!spec.options().has("umask")) {
      // s3fs shows objects without mode metadata as 0640/0750 for root: unreadable by workloads.
      option(argv, "umask", spec.mountGroup().isPresent() ? "0002" : "0022");
    }
    Map<String, String> env = ClientEnvironment.base(dir);
    List<PrivateFile> files = new ArrayList<>();
    if (spec.credentials() instanceof StaticCredentials keys) {
      if (keys.sessionToken().isPresent()) {
        // s3fs 1.90 reads a session token only from the environment or root's own
        // ~/.aws/credentials; neither is a private per-mount file.
        throw new InvalidArgumentException(
            "fuseClient",
            "s3fs cannot take a session token from a private file; use mount-s3 or rclone for"
                + " temporary credentials, or long-lived keys with s3fs");
      }
      Path passwd = dir.resolve("passwd-s3fs");
      String line = keys.accessKeyId() + ":" + keys.secretAccessKey().reveal() + "\n";
      files.add(new PrivateFile(passwd, Secret.of(line)));
      option(argv, "passwd_file", passwd.toString());
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
