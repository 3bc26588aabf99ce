package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.Endpoint;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launcher, {@code target/s3csi}, as a user runs it: a shell script that starts a JVM
 * on the jars beside it. Failsafe runs after {@code package}, so the script exists.
 */
class LauncherScriptIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static Path script;

  @TempDir Path dir;

  @BeforeAll
  static void script() {
    script = Path.of(System.getProperty("s3csi.script", "target/s3csi")).toAbsolutePath();
    assertThat(script).isExecutable();
  }

  @Test
  void version_printsTheVersionAndExitsZero() throws Exception {
    Result result = run("--version");

    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.out()).startsWith("s3csi " + VersionProvider.version() + "\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void driver_badFlag_exitsTwoWithOneLineNamingTheFlag() throws Exception {
    Result result = run("driver", "--endpoint", "tcp://127.0.0.1:10000", "--node-id", "n");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err()).startsWith("s3csi driver: --endpoint must be a unix socket");
  }

  @Test
  void driver_socketThatCannotBeBound_exitsOneWithOneLine() throws Exception {
    Result result =
        run(
            "driver",
            "--endpoint",
            "unix:///proc/s3csi/csi.sock",
            "--node-id",
            "n",
            "--mode",
            "controller");

    assertThat(result.exitCode()).isEqualTo(1);
    List<String> lines = result.err().lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "s3csi driver: cannot serve CSI on unix:///proc/s3csi/csi.sock: /proc/s3csi: no such"
                + " file or directory");
    assertThat(result.err()).doesNotContain("\tat ");
  }

  @Test
  void driver_sigterm_drainsAndExitsZeroRemovingTheSocket() throws Exception {
    Path socket = dir.resolve("csi.sock");
    Process driver =
        start(
            "driver",
            "--endpoint",
            "unix://" + socket,
            "--node-id",
            "script-node",
            "--mode",
            "all",
            "--kubelet-dir",
            dir.resolve("kubelet").toString(),
            "--state-dir",
            dir.resolve("state").toString());
    try {
      await().atMost(TIMEOUT).until(() -> Files.exists(socket) || !driver.isAlive());
      assertThat(driver.isAlive()).as("driver running").isTrue();
      try (CsiClient csi = CsiClient.connect(new Endpoint(socket))) {
        assertThat(
                csi.identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance()).getName())
            .isEqualTo("s3.csi.s3csi.io");
      }

      driver.destroy(); // SIGTERM

      assertThat(driver.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(driver.exitValue()).isEqualTo(0);
      assertThat(socket).doesNotExist();
      assertThat(Files.readString(dir.resolve("err"), StandardCharsets.UTF_8))
          .contains("received SIGTERM; draining calls in flight and stopping")
          .contains("stopped serving CSI on unix://" + socket);
    } finally {
      driver.destroyForcibly();
    }
  }

  private Result run(String... args) throws Exception {
    Process process = start(args);
    assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("JAVA_OPTS");
    return builder.start();
  }

  private record Result(int exitCode, String out, String err) {}
}
