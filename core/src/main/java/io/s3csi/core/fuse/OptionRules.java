package io.s3csi.core.fuse;

import java.util.Map;
import java.util.Set;

/**
 * The options each FUSE client may receive from a volume, and the ones no volume may set. The
 * allow-lists hold options that tune behaviour, permissions and performance; everything that would
 * change where data goes, which identity is used, where the client writes on the host or how it is
 * supervised stays with the driver.
 */
final class OptionRules {

  /** Whether an option takes a value. */
  enum Arity {
    FLAG,
    VALUE,
    OPTIONAL_VALUE
  }

  private static final String WHERE =
      "changes where data goes; set the endpointUrl volume attribute or the driver's"
          + " --s3-endpoint-url instead";
  private static final String IDENTITY =
      "changes which identity is used; use the authenticationSource attribute and a node-publish"
          + " secret instead";
  private static final String HOST_PATH =
      "points the client at a host path outside the driver's control";
  private static final String SUPERVISION =
      "the driver runs the client in the foreground under its own supervisor";

  /** Options refused for every client, with the reason shown to the user. */
  static final Map<String, String> DENIED =
      Map.ofEntries(
          Map.entry("endpoint-url", WHERE),
          Map.entry("url", WHERE),
          Map.entry("s3-endpoint", WHERE),
          Map.entry("host", WHERE),
          Map.entry("servicepath", WHERE),
          Map.entry("bucket", WHERE),
          Map.entry("profile", IDENTITY),
          Map.entry("s3-profile", IDENTITY),
          Map.entry("passwd-file", IDENTITY),
          Map.entry("credlib", IDENTITY),
          Map.entry("credlib-opts", IDENTITY),
          Map.entry("iam-role", IDENTITY),
          Map.entry("ibm-iam-auth", IDENTITY),
          Map.entry("ecs", IDENTITY),
          Map.entry("public-bucket", IDENTITY),
          Map.entry("no-sign-request", IDENTITY),
          Map.entry("s3-access-key-id", IDENTITY),
          Map.entry("s3-secret-access-key", IDENTITY),
          Map.entry("s3-session-token", IDENTITY),
          Map.entry("s3-env-auth", IDENTITY),
          Map.entry("s3-shared-credentials-file", IDENTITY),
          Map.entry("s3-role-arn", IDENTITY),
          Map.entry("config", IDENTITY),
          Map.entry("cache", HOST_PATH),
          Map.entry("cache-dir", HOST_PATH),
          Map.entry("use-cache", HOST_PATH),
          Map.entry("tmpdir", HOST_PATH),
          Map.entry("temp-dir", HOST_PATH),
          Map.entry("log-directory", HOST_PATH),
          Map.entry("log-file", HOST_PATH),
          Map.entry("logfile", HOST_PATH),
          Map.entry("foreground", SUPERVISION),
          Map.entry("f", SUPERVISION),
          Map.entry("daemon", SUPERVISION),
          Map.entry("background", SUPERVISION),
          Map.entry("auto-unmount", SUPERVISION),
          Map.entry("rc", "starts a remote-control server next to the mount"),
          Map.entry("rc-addr", "starts a remote-control server next to the mount"));

  /** Options that select read-only, region, prefix or path style; handled by the driver. */
  static final Set<String> READ_ONLY = Set.of("ro", "read-only");

  static final Set<String> READ_WRITE = Set.of("rw");

  static final Set<String> REGION = Set.of("region", "s3-region");

  static final Set<String> PREFIX = Set.of("prefix");

  static final Set<String> PATH_STYLE =
      Set.of("force-path-style", "use-path-request-style", "s3-force-path-style");

  private static final Map<String, Arity> MOUNT_S3 =
      Map.ofEntries(
          Map.entry("allow-delete", Arity.FLAG),
          Map.entry("allow-overwrite", Arity.FLAG),
          Map.entry("allow-other", Arity.FLAG),
          Map.entry("allow-root", Arity.FLAG),
          Map.entry("incremental-upload", Arity.FLAG),
          Map.entry("transfer-acceleration", Arity.FLAG),
          Map.entry("dual-stack", Arity.FLAG),
          Map.entry("requester-pays", Arity.FLAG),
          Map.entry("debug", Arity.FLAG),
          Map.entry("debug-crt", Arity.FLAG),
          Map.entry("no-log", Arity.FLAG),
          Map.entry("log-metrics", Arity.FLAG),
          Map.entry("uid", Arity.VALUE),
          Map.entry("gid", Arity.VALUE),
          Map.entry("dir-mode", Arity.VALUE),
          Map.entry("file-mode", Arity.VALUE),
          Map.entry("max-threads", Arity.VALUE),
          Map.entry("part-size", Arity.VALUE),
          Map.entry("read-part-size", Arity.VALUE),
          Map.entry("write-part-size", Arity.VALUE),
          Map.entry("storage-class", Arity.VALUE),
          Map.entry("sse", Arity.VALUE),
          Map.entry("sse-kms-key-id", Arity.VALUE),
          Map.entry("upload-checksums", Arity.VALUE),
          Map.entry("expected-bucket-owner", Arity.VALUE),
          Map.entry("metadata-ttl", Arity.VALUE),
          Map.entry("negative-metadata-ttl", Arity.VALUE),
          Map.entry("max-cache-size", Arity.VALUE),
          Map.entry("maximum-throughput-gbps", Arity.VALUE),
          Map.entry("user-agent-prefix", Arity.VALUE));

  private static final Map<String, Arity> S3FS =
      Map.ofEntries(
          Map.entry("allow-other", Arity.FLAG),
          Map.entry("allow-root", Arity.FLAG),
          Map.entry("nonempty", Arity.FLAG),
          Map.entry("enable-noobj-cache", Arity.FLAG),
          Map.entry("complement-stat", Arity.FLAG),
          Map.entry("compat-dir", Arity.FLAG),
          Map.entry("notsup-compat-dir", Arity.FLAG),
          Map.entry("nomultipart", Arity.FLAG),
          Map.entry("enable-content-md5", Arity.FLAG),
          Map.entry("noxmlns", Arity.FLAG),
          Map.entry("nocopyapi", Arity.FLAG),
          Map.entry("norenameapi", Arity.FLAG),
          Map.entry("curldbg", Arity.FLAG),
          Map.entry("kernel-cache", Arity.FLAG),
          Map.entry("use-xattr", Arity.FLAG),
          Map.entry("sigv2", Arity.FLAG),
          Map.entry("sigv4", Arity.FLAG),
          Map.entry("streamupload", Arity.FLAG),
          Map.entry("no-check-certificate", Arity.FLAG),
          Map.entry("uid", Arity.VALUE),
          Map.entry("gid", Arity.VALUE),
          Map.entry("umask", Arity.VALUE),
          Map.entry("mp-umask", Arity.VALUE),
          Map.entry("max-stat-cache-size", Arity.VALUE),
          Map.entry("stat-cache-expire", Arity.VALUE),
          Map.entry("stat-cache-interval-expire", Arity.VALUE),
          Map.entry("multipart-size", Arity.VALUE),
          Map.entry("multipart-copy-size", Arity.VALUE),
          Map.entry("singlepart-copy-limit", Arity.VALUE),
          Map.entry("parallel-count", Arity.VALUE),
          Map.entry("multireq-max", Arity.VALUE),
          Map.entry("storage-class", Arity.VALUE),
          Map.entry("default-acl", Arity.VALUE),
          Map.entry("retries", Arity.VALUE),
          Map.entry("connect-timeout", Arity.VALUE),
          Map.entry("readwrite-timeout", Arity.VALUE),
          Map.entry("list-object-max-keys", Arity.VALUE),
          Map.entry("max-dirty-data", Arity.VALUE),
          Map.entry("ensure-diskfree", Arity.VALUE),
          Map.entry("dbglevel", Arity.VALUE),
          Map.entry("use-sse", Arity.OPTIONAL_VALUE));

  private static final Map<String, Arity> RCLONE =
      Map.ofEntries(
          Map.entry("allow-other", Arity.FLAG),
          Map.entry("allow-root", Arity.FLAG),
          Map.entry("allow-non-empty", Arity.FLAG),
          Map.entry("default-permissions", Arity.FLAG),
          Map.entry("write-back-cache", Arity.FLAG),
          Map.entry("no-modtime", Arity.FLAG),
          Map.entry("no-checksum", Arity.FLAG),
          Map.entry("no-seek", Arity.FLAG),
          Map.entry("vfs-fast-fingerprint", Arity.FLAG),
          Map.entry("s3-no-check-bucket", Arity.FLAG),
          Map.entry("s3-no-head", Arity.FLAG),
          Map.entry("s3-no-head-object", Arity.FLAG),
          Map.entry("s3-requester-pays", Arity.FLAG),
          Map.entry("s3-disable-checksum", Arity.FLAG),
          Map.entry("uid", Arity.VALUE),
          Map.entry("gid", Arity.VALUE),
          Map.entry("umask", Arity.VALUE),
          Map.entry("dir-perms", Arity.VALUE),
          Map.entry("file-perms", Arity.VALUE),
          Map.entry("vfs-cache-mode", Arity.VALUE),
          Map.entry("vfs-cache-max-age", Arity.VALUE),
          Map.entry("vfs-cache-max-size", Arity.VALUE),
          Map.entry("vfs-cache-poll-interval", Arity.VALUE),
          Map.entry("vfs-read-chunk-size", Arity.VALUE),
          Map.entry("vfs-read-chunk-size-limit", Arity.VALUE),
          Map.entry("vfs-read-ahead", Arity.VALUE),
          Map.entry("vfs-write-back", Arity.VALUE),
          Map.entry("dir-cache-time", Arity.VALUE),
          Map.entry("poll-interval", Arity.VALUE),
          Map.entry("attr-timeout", Arity.VALUE),
          Map.entry("buffer-size", Arity.VALUE),
          Map.entry("max-read-ahead", Arity.VALUE),
          Map.entry("transfers", Arity.VALUE),
          Map.entry("checkers", Arity.VALUE),
          Map.entry("multi-thread-streams", Arity.VALUE),
          Map.entry("log-level", Arity.VALUE),
          Map.entry("s3-upload-concurrency", Arity.VALUE),
          Map.entry("s3-chunk-size", Arity.VALUE),
          Map.entry("s3-upload-cutoff", Arity.VALUE),
          Map.entry("s3-list-chunk", Arity.VALUE),
          Map.entry("s3-storage-class", Arity.VALUE),
          Map.entry("s3-acl", Arity.VALUE),
          Map.entry("s3-server-side-encryption", Arity.VALUE),
          Map.entry("s3-sse-kms-key-id", Arity.VALUE));

  private OptionRules() {}

  static Map<String, Arity> allowed(FuseClient client) {
    return switch (client) {
      case MOUNT_S3 -> MOUNT_S3;
      case S3FS -> S3FS;
      case RCLONE -> RCLONE;
    };
  }
}
