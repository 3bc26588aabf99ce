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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RcloneCommandTest {

  private static final String T = TARGET.toString();

  private static final Map<String, String> BASE_ENV =
      Map.of("PATH", BASE_PATH, "HOME", DIR.toString(), "LANG", "C.UTF-8");

  private static PrivateFile config(String content) {
    return new PrivateFile(DIR.resolve("rclone.conf"), Secret.of(content));
  }

  @Test
  void build_minimalSpec_mountsAnAwsRemoteWithWriteCaching() {
    FuseCommand command = spec(FuseClient.RCLONE).command();

    assertThat(command.program()).isEqualTo("rclone");
    assertThat(command.argv())
        .containsExactly(
            "rclone",
            "mount",
            "s3csi:photos-bucket/",
            T,
            "--config=" + DIR + "/rclone.conf",
            "--cache-dir=" + DIR + "/cache",
            "--vfs-cache-mode=writes",
            "--vfs-write-back=0s",
            "--umask=022",
            "--allow-other");
    assertThat(command.environment()).isEqualTo(BASE_ENV);
    assertThat(command.files())
        .containsExactly(
            config(
                "[s3csi]\n"
                    + "type = s3\n"
                    + "provider = AWS\n"
                    + "force_path_style = false\n"
                    + "no_check_bucket = true\n"
                    + "env_auth = true\n"));
  }

  @Test
  void build_fullSpecWithKeys_putsTheKeysInTheConfig() {
    FuseCommand command =
        spec(FuseClient.RCLONE)
            .prefix("team/raw/")
            .region("garage")
            .endpoint("http://garage.storage.svc:3900")
            .pathStyle()
            .readOnly()
            .mountGroup("2000")
            .options("--vfs-cache-mode full", "--uid=1000", "--no-modtime")
            .credentials(Specs.keysWithSession())
            .command();

    assertThat(command.argv())
        .containsExactly(
            "rclone",
            "mount",
            "s3csi:photos-bucket/team/raw/",
            T,
            "--config=" + DIR + "/rclone.conf",
            "--cache-dir=" + DIR + "/cache",
            "--vfs-write-back=0s",
            "--umask=002",
            "--read-only",
            "--allow-other",
            "--gid=2000",
            "--vfs-cache-mode=full",
            "--uid=1000",
            "--no-modtime");
    assertThat(command.environment()).isEqualTo(BASE_ENV);
    assertThat(command.files())
        .containsExactly(
            config(
                "[s3csi]\n"
                    + "type = s3\n"
                    + "provider = Other\n"
                    + "endpoint = http://garage.storage.svc:3900\n"
                    + "region = garage\n"
                    + "force_path_style = true\n"
                    + "no_check_bucket = true\n"
                    + "env_auth = false\n"
                    + "access_key_id = "
                    + KEY_ID
                    + "\n"
                    + "secret_access_key = "
                    + SECRET_KEY
                    + "\n"
                    + "session_token = "
                    + SESSION_TOKEN
                    + "\n"));
  }

  @Test
  void build_keysWithoutSessionToken_writeNoTokenLine() {
    FuseCommand command = spec(FuseClient.RCLONE).credentials(Specs.keys()).command();

    assertThat(command.files())
        .containsExactly(
            config(
                "[s3csi]\n"
                    + "type = s3\n"
                    + "provider = AWS\n"
                    + "force_path_style = false\n"
                    + "no_check_bucket = true\n"
                    + "env_auth = false\n"
                    + "access_key_id = "
                    + KEY_ID
                    + "\n"
                    + "secret_access_key = "
                    + SECRET_KEY
                    + "\n"));
  }

  @Test
  void build_webIdentity_usesTheSdkEnvironment() {
    FuseCommand command =
        spec(FuseClient.RCLONE).credentials(Specs.webIdentity(Optional.of("us-west-2"))).command();

    Map<String, String> env = new TreeMap<>(BASE_ENV);
    env.put("AWS_CONFIG_FILE", DIR + "/aws-config");
    env.put("AWS_SHARED_CREDENTIALS_FILE", DIR + "/aws-credentials");
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
            new PrivateFile(DIR.resolve("web-identity-token"), Secret.of(WEB_TOKEN)),
            config(
                "[s3csi]\n"
                    + "type = s3\n"
                    + "provider = AWS\n"
                    + "force_path_style = false\n"
                    + "no_check_bucket = true\n"
                    + "env_auth = true\n"));
  }

  @Test
  void build_ownCacheModeAndWriteBack_replaceTheDefaults() {
    FuseCommand command =
        spec(FuseClient.RCLONE)
            .options("--vfs-cache-mode=off", "--vfs-write-back 5s", "--allow-root")
            .command();

    assertThat(command.argv())
        .containsExactly(
            "rclone",
            "mount",
            "s3csi:photos-bucket/",
            T,
            "--config=" + DIR + "/rclone.conf",
            "--cache-dir=" + DIR + "/cache",
            "--umask=022",
            "--vfs-cache-mode=off",
            "--vfs-write-back=5s",
            "--allow-root");
  }

  static List<Credentials> credentials() {
    return Specs.allCredentials();
  }

  @ParameterizedTest
  @MethodSource("credentials")
  void build_anyCredentials_keepsSecretsOutOfArgvAndEnvironment(Credentials credentials) {
    FuseCommand command = spec(FuseClient.RCLONE).credentials(credentials).command();

    for (String secret : SECRETS) {
      assertThat(command.argv()).noneMatch(arg -> arg.contains(secret));
      assertThat(command.environment().values()).noneMatch(value -> value.contains(secret));
      assertThat(command.toString()).doesNotContain(secret);
    }
  }
}
