package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.fuse.FuseClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code s3csi demo --once} in this JVM, on the real host: root, FUSE, s3fs and rclone. */
class DemoIT {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = FuseClient.class,
      names = {"S3FS", "RCLONE"})
  void demoOnce_publishesWritesShowsTheObjectAndCleansUp(FuseClient client) throws IOException {
    Path data = dir.resolve("demo-data");
    String content =
        "Hello from s3csi! Written through the "
            + client
            + " FUSE mount that the CSI driver"
            + " published.";

    DriverCommandTest.Run run =
        DriverCommandTest.run(
            "demo", List.of("--once", "--data-dir", data.toString(), "--fuse-client", client.id()));

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isEqualTo(S3csi.EXIT_OK);
    assertThat(run.out())
        .contains("[1/8] Preflight")
        .contains("Probe          ready=true")
        .contains("NodeGetInfo    node_id=demo-node")
        .contains("[5/8] NodePublishVolume: mounted bucket \"demo\" (volume s3csi-demo)")
        .contains("/volumes/kubernetes.io~csi/demo-pv/mount")
        .contains("s3://demo/hello.txt  " + (content.length() + 1) + " bytes  \"" + content + "\"")
        .contains("stores it as the file " + data.resolve("demo/hello.txt"))
        .contains("NodeUnpublishVolume: unmounted; the target directory is gone")
        .contains("stopped the S3 server; the objects stay in " + data)
        .endsWith("Done." + System.lineSeparator());
    assertThat(Files.readString(data.resolve("demo/hello.txt"), StandardCharsets.UTF_8))
        .isEqualTo(content + "\n");
    String work = run.out().lines().filter(l -> l.contains("removed /")).findFirst().orElseThrow();
    Path workDir = Path.of(work.substring(work.indexOf("removed ") + "removed ".length()));
    assertThat(workDir).doesNotExist();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
        .doesNotContain(workDir.toString());
  }
}
