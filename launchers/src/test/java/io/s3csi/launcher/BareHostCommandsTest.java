package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.mount.MountState;
import io.s3csi.systemd.ManagedMount;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bare-host commands' command lines, help and refusals, none of which reach systemd. Mounting
 * for real is in {@code BareHostIT}.
 */
class BareHostCommandsTest {
  @TempDir Path dir;
  private Path mountPoint;
  private String stateDir;

  @BeforeEach
  void setUp() throws IOException {
    mountPoint = Files.createDirectory(dir.resolve("mnt"));
    stateDir = dir.resolve("state").toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mount", "unmount", "list", "completion"})
  void execute_help_printsUsageAndExitsZero(String command) {
    DriverCommandTest.Run run = DriverCommandTest.run(command, List.of("--help"));

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_OK);
    assertThat(run.out()).startsWith("Usage: s3csi " + command);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void execute_mountHelp_namesEveryFlag() {
    DriverCommandTest.Run run = DriverCommandTest.run("mount", List.of("--help"));

    assertThat(run.out())
        .contains(
            "BUCKET[/PREFIX]",
            "DIR",
            "--fuse-client",
            "--endpoint-url",
            "--region",
            "--path-style",
            "--read-only",
            "-o, --option",
            "--foreground",
            "--state-dir",
            "--systemd-address",
            "AWS_ACCESS_KEY_ID");
  }

  static Stream<Arguments> badMounts() {
    return Stream.of(
        Arguments.of(List.of("bkt"), "Missing required parameter: 'DIR'"),
        Arguments.of(List.of("bkt", "MISSING"), "DIR: "),
        Arguments.of(List.of("B", "MNT"), "BUCKET[/PREFIX]: "),
        Arguments.of(List.of("bkt/../x", "MNT"), "BUCKET[/PREFIX]: "),
        Arguments.of(List.of("bkt", "MNT", "-o", "no-such-option"), "-o: "),
        Arguments.of(List.of("bkt", "MNT", "--fuse-client", "goofys"), "--fuse-client: unknown"),
        Arguments.of(
            List.of("bkt", "MNT", "--endpoint-url", "ftp://s3.local"), "--endpoint-url: must be"),
        Arguments.of(List.of("bkt", "MNT", "--region", "US_EAST_1"), "--region: must be"),
        Arguments.of(
            List.of("bkt", "MNT", "--systemd-address", "tcp:host=h"), "--systemd-address: must be"),
        Arguments.of(
            List.of("bkt", "MNT", "--state-dir", "rel"), "--state-dir: must be an absolute path"));
  }

  @ParameterizedTest
  @MethodSource("badMounts")
  void execute_mountBadArgument_exitsTwoNamingTheParameter(List<String> args, String message) {
    List<String> argv = new ArrayList<>();
    for (String arg : args) {
      argv.add(
          arg.equals("MNT")
              ? mountPoint.toString()
              : arg.equals("MISSING") ? dir.resolve("missing").toString() : arg);
    }
    if (!argv.contains("--state-dir")) {
      argv.addAll(List.of("--state-dir", stateDir));
    }

    DriverCommandTest.Run run = DriverCommandTest.run("mount", argv);

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_USAGE);
    assertThat(run.err()).startsWith("s3csi mount: ").contains(message);
    assertThat(run.err()).contains("(see 's3csi mount --help')");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void execute_mountMissingDirectory_saysToCreateIt() {
    Path missing = dir.resolve("missing");

    DriverCommandTest.Run run =
        DriverCommandTest.run("mount", List.of("bkt", missing.toString(), "--state-dir", stateDir));

    assertThat(run.err().strip())
        .isEqualTo(
            "s3csi mount: DIR: "
                + missing
                + " does not exist; create it first (see 's3csi mount --help')");
  }

  @Test
  void execute_mountWithoutSystemd_exitsOneNamingTheSocket() {
    Path socket = dir.resolve("no-systemd");

    DriverCommandTest.Run run =
        DriverCommandTest.run(
            "mount",
            List.of(
                "bkt",
                mountPoint.toString(),
                "--fuse-client",
                "s3fs",
                "--state-dir",
                stateDir,
                "--systemd-address",
                "unix:path=" + socket));

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_FAILURE);
    assertThat(run.err()).startsWith("s3csi mount: cannot reach systemd at " + socket + ": ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void execute_unmountNothingMounted_exitsOneSayingSo() {
    DriverCommandTest.Run run =
        DriverCommandTest.run("unmount", List.of(mountPoint.toString(), "--state-dir", stateDir));

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_FAILURE);
    assertThat(run.err().strip())
        .isEqualTo("s3csi unmount: nothing is mounted at " + mountPoint + " by 's3csi mount'");
  }

  @Test
  void execute_unmountSomeoneElsesMount_refusesNamingWhatIsMounted() {
    DriverCommandTest.Run run =
        DriverCommandTest.run("unmount", List.of("/proc", "--state-dir", stateDir));

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_FAILURE);
    assertThat(run.err().strip())
        .isEqualTo(
            "s3csi unmount: /proc has a proc mount of 'proc' that 's3csi mount' did not make; it"
                + " was left alone (unmount it with umount(8) or with the tool that made it)");
  }

  @Test
  void execute_listNothingMounted_printsTheHeaderOnly() {
    DriverCommandTest.Run run = DriverCommandTest.run("list", List.of("--state-dir", stateDir));

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_OK);
    assertThat(run.out()).isEqualTo("BUCKET  PREFIX  DIRECTORY  CLIENT  UNIT  STATE  SINCE\n");
  }

  @Test
  void execute_completion_printsABashScriptForEveryCommand() {
    DriverCommandTest.Run run = DriverCommandTest.run("completion", List.of());

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_OK);
    assertThat(run.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_s3csi")
        .contains("mount", "unmount", "list", "--fuse-client", "--systemd-address");
  }

  @Test
  void print_mounts_alignsColumnsAndShowsStates() {
    StringWriter text = new StringWriter();
    Instant since = Instant.parse("2026-11-21T03:04:05.678Z");

    ListCommand.print(
        new PrintWriter(text),
        List.of(
            new ManagedMount(
                Path.of("/mnt/a"),
                "bkt",
                "bkt",
                Optional.empty(),
                FuseClient.S3FS,
                false,
                "s3csi-mount-0123456789abcdef.service",
                since,
                new MountState.Mounted(Optional.of("bkt"), false, "fuse.s3fs"),
                "active (running), pid 7"),
            new ManagedMount(
                Path.of("/mnt/data-b"),
                "bkt/team/",
                "bkt",
                Optional.of("team/"),
                FuseClient.RCLONE,
                true,
                "s3csi-mount-fedcba9876543210.service",
                since,
                new MountState.Corrupted(Optional.of("bkt/team/"), "its unit x is gone"),
                "gone")));

    assertThat(text.toString())
        .isEqualTo(
            "BUCKET  PREFIX  DIRECTORY    CLIENT  UNIT                                  STATE"
                + "                       SINCE\n"
                + "bkt     -       /mnt/a       s3fs    s3csi-mount-0123456789abcdef.service  mounted"
                + "                     2026-11-21T03:04:05Z\n"
                + "bkt     team/   /mnt/data-b  rclone  s3csi-mount-fedcba9876543210.service  broken:"
                + " its unit x is gone  2026-11-21T03:04:05Z\n");
  }

  @Test
  void parameterOf_coreFields_areTheCommandLineNames() {
    assertThat(MountCommand.parameterOf("bucketName")).isEqualTo("BUCKET[/PREFIX]");
    assertThat(MountCommand.parameterOf("volume_id")).isEqualTo("BUCKET[/PREFIX]");
    assertThat(MountCommand.parameterOf("target_path")).isEqualTo("DIR");
    assertThat(MountCommand.parameterOf("mountOptions")).isEqualTo("-o");
    assertThat(MountCommand.parameterOf("fuseClient")).isEqualTo("--fuse-client");
    assertThat(MountCommand.parameterOf("region")).isEqualTo("region");
  }
}
