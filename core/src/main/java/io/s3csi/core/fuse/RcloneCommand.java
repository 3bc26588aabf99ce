package io.s3csi.core.fuse;

import io.s3csi.core.credentials.InstanceCredentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.credentials.WebIdentityCredentials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line of {@code rclone mount}: a private configuration file defines one S3
 * remote with the endpoint, region, addressing style and (for static keys) the keys; the mount runs
 * in the foreground with its VFS cache in the mount's private directory. Files are uploaded as soon
 * as they are closed ({@code --vfs-write-back 0s}) so that an unmount loses nothing.
 */
final class RcloneCommand {
  static final String PROGRAM = "rclone";
  static final String REMOTE = "s3csi";

  private RcloneCommand() {}

  static FuseCommand build(MountSpec spec, Path dir) {
    Path config = dir.resolve("rclone.conf");
    Map<String, String> env = ClientEnvironment.base(dir);
    List<PrivateFile> files = new ArrayList<>();
    StringBuilder conf = new StringBuilder("[" + REMOTE + "]\n");
    line(conf, "type", "s3");
    line(conf, "provider", spec.endpoint().isPresent() ? "Other" : "AWS");
    spec.endpoint().ifPresent(e -> line(conf, "endpoint", e.toString()));
    spec.region().ifPresent(r -> line(conf, "region", r));
    line(conf, "force_path_style", Boolean.toString(spec.pathStyle()));
    // Never create a bucket as a side effect of a write to a missing one.
    line(conf, "no_check_bucket", "true");
    if (spec.credentials() instanceof StaticCredentials keys) {
      line(conf, "env_auth", "false");
      line(conf, "access_key_id", keys.accessKeyId());
      line(conf, "secret_access_key", keys.secretAccessKey().reveal());
      keys.sessionToken().ifPresent(t -> line(conf, "session_token", t.reveal()));
    } else if (spec.credentials() instanceof WebIdentityCredentials web) {
      line(conf, "env_auth", "true");
      ClientEnvironment.addAwsSdkCredentials(env, files, dir, web, spec.volumeId() + spec.target());
    } else if (spec.credentials() instanceof InstanceCredentials) {
      line(conf, "env_auth", "true");
    }
    files.add(new PrivateFile(config, Secret.of(conf.toString())));

    List<String> argv = new ArrayList<>();
    argv.add(PROGRAM);
    argv.add("mount");
    argv.add(REMOTE + ":" + spec.bucket() + "/" + spec.prefix().orElse(""));
    argv.add(spec.target().toString());
    argv.add("--config=" + config);
    argv.add("--cache-dir=" + dir.resolve("cache"));
    if (!spec.options().has("vfs-cache-mode")) {
      argv.add("--vfs-cache-mode=writes");
    }
    if (!spec.options().has("vfs-write-back")) {
      argv.add("--vfs-write-back=0s");
    }
    if (!spec.options().has("umask")) {
      // rclone otherwise takes the process umask, which is 077 under many supervisors.
      argv.add("--umask=" + (spec.mountGroup().isPresent() ? "002" : "022"));
    }
    if (spec.readOnly()) {
      argv.add("--read-only");
    }
    if (!spec.options().has("allow-root")) {
      argv.add("--allow-other");
    }
    if (spec.mountGroup().isPresent() && !spec.options().has("gid")) {
      argv.add("--gid=" + spec.mountGroup().get());
    }
    for (MountOption option : spec.options().options()) {
      if (!option.name().equals("allow-other")) {
        argv.add("--" + option.name() + option.value().map(v -> "=" + v).orElse(""));
      }
    }
    return new FuseCommand(argv, env, files, dir);
  }

  private static void line(StringBuilder conf, String key, String value) {
    conf.append(key).append(" = ").append(value).append('\n');
  }
}
