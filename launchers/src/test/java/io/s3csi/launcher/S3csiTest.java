package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3csiTest {

  @ParameterizedTest
  @ValueSource(strings = {"--version", "-V"})
  void execute_version_printsTheBuildVersionAndExitsZero(String flag) {
    DriverCommandTest.Run run = run(flag);

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_OK);
    assertThat(run.out()).startsWith("s3csi " + VersionProvider.version() + System.lineSeparator());
    assertThat(VersionProvider.version()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @ParameterizedTest
  @ValueSource(strings = {"driver", "demo"})
  void execute_subcommandVersion_printsTheVersion(String command) {
    DriverCommandTest.Run run = run(command, "--version");

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_OK);
    assertThat(run.out()).startsWith("s3csi " + VersionProvider.version());
  }

  @Test
  void execute_help_listsTheCommands() {
    DriverCommandTest.Run run = run("--help");

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_OK);
    assertThat(run.out()).contains("Usage: s3csi", "driver", "demo");
  }

  @Test
  void execute_driverHelp_showsTheDriverUsageUnderS3csi() {
    // s3csi driver is built without the other commands; its usage must not change
    DriverCommandTest.Run run = run("driver", "--help");

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_OK);
    assertThat(run.out()).startsWith("Usage: s3csi driver ").contains("--endpoint=unix:///PATH");
  }

  @Test
  void execute_noCommand_exitsTwoNamingTheCommands() {
    DriverCommandTest.Run run = run();

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_USAGE);
    assertThat(run.err().strip())
        .isEqualTo(
            "s3csi: a command is required: one of [driver, mount, unmount, list, demo, completion]"
                + " (see 's3csi --help')");
  }

  @Test
  void execute_misspelledCommand_exitsTwoSuggestingTheCommand() {
    DriverCommandTest.Run run = run("drive");

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_USAGE);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).contains("'drive'", "did you mean driver?");
  }

  @Test
  void execute_demoWithMountS3_exitsTwoNamingTheClients() {
    DriverCommandTest.Run run = run("demo", "--fuse-client", "mount-s3");

    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_USAGE);
    assertThat(run.err().strip())
        .isEqualTo(
            "s3csi demo: --fuse-client: the demo mounts with s3fs or rclone, got 'mount-s3'"
                + " (see 's3csi demo --help')");
  }

  @Test
  void describe_fileSystemFailure_namesTheFileAndTheReason() {
    assertThat(S3csi.describe(new NoSuchFileException("/proc/csi")))
        .isEqualTo("/proc/csi: no such file or directory");
    assertThat(S3csi.describe(new AccessDeniedException("/root/x", null, "read-only")))
        .isEqualTo("/root/x: read-only");
  }

  @Test
  void describe_multiLineMessage_isOneLine() {
    assertThat(S3csi.describe(new IOException("first\n  second\r\nthird")))
        .isEqualTo("first; second; third");
    assertThat(S3csi.describe(new IllegalStateException(null, new IOException("cause"))))
        .isEqualTo("cause");
  }

  private static DriverCommandTest.Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = S3csi.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new DriverCommandTest.Run(exitCode, out.toString(), err.toString());
  }
}
