package io.s3csi.core.fuse;

import static io.s3csi.core.fuse.Specs.DIR;
import static io.s3csi.core.fuse.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.s3csi.core.credentials.InstanceCredentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FuseCommandTest {

  @ParameterizedTest
  @CsvSource({"MOUNT_S3, mount-s3", "S3FS, s3fs", "RCLONE, rclone"})
  void forSpec_eachClient_runsItsProgram(FuseClient client, String program) {
    FuseCommand command = FuseCommand.forSpec(spec(client).build(), DIR);

    assertThat(command.program()).isEqualTo(program);
    assertThat(command.privateDirectory()).isEqualTo(DIR);
  }

  @ParameterizedTest
  @EnumSource(
      value = FuseClient.class,
      names = {"MOUNT_S3", "RCLONE"})
  void rereadFiles_webIdentity_isTheTokenFileOnly(FuseClient client) {
    FuseCommand command =
        FuseCommand.forSpec(
            spec(client).credentials(Specs.webIdentity(Optional.of("us-west-2"))).build(), DIR);

    assertThat(command.rereadFiles())
        .containsExactly(
            new PrivateFile(DIR.resolve("web-identity-token"), Secret.of(Specs.WEB_TOKEN)));
  }

  @ParameterizedTest
  @EnumSource(FuseClient.class)
  void rereadFiles_staticKeys_isEmpty(FuseClient client) {
    FuseCommand command = FuseCommand.forSpec(spec(client).credentials(Specs.keys()).build(), DIR);

    assertThat(command.rereadFiles()).isEmpty();
  }

  @Test
  void constructor_emptyArgv_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new FuseCommand(List.of(), Map.of(), List.of(), DIR))
        .withMessage("argv must name a program");
  }

  @Test
  void constructor_copiesAndSortsTheEnvironment() {
    List<String> argv = new ArrayList<>(List.of("s3fs"));
    Map<String, String> env = new HashMap<>(Map.of("PATH", "/bin", "HOME", "/h"));
    FuseCommand command = new FuseCommand(argv, env, List.of(), DIR);
    argv.add("--x");
    env.put("EXTRA", "1");

    assertThat(command.argv()).containsExactly("s3fs");
    assertThat(command.environment()).containsOnlyKeys("HOME", "PATH");
  }

  @Test
  void privateFile_relativePath_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PrivateFile(Path.of("creds"), Secret.of("x")))
        .withMessage("path must be absolute: creds");
  }

  @Test
  void mountSpec_optionsForAnotherClient_areRejected() {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(
            () ->
                new MountSpec(
                    "pv",
                    Path.of("/t"),
                    "b-1",
                    Optional.empty(),
                    FuseClient.MOUNT_S3,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    false,
                    MountOptions.none(FuseClient.S3FS),
                    new InstanceCredentials(),
                    Optional.empty()))
        .withMessage("mountOptions: options were checked for s3fs, not mount-s3");
  }

  @Test
  void mountSpec_relativeTarget_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new MountSpec(
                    "pv",
                    Path.of("mnt"),
                    "b-1",
                    Optional.empty(),
                    FuseClient.S3FS,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    false,
                    MountOptions.none(FuseClient.S3FS),
                    new InstanceCredentials(),
                    Optional.empty()))
        .withMessage("target must be absolute: mnt");
  }

  @Test
  void mountSpec_source_showsBucketAndPrefix() {
    assertThat(spec(FuseClient.S3FS).build().source()).isEqualTo("photos-bucket/");
    assertThat(spec(FuseClient.S3FS).prefix("a/b/").build().source())
        .isEqualTo("photos-bucket/a/b/");
  }

  @Test
  void fuseClient_parse_acceptsIdsAndAliases() {
    assertThat(FuseClient.parse("f", " Mount-S3 ")).isEqualTo(FuseClient.MOUNT_S3);
    assertThat(FuseClient.parse("f", "mountpoint")).isEqualTo(FuseClient.MOUNT_S3);
    assertThat(FuseClient.parse("f", "s3fs")).isEqualTo(FuseClient.S3FS);
    assertThat(FuseClient.supportedIds()).isEqualTo("mount-s3, s3fs, rclone");
    assertThat(FuseClient.RCLONE).hasToString("rclone");
  }

  @Test
  void fuseClient_parseUnknown_namesTheField() {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> FuseClient.parse("--fuse-client", "goofys"))
        .withMessage(
            "--fuse-client: unknown FUSE client 'goofys'; supported: mount-s3, s3fs, rclone");
  }
}
