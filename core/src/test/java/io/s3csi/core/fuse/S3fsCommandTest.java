package io.s3csi.core.fuse;

import static io.s3csi.core.fuse.Specs.BASE_PATH;
import static io.s3csi.core.fuse.Specs.DIR;
import static io.s3csi.core.fuse.Specs.KEY_ID;
import static io.s3csi.core.fuse.Specs.SECRETS;
import static io.s3csi.core.fuse.Specs.SECRET_KEY;
import static io.s3csi.core.fuse.Specs.SESSION_TOKEN;
import static io.s3csi.core.fuse.Specs.TARGET;
import static io.s3csi.core.fuse.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class S3fsCommandTest {

  private static final String T = TARGET.toString();

  private static final Map<String, String> BASE_ENV =
      Map.of("PATH", BASE_PATH, "HOME", DIR.toString(), "LANG", "C.UTF-8");

  @Test
  void build_minimalSpec_usesAwsS3AndTheInstanceRole() {
    FuseCommand command = spec(FuseClient.S3FS).command();

    assertThat(command.program()).isEqualTo("s3fs");
    assertThat(command.argv())
        .containsExactly(
            "s3fs",
            "photos-bucket",
            T,
            "-f",
            "-o",
            "url=https://s3.amazonaws.com",
            "-o",
            "allow_other",
            "-o",
            "sigv4",
            "-o",
            "umask=0022",
            "-o",
            "iam_role=auto");
    assertThat(command.environment()).isEqualTo(BASE_ENV);
    assertThat(command.files()).isEmpty();
  }

  @Test
  void build_regionWithoutEndpoint_usesTheRegionalAwsUrl() {
    FuseCommand command = spec(FuseClient.S3FS).region("eu-central-1").command();

    assertThat(command.argv())
        .containsSequence("-o", "url=https://s3.eu-central-1.amazonaws.com")
        .containsSequence("-o", "endpoint=eu-central-1");
  }

  @Test
  void build_fullSpecWithKeys_writesAPasswdFile() {
    FuseCommand command =
        spec(FuseClient.S3FS)
            .prefix("team/raw/")
            .region("ru-central1")
            .endpoint("https://storage.yandexcloud.net")
            .pathStyle()
            .readOnly()
            .mountGroup("2000")
            .options("-o uid=1000,nonempty", "use_sse")
            .credentials(Specs.keys())
            .command();

    assertThat(command.argv())
        .containsExactly(
            "s3fs",
            "photos-bucket:/team/raw",
            T,
            "-f",
            "-o",
            "url=https://storage.yandexcloud.net",
            "-o",
            "endpoint=ru-central1",
            "-o",
            "use_path_request_style",
            "-o",
            "ro",
            "-o",
            "allow_other",
            "-o",
            "gid=2000",
            "-o",
            "sigv4",
            "-o",
            "umask=0002",
            "-o",
            "passwd_file=" + DIR + "/passwd-s3fs",
            "-o",
            "uid=1000",
            "-o",
            "nonempty",
            "-o",
            "use_sse");
    assertThat(command.environment()).isEqualTo(BASE_ENV);
    assertThat(command.files())
        .containsExactly(
            new PrivateFile(
                DIR.resolve("passwd-s3fs"), Secret.of(KEY_ID + ":" + SECRET_KEY + "\n")));
  }

  @Test
  void build_keysWithSessionToken_areRejectedNamingTheFuseClient() {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> spec(FuseClient.S3FS).credentials(Specs.keysWithSession()).command())
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("fuseClient");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "fuseClient: s3fs cannot take a session token from a private file; use"
                          + " mount-s3 or rclone for temporary credentials, or long-lived keys"
                          + " with s3fs")
                  .doesNotContain(SESSION_TOKEN);
            });
  }

  @Test
  void build_ownUmaskAndSignature_replaceTheDefaults() {
    FuseCommand command = spec(FuseClient.S3FS).options("umask=0077", "sigv2").command();

    assertThat(command.argv())
        .containsSequence("-o", "umask=0077")
        .containsSequence("-o", "sigv2")
        .doesNotContain("sigv4", "umask=0022");
  }

  @Test
  void build_allowRootAndGidOptions_replaceTheDefaults() {
    FuseCommand command =
        spec(FuseClient.S3FS).mountGroup("2000").options("allow_root", "gid=3000").command();

    assertThat(command.argv())
        .containsExactly(
            "s3fs",
            "photos-bucket",
            T,
            "-f",
            "-o",
            "url=https://s3.amazonaws.com",
            "-o",
            "sigv4",
            "-o",
            "umask=0002",
            "-o",
            "iam_role=auto",
            "-o",
            "allow_root",
            "-o",
            "gid=3000");
  }

  @Test
  void build_webIdentity_isRejectedNamingTheFuseClient() {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(
            () ->
                spec(FuseClient.S3FS)
                    .credentials(Specs.webIdentity(Optional.of("us-west-2")))
                    .command())
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo("fuseClient");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "fuseClient: s3fs cannot assume a role with a web-identity token; use"
                          + " mount-s3 or rclone for authenticationSource pod");
            });
  }

  static List<Credentials> credentials() {
    return Specs.allCredentials().subList(0, 2);
  }

  @ParameterizedTest
  @MethodSource("credentials")
  void build_anyCredentials_keepsSecretsOutOfArgvAndEnvironment(Credentials credentials) {
    FuseCommand command =
        spec(FuseClient.S3FS).credentials(credentials).options("uid=1000").command();

    for (String secret : SECRETS) {
      assertThat(command.argv()).noneMatch(arg -> arg.contains(secret));
      assertThat(command.environment().values()).noneMatch(value -> value.contains(secret));
      assertThat(command.toString()).doesNotContain(secret);
    }
  }
}
