package io.s3csi.core.fuse;

import static io.s3csi.core.fuse.Specs.BASE_PATH;
import static io.s3csi.core.fuse.Specs.DIR;
import static io.s3csi.core.fuse.Specs.KEY_ID;
import static io.s3csi.core.fuse.Specs.ROLE;
import static io.s3csi.core.fuse.Specs.SECRETS;
import static io.s3csi.core.fuse.Specs.SECRET_KEY;
import static io.s3csi.core.fuse.Specs.SESSION_TOKEN;
import static io.s3csi.core.fuse.Specs.TARGET;
import static io.s3csi.core.fuse.Specs.WEB_TOKEN;
import static io.s3csi.core.fuse.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MountS3CommandTest {

  private static final String T = TARGET.toString();

  private static Map<String, String> awsBase() {
    return Map.of(
        "PATH",
        BASE_PATH,
        "HOME",
        DIR.toString(),
        "LANG",
        "C.UTF-8",
        "AWS_CONFIG_FILE",
        DIR + "/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE",
        DIR + "/aws-credentials");
  }

  @Test
  void build_minimalSpec_mountsTheBucketInTheForegroundForEveryone() {
    FuseCommand command = spec(FuseClient.MOUNT_S3).command();

    assertThat(command.program()).isEqualTo("mount-s3");
    assertThat(command.argv())
        .containsExactly("mount-s3", "photos-bucket", T, "--foreground", "--allow-other");
    assertThat(command.privateDirectory()).isEqualTo(DIR);
  }

  @Test
  void build_fullSpec_passesEveryFieldAsAJoinedFlag() {
    FuseCommand command =
        spec(FuseClient.MOUNT_S3)
            .prefix("team/raw/")
            .region("eu-west-1")
            .endpoint("http://minio.storage.svc:9000")
            .pathStyle()
            .readOnly()
            .mountGroup("2000")
            .options("uid=1000", "--metadata-ttl 300", "allow-other", "--debug")
            .command();

    assertThat(command.argv())
        .containsExactly(
            "mount-s3",
            "photos-bucket",
            T,
            "--foreground",
            "--prefix=team/raw/",
            "--region=eu-west-1",
            "--endpoint-url=http://minio.storage.svc:9000",
            "--force-path-style",
            "--read-only",
            "--allow-other",
            "--gid=2000",
            "--dir-mode=0775",
            "--file-mode=0664",
            "--uid=1000",
            "--metadata-ttl=300",
            "--debug");
  }

  @Test
  void build_gidOption_winsOverTheMountGroup() {
    FuseCommand command =
        spec(FuseClient.MOUNT_S3).mountGroup("2000").options("gid=3000").command();

    assertThat(command.argv())
        .containsExactly(
            "mount-s3", "photos-bucket", T, "--foreground", "--allow-other", "--gid=3000");
  }

  @Test
  void build_allowRoot_replacesAllowOther() {
    FuseCommand command = spec(FuseClient.MOUNT_S3).options("allow-root", "allow-other").command();

    assertThat(command.argv())
        .containsExactly("mount-s3", "photos-bucket", T, "--foreground", "--allow-root");
  }

  @Test
  void build_prefixStartingWithDash_cannotBecomeAFlag() {
    FuseCommand command = spec(FuseClient.MOUNT_S3).prefix("--endpoint-url=x/").command();

    assertThat(command.argv())
        .contains("--prefix=--endpoint-url=x/")
        .doesNotContain("--endpoint-url=x/");
  }

  @Test
  void build_instanceCredentials_pointTheSdkAtEmptyFiles() {
    FuseCommand command = spec(FuseClient.MOUNT_S3).command();

    assertThat(command.environment()).isEqualTo(awsBase());
    assertThat(command.files())
        .containsExactly(
            new PrivateFile(DIR.resolve("aws-config"), Secret.of("")),
            new PrivateFile(DIR.resolve("aws-credentials"), Secret.of("")));
  }

  @Test
  void build_staticKeys_goInTheSharedCredentialsFile() {
    FuseCommand command = spec(FuseClient.MOUNT_S3).credentials(Specs.keys()).command();

    Map<String, String> env = new java.util.TreeMap<>(awsBase());
    env.put("AWS_PROFILE", "default");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    assertThat(command.environment()).isEqualTo(env);
    assertThat(command.files())
        .containsExactly(
            new PrivateFile(DIR.resolve("aws-config"), Secret.of("")),
            new PrivateFile(
                DIR.resolve("aws-credentials"),
                Secret.of(
                    "[default]\naws_access_key_id = "
                        + KEY_ID
                        + "\naws_secret_access_key = "
                        + SECRET_KEY
                        + "\n")));
  }

  @Test
  void build_staticKeysWithSessionToken_writeTheToken() {
    FuseCommand command = spec(FuseClient.MOUNT_S3).credentials(Specs.keysWithSession()).command();

    assertThat(command.files().get(1).content().reveal())
        .isEqualTo(
            "[default]\naws_access_key_id = "
                + KEY_ID
                + "\naws_secret_access_key = "
                + SECRET_KEY
                + "\naws_session_token = "
                + SESSION_TOKEN
                + "\n");
  }

  @Test
  void build_webIdentity_setsRoleTokenFileAndStsRegion() {
    FuseCommand command =
        spec(FuseClient.MOUNT_S3)
            .credentials(Specs.webIdentity(Optional.of("us-west-2")))
            .command();

    Map<String, String> env = new java.util.TreeMap<>(awsBase());
    env.put("AWS_ROLE_ARN", ROLE);
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", DIR + "/web-identity-token");
    env.put("AWS_ROLE_SESSION_NAME", Specs.sessionName());
    env.put("AWS_STS_REGIONAL_ENDPOINTS", "regional");
    env.put("AWS_REGION", "us-west-2");
    assertThat(command.environment()).isEqualTo(env);
    assertThat(command.files())
        .containsExactly(
            new PrivateFile(DIR.resolve("aws-config"), Secret.of("")),
            new PrivateFile(DIR.resolve("aws-credentials"), Secret.of("")),
            new PrivateFile(DIR.resolve("web-identity-token"), Secret.of(WEB_TOKEN)));
  }

  @Test
  void build_webIdentityWithoutStsRegion_setsNoRegion() {
    FuseCommand command =
        spec(FuseClient.MOUNT_S3).credentials(Specs.webIdentity(Optional.empty())).command();

    assertThat(command.environment()).doesNotContainKey("AWS_REGION");
    assertThat(command.environment()).containsEntry("AWS_ROLE_ARN", ROLE);
  }

  static java.util.List<Credentials> credentials() {
    return Specs.allCredentials();
  }

  @ParameterizedTest
  @MethodSource("credentials")
  void build_anyCredentials_keepsSecretsOutOfArgvAndEnvironment(Credentials credentials) {
    FuseCommand command =
        spec(FuseClient.MOUNT_S3).credentials(credentials).options("uid=1000").command();

    for (String secret : SECRETS) {
      assertThat(command.argv()).noneMatch(arg -> arg.contains(secret));
      assertThat(command.environment().values()).noneMatch(value -> value.contains(secret));
      assertThat(command.toString()).doesNotContain(secret);
    }
  }
}
