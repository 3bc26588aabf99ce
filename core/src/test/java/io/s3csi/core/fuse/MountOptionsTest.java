package io.s3csi.core.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MountOptionsTest {

  private static final String MOUNT_S3_ALLOWED =
      "allow-delete, allow-other, allow-overwrite, allow-root, debug, debug-crt, dir-mode,"
          + " dual-stack, expected-bucket-owner, file-mode, gid, incremental-upload, log-metrics,"
          + " max-cache-size, max-threads, maximum-throughput-gbps, metadata-ttl,"
          + " negative-metadata-ttl, no-log, part-size, read-part-size, requester-pays, sse,"
          + " sse-kms-key-id, storage-class, transfer-acceleration, uid, upload-checksums,"
          + " user-agent-prefix, write-part-size";

  private static final String S3FS_ALLOWED =
      "allow-other, allow-root, compat-dir, complement-stat, connect-timeout, curldbg, dbglevel,"
          + " default-acl, enable-content-md5, enable-noobj-cache, ensure-diskfree, gid,"
          + " kernel-cache, list-object-max-keys, max-dirty-data, max-stat-cache-size, mp-umask,"
          + " multipart-copy-size, multipart-size, multireq-max, no-check-certificate, nocopyapi,"
          + " nomultipart, nonempty, norenameapi, notsup-compat-dir, noxmlns, parallel-count,"
          + " readwrite-timeout, retries, sigv2, sigv4, singlepart-copy-limit, stat-cache-expire,"
          + " stat-cache-interval-expire, storage-class, streamupload, uid, umask, use-sse,"
          + " use-xattr";

  private static final String RCLONE_ALLOWED =
      "allow-non-empty, allow-other, allow-root, attr-timeout, buffer-size, checkers,"
          + " default-permissions, dir-cache-time, dir-perms, file-perms, gid, log-level,"
          + " max-read-ahead, multi-thread-streams, no-checksum, no-modtime, no-seek,"
          + " poll-interval, s3-acl, s3-chunk-size, s3-disable-checksum, s3-list-chunk,"
          + " s3-no-check-bucket, s3-no-head, s3-no-head-object, s3-requester-pays,"
          + " s3-server-side-encryption, s3-sse-kms-key-id, s3-storage-class,"
          + " s3-upload-concurrency, s3-upload-cutoff, transfers, uid, umask, vfs-cache-max-age,"
          + " vfs-cache-max-size, vfs-cache-mode, vfs-cache-poll-interval, vfs-fast-fingerprint,"
          + " vfs-read-ahead, vfs-read-chunk-size, vfs-read-chunk-size-limit, vfs-write-back,"
          + " write-back-cache";

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
  private static final String REMOTE_CONTROL = "starts a remote-control server next to the mount";

  private static final String BAD_VALUE =
      "' has a value with characters that are not allowed (letters, digits and ._:/@+=%- only,"
          + " not starting with '-'; give several options as separate entries or as -o a,b)";

  private static MountOption option(String name) {
    return new MountOption(name, Optional.empty());
  }

  private static MountOption option(String name, String value) {
    return new MountOption(name, Optional.of(value));
  }

  private static void assertInvalid(FuseClient client, List<String> flags, String message) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> MountOptions.parse(client, flags))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo("mountOptions");
              assertThat(e.getMessage()).isEqualTo("mountOptions: " + message);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "uid 1000",
        "uid=1000",
        "--uid 1000",
        "--uid=1000",
        "-uid 1000",
        "-uid=1000",
        "-o uid=1000",
        "UID=1000",
        "--Uid 1000",
        "  uid=1000  ",
        "uid\t1000"
      })
  void parse_everySpellingOfAValueOption_normalizesToTheSameOption(String flag) {
    MountOptions options = MountOptions.parse(FuseClient.MOUNT_S3, List.of(flag));

    assertThat(options.options()).containsExactly(option("uid", "1000"));
    assertThat(options.value("uid")).contains("1000");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "allow-delete",
        "allow_delete",
        "--allow-delete",
        "--allow_delete",
        "-allow-delete",
        "ALLOW-DELETE",
        "--Allow_Delete",
        "-o allow_delete",
        "-o allow-delete,"
      })
  void parse_everySpellingOfAFlag_normalizesToTheSameOption(String flag) {
    MountOptions options = MountOptions.parse(FuseClient.MOUNT_S3, List.of(flag));

    assertThat(options.options()).containsExactly(option("allow-delete"));
    assertThat(options.has("allow-delete")).isTrue();
    assertThat(options.value("allow-delete")).isEmpty();
  }

  @Test
  void parse_dashOList_splitsAtCommas() {
    MountOptions options =
        MountOptions.parse(FuseClient.S3FS, List.of("-o allow_other,uid=1000,gid=2000,nonempty"));

    assertThat(options.options())
        .containsExactly(
            option("allow-other"),
            option("uid", "1000"),
            option("gid", "2000"),
            option("nonempty"));
  }

  @Test
  void parse_valueContainingEquals_keepsEverythingAfterTheFirstEquals() {
    MountOptions options =
        MountOptions.parse(FuseClient.S3FS, List.of("use_sse=custom:dGVzdGtleQ=="));

    assertThat(options.options()).containsExactly(option("use-sse", "custom:dGVzdGtleQ=="));
  }

  @Test
  void parse_optionalValueOption_acceptsBothForms() {
    assertThat(MountOptions.parse(FuseClient.S3FS, List.of("use_sse")).options())
        .containsExactly(option("use-sse"));
    assertThat(MountOptions.parse(FuseClient.S3FS, List.of("use_sse=kmsid")).options())
        .containsExactly(option("use-sse", "kmsid"));
  }

  @Test
  void parse_identicalDuplicates_areMerged() {
    MountOptions options =
        MountOptions.parse(
            FuseClient.MOUNT_S3,
            List.of("uid=1000", "--uid 1000", "allow-delete", "-o uid=1000,allow_delete", "gid=1"));

    assertThat(options.options())
        .containsExactly(option("uid", "1000"), option("allow-delete"), option("gid", "1"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "uid=1000|uid=1001|uid",
        "--dir-mode 0755|dir_mode=0777|dir-mode",
        "allow-delete|allow-delete=true|allow-delete"
      })
  void parse_conflictingDuplicates_areRejectedNamingTheOption(
      String first, String second, String name) {
    assertInvalid(
        FuseClient.MOUNT_S3,
        List.of(first, second),
        "option '" + name + "' is given twice with different values");
  }

  static Stream<Arguments> allowedOptions() {
    return Stream.of(
        arguments(
            FuseClient.MOUNT_S3,
            List.of(
                "allow-delete",
                "allow-overwrite",
                "incremental-upload",
                "--max-threads 64",
                "--part-size=8388608",
                "storage-class INTELLIGENT_TIERING",
                "--sse aws:kms",
                "--sse-kms-key-id arn:aws:kms:us-east-1:123456789012:key/1234abcd",
                "--metadata-ttl indefinite",
                "--file-mode 0644"),
            List.of(
                option("allow-delete"),
                option("allow-overwrite"),
                option("incremental-upload"),
                option("max-threads", "64"),
                option("part-size", "8388608"),
                option("storage-class", "INTELLIGENT_TIERING"),
                option("sse", "aws:kms"),
                option("sse-kms-key-id", "arn:aws:kms:us-east-1:123456789012:key/1234abcd"),
                option("metadata-ttl", "indefinite"),
                option("file-mode", "0644"))),
        arguments(
            FuseClient.S3FS,
            List.of(
                "-o nonempty,complement_stat",
                "umask=0022",
                "multipart_size=64",
                "enable_noobj_cache",
                "stat_cache_expire=30"),
            List.of(
                option("nonempty"),
                option("complement-stat"),
                option("umask", "0022"),
                option("multipart-size", "64"),
                option("enable-noobj-cache"),
                option("stat-cache-expire", "30"))),
        arguments(
            FuseClient.RCLONE,
            List.of(
                "--vfs-cache-mode full",
                "--vfs-cache-max-size=10G",
                "--dir-cache-time 5m0s",
                "--no-modtime",
                "--s3-chunk-size 16M",
                "--transfers=8"),
            List.of(
                option("vfs-cache-mode", "full"),
                option("vfs-cache-max-size", "10G"),
                option("dir-cache-time", "5m0s"),
                option("no-modtime"),
                option("s3-chunk-size", "16M"),
                option("transfers", "8"))));
  }

  @ParameterizedTest
  @MethodSource("allowedOptions")
  void parse_allowedOptions_areKeptInOrder(
      FuseClient client, List<String> flags, List<MountOption> expected) {
    MountOptions options = MountOptions.parse(client, flags);

    assertThat(options.client()).isEqualTo(client);
    assertThat(options.options()).containsExactlyElementsOf(expected);
    assertThat(options.readOnly()).isFalse();
    assertThat(options.pathStyle()).isFalse();
    assertThat(options.region()).isEmpty();
    assertThat(options.prefix()).isEmpty();
  }

  static Stream<Arguments> unknownOptions() {
    return Stream.of(
        arguments(FuseClient.MOUNT_S3, "nonempty", MOUNT_S3_ALLOWED),
        arguments(FuseClient.MOUNT_S3, "--vfs-cache-mode=full", MOUNT_S3_ALLOWED),
        arguments(FuseClient.S3FS, "allow-delete", S3FS_ALLOWED),
        arguments(FuseClient.S3FS, "prefix=some/path", S3FS_ALLOWED),
        arguments(FuseClient.RCLONE, "--max-threads 8", RCLONE_ALLOWED),
        arguments(FuseClient.RCLONE, "prefix some/path", RCLONE_ALLOWED));
  }

  @ParameterizedTest
  @MethodSource("unknownOptions")
  void parse_optionNotInTheClientsAllowList_isRejectedWithTheAllowedList(
      FuseClient client, String flag, String allowed) {
    String name = flag.replaceFirst("^-+", "").split("[= ]")[0];

    assertInvalid(
        client,
        List.of(flag),
        "option '"
            + name
            + "' is not an option s3csi passes to "
            + client.id()
            + "; allowed: "
            + allowed);
  }

  static Stream<Arguments> deniedOptions() {
    return Stream.of(
        arguments(FuseClient.MOUNT_S3, "--endpoint-url http://evil.example", "endpoint-url", WHERE),
        arguments(FuseClient.S3FS, "-o url=http://evil.example", "url", WHERE),
        arguments(FuseClient.S3FS, "host=evil.example", "host", WHERE),
        arguments(FuseClient.MOUNT_S3, "bucket=other", "bucket", WHERE),
        arguments(FuseClient.MOUNT_S3, "--profile admin", "profile", IDENTITY),
        arguments(FuseClient.S3FS, "-o passwd_file=/etc/passwd-s3fs", "passwd-file", IDENTITY),
        arguments(FuseClient.S3FS, "iam_role=admin", "iam-role", IDENTITY),
        arguments(FuseClient.MOUNT_S3, "--no-sign-request", "no-sign-request", IDENTITY),
        arguments(FuseClient.RCLONE, "--config /root/.rclone.conf", "config", IDENTITY),
        arguments(
            FuseClient.RCLONE, "--s3-access-key-id AKIAEXAMPLE", "s3-access-key-id", IDENTITY),
        arguments(FuseClient.RCLONE, "--s3-env-auth", "s3-env-auth", IDENTITY),
        arguments(FuseClient.MOUNT_S3, "--cache /var/cache", "cache", HOST_PATH),
        arguments(FuseClient.RCLONE, "--cache-dir=/var/cache", "cache-dir", HOST_PATH),
        arguments(FuseClient.S3FS, "use_cache=/tmp", "use-cache", HOST_PATH),
        arguments(FuseClient.MOUNT_S3, "--log-directory /var/log", "log-directory", HOST_PATH),
        arguments(FuseClient.MOUNT_S3, "--foreground", "foreground", SUPERVISION),
        arguments(FuseClient.S3FS, "-f", "f", SUPERVISION),
        arguments(FuseClient.RCLONE, "--daemon", "daemon", SUPERVISION),
        arguments(FuseClient.MOUNT_S3, "--auto-unmount", "auto-unmount", SUPERVISION),
        arguments(FuseClient.RCLONE, "--rc", "rc", REMOTE_CONTROL),
        arguments(FuseClient.RCLONE, "--rc-addr=:5572", "rc-addr", REMOTE_CONTROL));
  }

  @ParameterizedTest
  @MethodSource("deniedOptions")
  void parse_deniedOption_isRejectedWithTheReason(
      FuseClient client, String flag, String name, String reason) {
    assertInvalid(client, List.of(flag), "option '" + name + "' is not allowed: " + reason);
  }

  @ParameterizedTest
  @EnumSource(FuseClient.class)
  void parse_deniedOptionHiddenInAnAllowedValue_isRejected(FuseClient client) {
    // s3fs would read "-o uid=1000,passwd_file=..." as two options
    assertInvalid(client, List.of("uid=1000,passwd_file=/etc/x"), "option 'uid" + BAD_VALUE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"uid=1000\n--endpoint-url=http://x", "uid=1000\r", "allow-delete\u0000", "\n"})
  void parse_newlineOrNul_isRejected(String flag) {
    assertInvalid(
        FuseClient.MOUNT_S3,
        List.of("allow-delete", flag),
        "an option contains a newline or NUL character, which is never allowed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "uid=1000;reboot",
        "uid=$(id)",
        "uid=`id`",
        "uid=1000,gid=0",
        "uid=\"1000\"",
        "uid='1000'",
        "uid=",
        "uid=--endpoint-url=http://evil.example",
        "uid=10*",
        "uid=\u00e9"
      })
  void parse_badCharactersInValue_areRejected(String flag) {
    assertInvalid(FuseClient.MOUNT_S3, List.of(flag), "option 'uid" + BAD_VALUE);
  }

  @Test
  void parse_valueOf257Characters_isRejected() {
    assertInvalid(
        FuseClient.MOUNT_S3,
        List.of("user-agent-prefix=" + "a".repeat(257)),
        "option 'user-agent-prefix" + BAD_VALUE);
  }

  @Test
  void parse_valueOf256Characters_isAccepted() {
    String value = "a".repeat(256);

    assertThat(MountOptions.parse(FuseClient.MOUNT_S3, List.of("user-agent-prefix=" + value)))
        .extracting(o -> o.value("user-agent-prefix"))
        .isEqualTo(Optional.of(value));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"--|--", "uid$=1|uid$", "--=1|--", "-|-", "a/b|a/b", "_x|_x"})
  void parse_badOptionName_isRejected(String flag, String rawName) {
    assertInvalid(
        FuseClient.MOUNT_S3, List.of(flag), "option '" + rawName + "' is not a valid option name");
  }

  @Test
  void parse_optionNameOf65Characters_isRejected() {
    String name = "a".repeat(65);

    assertInvalid(
        FuseClient.MOUNT_S3, List.of(name), "option '" + name + "' is not a valid option name");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ro", "--ro", "-o ro", "read-only", "--read-only", "read_only", "RO", "ro=true"})
  void parse_readOnlyOption_setsReadOnlyAndIsLiftedOut(String flag) {
    MountOptions options = MountOptions.parse(FuseClient.MOUNT_S3, List.of(flag, "allow-delete"));

    assertThat(options.readOnly()).isTrue();
    assertThat(options.options()).containsExactly(option("allow-delete"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw", "ro=false", "read-only=0"})
  void parse_readWriteOptions_leaveReadOnlyOff(String flag) {
    MountOptions options = MountOptions.parse(FuseClient.S3FS, List.of(flag));

    assertThat(options.readOnly()).isFalse();
    assertThat(options.options()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ro,rw", "read-only,rw", "-o ro,rw"})
  void parse_roAndRw_contradict(String flags) {
    List<String> list = flags.startsWith("-o") ? List.of(flags) : Arrays.asList(flags.split(","));

    assertInvalid(FuseClient.S3FS, list, "options 'ro' and 'rw' contradict each other");
  }

  @Test
  void parse_roAndReadOnlyFalse_contradict() {
    assertInvalid(
        FuseClient.MOUNT_S3,
        List.of("ro", "read-only=false"),
        "option 'read-only' contradicts another option that means the same");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ro=yes", "rw=maybe", "force-path-style=on"})
  void parse_readOnlyOrPathStyleWithANonBooleanValue_isRejected(String flag) {
    String name = flag.substring(0, flag.indexOf('='));

    assertInvalid(FuseClient.MOUNT_S3, List.of(flag), "option '" + name + "' takes no value");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MOUNT_S3|region us-east-1|",
        "MOUNT_S3|--region=us-east-1|",
        "S3FS|region=us-east-1|",
        "RCLONE|--s3-region us-east-1|",
        "RCLONE|region us-east-1|--s3-region=us-east-1"
      })
  void parse_regionOption_isLiftedOut(FuseClient client, String flag, String sameFlag) {
    List<String> flags = sameFlag == null ? List.of(flag) : List.of(flag, sameFlag);
    MountOptions options = MountOptions.parse(client, flags);

    assertThat(options.region()).contains("us-east-1");
    assertThat(options.options()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "region=US-EAST-1",
        "region=evil.example/",
        "region=us_east_1",
        "region=a.amazonaws.com@evil"
      })
  void parse_badRegionOption_isRejected(String flag) {
    assertInvalid(
        FuseClient.S3FS,
        List.of(flag),
        "option 'region' must be a region name such as us-east-1 (lowercase letters, digits,"
            + " hyphens)");
  }

  @Test
  void parse_regionWithoutValue_isRejected() {
    assertInvalid(FuseClient.MOUNT_S3, List.of("--region"), "option 'region' needs a value");
  }

  @Test
  void parse_twoDifferentRegions_contradict() {
    assertInvalid(
        FuseClient.RCLONE,
        List.of("region=us-east-1", "s3-region=eu-west-1"),
        "option 's3-region' contradicts another option that means the same");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "prefix some/path/|some/path/",
        "--prefix=some/path|some/path/",
        "prefix=/some/path//|some/path/",
        "prefix data|data/"
      })
  void parse_prefixOptionForMountS3_isLiftedOutAndNormalized(String flag, String prefix) {
    MountOptions options = MountOptions.parse(FuseClient.MOUNT_S3, List.of(flag));

    assertThat(options.prefix()).contains(prefix);
    assertThat(options.options()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"prefix=a//b", "prefix=a/../b", "prefix=..", "prefix=/", "prefix=./a"})
  void parse_badPrefixOption_isRejected(String flag) {
    assertInvalid(
        FuseClient.MOUNT_S3,
        List.of(flag),
        "option 'prefix' must be a key prefix without empty, '.' or '..' segments");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MOUNT_S3|--force-path-style",
        "S3FS|-o use_path_request_style",
        "S3FS|use-path-request-style",
        "RCLONE|--s3-force-path-style",
        "RCLONE|s3_force_path_style=true"
      })
  void parse_pathStyleAliases_setPathStyle(FuseClient client, String flag) {
    MountOptions options = MountOptions.parse(client, List.of(flag));

    assertThat(options.pathStyle()).isTrue();
    assertThat(options.options()).isEmpty();
  }

  @Test
  void parse_pathStyleFalse_leavesItOff() {
    assertThat(MountOptions.parse(FuseClient.RCLONE, List.of("--s3-force-path-style=false")))
        .extracting(MountOptions::pathStyle)
        .isEqualTo(false);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MOUNT_S3|allow-delete=yes|allow-delete",
        "MOUNT_S3|--debug=1|debug",
        "S3FS|nonempty=true|nonempty",
        "RCLONE|--no-modtime=true|no-modtime"
      })
  void parse_flagGivenAValue_isRejected(FuseClient client, String flag, String name) {
    assertInvalid(client, List.of(flag), "option '" + name + "' takes no value");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MOUNT_S3|--uid|uid",
        "MOUNT_S3|dir-mode|dir-mode",
        "S3FS|-o umask|umask",
        "RCLONE|--vfs-cache-mode|vfs-cache-mode"
      })
  void parse_valueOptionWithoutAValue_isRejected(FuseClient client, String flag, String name) {
    assertInvalid(client, List.of(flag), "option '" + name + "' needs a value");
  }

  @Test
  void parse_awsDriverPersistentVolumeOptions_areUnderstood() {
    MountOptions options =
        MountOptions.parse(
            FuseClient.MOUNT_S3,
            List.of("allow-delete", "region us-west-2", "uid=1000", "gid=2000", "allow-other"));

    assertThat(options)
        .isEqualTo(
            new MountOptions(
                FuseClient.MOUNT_S3,
                List.of(
                    option("allow-delete"),
                    option("uid", "1000"),
                    option("gid", "2000"),
                    option("allow-other")),
                false,
                Optional.of("us-west-2"),
                Optional.empty(),
                false));
  }

  @Test
  void parse_yandexCommandLine_isSplitIntoOptions() {
    MountOptions options =
        MountOptions.parse(FuseClient.MOUNT_S3, List.of("--dir-mode 0777 --debug --uid=1000"));

    assertThat(options.options())
        .containsExactly(option("dir-mode", "0777"), option("debug"), option("uid", "1000"));
  }

  @Test
  void parse_yandexS3fsCommandLine_isSplitIntoOptions() {
    MountOptions options =
        MountOptions.parse(
            FuseClient.S3FS, List.of("-o allow_other -o uid=1000,gid=1000 --umask 0002 nonempty"));

    assertThat(options.options())
        .containsExactly(
            option("allow-other"),
            option("uid", "1000"),
            option("gid", "1000"),
            option("umask", "0002"),
            option("nonempty"));
  }

  @Test
  void parse_twoBareFlagsWithAValueOption_areSeparate() {
    MountOptions options =
        MountOptions.parse(FuseClient.MOUNT_S3, List.of("allow-delete uid=1000"));

    assertThat(options.options()).containsExactly(option("allow-delete"), option("uid", "1000"));
  }

  @Test
  void parse_dashOWithoutList_isIgnored() {
    assertThat(MountOptions.parse(FuseClient.S3FS, List.of("-o", "-o --nonempty")).options())
        .containsExactly(option("nonempty"));
  }

  @Test
  void parse_nullAndBlankFlags_areSkipped() {
    List<String> flags = Arrays.asList(null, "", "   ", "allow-delete");

    assertThat(MountOptions.parse(FuseClient.MOUNT_S3, flags).options())
        .containsExactly(option("allow-delete"));
  }

  @Test
  void none_hasNothing() {
    assertThat(MountOptions.none(FuseClient.RCLONE))
        .isEqualTo(MountOptions.parse(FuseClient.RCLONE, List.of()))
        .isEqualTo(
            new MountOptions(
                FuseClient.RCLONE, List.of(), false, Optional.empty(), Optional.empty(), false));
  }

  @Test
  void mountOption_rendersNameAndValue() {
    assertThat(option("allow-other").underscoredName()).isEqualTo("allow_other");
    assertThat(option("uid", "1000")).hasToString("uid=1000");
    assertThat(option("allow-other")).hasToString("allow-other");
  }
}
