package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.testkit.junit.SystemdExtension;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd readiness check against a real systemd (pid 1 of a private namespace): ready on its
 * private socket, not ready, with the socket named, where nothing listens or where systemd refuses
 * the client.
 */
@ExtendWith(SystemdExtension.class)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SystemdReadinessIT {
  @TempDir Path dir;

  @Test
  void readinessCheck_insideTheNamespace_isReadyOnThePrivateSocketAndNotReadyOnAMissingOne(
      SystemdNamespace systemd) throws Exception {
    List<String> answers =
        harness(systemd, systemd.privateSocketAddress(), "unix:path=/run/systemd/no-such-socket");

    assertThat(answers).hasSize(2);
    assertThat(answers.get(0)).isEqualTo("READY");
    assertThat(answers.get(1))
        .startsWith("NOT_READY\tcannot reach systemd at /run/systemd/no-such-socket: ")
        .endsWith("; the driver must run as root with the host's /run/systemd mounted");
  }

  @Test
  void readinessCheck_fromOutsideTheNamespace_isNotReadyNamingTheSocket(SystemdNamespace systemd) {
    Path socket = systemd.hostView(systemd.privateSocket());
    try (SystemdMounter mounter =
        SystemdMounter.builder(new PrivateDirectories(dir.resolve("private")))
            .address("unix:path=" + socket)
            .build()) {
      Optional<String> reason = mounter.readinessCheck(Duration.ofSeconds(5)).notReadyReason();

      assertThat(reason).hasValueSatisfying(r -> assertThat(r).contains(socket.toString()));
    }
  }

  private List<String> harness(SystemdNamespace systemd, String... addresses)
      throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-XX:-UsePerfData",
                "-cp",
                System.getProperty("java.class.path"),
                ReadinessHarness.class.getName(),
                dir.resolve("private").toString()));
    command.addAll(List.of(addresses));
    Process process =
        systemd.start(
            new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("err.log").toFile())));
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out.lines().toList();
  }
}
