package io.s3csi.launcher;

import static io.s3csi.launcher.FuseHost.assumeRunnable;
import static io.s3csi.launcher.S3Objects.awaitObject;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.testkit.junit.S3ServerExtension;
import io.s3csi.testkit.junit.SystemdExtension;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import io.s3csi.testkit.systemd.SystemdNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code s3csi mount}, {@code list} and {@code unmount} from the packaged launcher, run inside a
 * private namespace whose pid 1 is a real systemd, against an embedded S3 server, with the keys in
 * the environment as a shell user would have them.
 */
@ExtendWith({SystemdExtension.class, S3ServerExtension.class})
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BareHostIT {
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir static Path dir;
  private static SystemdNamespace systemd;
  private static EmbeddedS3Server s3;
  private static NamespacedLauncher launcher;
  private static Map<String, String> keys;

  private String bucket;
  private String state;

  @BeforeAll
  static void namespace(SystemdNamespace namespace, EmbeddedS3Server server) throws IOException {
    systemd = namespace;
    s3 = server;
    launcher = new NamespacedLauncher(systemd, Files.createDirectories(dir.resolve("logs")));
    keys =
        Map.of(
            "AWS_ACCESS_KEY_ID", s3.accessKeyId(), "AWS_SECRET_ACCESS_KEY", s3.secretAccessKey());
  }

  @BeforeEach
  void bucket() {
    bucket = "cli-it-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
    state = dir.resolve("state-" + bucket).toString();
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void mountListUnmount_prefix_servesListsAndLeavesNothing(FuseClient client) throws Exception {
    assumeRunnable(client);
    Path mnt = directory("data-" + client.id());
    String unit = "s3csi-mount-" + PrivateDirectories.keyOf(mnt) + ".service";

    NamespacedLauncher.Result mounted = mount(client, bucket + "/team", mnt);

    assertThat(mounted.exitCode()).as(mounted.err()).isZero();
    assertThat(mounted.out())
        .isEqualTo("mounted " + bucket + "/team/ at " + mnt + " (unit " + unit + ")\n");
    Files.writeString(systemd.hostView(mnt).resolve("report.csv"), "a,b\n", UTF_8);
    awaitObject(s3, bucket, "team/report.csv", "a,b\n");
    assertThat(systemd.systemctl("show", unit).requireSuccess().stdout())
        .contains("ActiveState=active")
        .doesNotContain(s3.secretAccessKey());

    NamespacedLauncher.Result again = mount(client, bucket + "/team", mnt);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).startsWith("already mounted " + bucket + "/team/ at " + mnt);

    NamespacedLauncher.Result list = launcher.run(Map.of(), "list", "--state-dir", state);
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out().lines())
        .hasSize(2)
        .first()
        .asString()
        .matches("BUCKET +PREFIX +DIRECTORY +CLIENT +UNIT +STATE +SINCE");
    assertThat(list.out().lines().skip(1).findFirst().orElseThrow())
        .matches(
            bucket
                + " +team/ +"
                + mnt
                + " +"
                + client.id()
                + " +"
                + unit.replace(".", "\\.")
                + " +mounted +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    NamespacedLauncher.Result unmounted =
        launcher.run(Map.of(), "unmount", mnt.toString(), "--state-dir", state);

    assertThat(unmounted.exitCode()).as(unmounted.err()).isZero();
    assertThat(unmounted.out())
        .isEqualTo("unmounted " + bucket + "/team/ from " + mnt + " (unit " + unit + " stopped)\n");
    assertThat(systemd.systemctl("show", "-p", "LoadState", unit).stdout().strip())
        .isEqualTo("LoadState=not-found");
    assertThat(launcher.mountinfo()).doesNotContain(" " + mnt + " ");
    assertThat(mnt).isDirectory();
    assertThat(Path.of(state, "mounts")).isEmptyDirectory();
    assertThat(launcher.run(Map.of(), "list", "--state-dir", state).out().lines()).hasSize(1);
  }

  @Test
  void unmount_mountTheCliDidNotMake_isRefusedNamingIt() throws Exception {
    Path mnt = directory("foreign");
    launcher.exec("mount", "-t", "tmpfs", "-o", "size=1m", "s3csi-it-tmpfs", mnt.toString());

    NamespacedLauncher.Result refused =
        launcher.run(Map.of(), "unmount", mnt.toString(), "--state-dir", state);

    assertThat(refused.exitCode()).isEqualTo(S3csi.EXIT_FAILURE);
    assertThat(refused.err().strip())
        .isEqualTo(
            "s3csi unmount: "
                + mnt
                + " has a tmpfs mount of 's3csi-it-tmpfs' that 's3csi mount' did not make; it was"
                + " left alone (unmount it with umount(8) or with the tool that made it)");
    assertThat(launcher.mountinfo()).contains(" " + mnt + " ");
    launcher.exec("umount", mnt.toString());
  }

  @Test
  void mount_wrongSecret_exitsOneNamingTheUnitAndQuotingTheClient() throws Exception {
    assumeRunnable(FuseClient.S3FS);
    Path mnt = directory("badkeys");
    String wrong = "Wr0ngSecretValueForTheTest0123456789abcd";

    NamespacedLauncher.Result failed =
        launcher.run(
            Map.of("AWS_ACCESS_KEY_ID", s3.accessKeyId(), "AWS_SECRET_ACCESS_KEY", wrong),
            mountArgs(FuseClient.S3FS, bucket, mnt));

    assertThat(failed.exitCode()).isEqualTo(S3csi.EXIT_FAILURE);
    assertThat(failed.err())
        .startsWith(
            "s3csi mount: s3fs in unit s3csi-mount-"
                + PrivateDirectories.keyOf(mnt)
                + ".service stopped before serving "
                + bucket
                + "/ at "
                + mnt)
        .contains("\n  > ")
        .contains("invalid credentials")
        .doesNotContain(wrong);
    assertThat(failed.out()).isEmpty();
    assertThat(launcher.mountinfo()).doesNotContain(" " + mnt + " ");
  }

  @Test
  void mount_foreground_servesUntilSigtermThenUnmountsWithoutAUnit() throws Exception {
    FuseClient client = anyClient();
    Path mnt = directory("fg");
    s3.putObject(bucket, "seen.txt", "seen".getBytes(UTF_8));

    NamespacedLauncher.Running foreground =
        launcher.start(keys, mountArgs(client, bucket, mnt, "--foreground"));

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(foreground.output())
                    .as(foreground.errors())
                    .contains("Ctrl-C unmounts"));
    assertThat(Files.readString(systemd.hostView(mnt).resolve("seen.txt"), UTF_8))
        .isEqualTo("seen");
    assertThat(
            systemd
                .systemctl("list-units", "--all", "--plain", "--no-legend", "s3csi-mount-*")
                .stdout())
        .isBlank();

    foreground.process().destroy();

    assertThat(foreground.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(foreground.process().exitValue()).as(foreground.errors()).isZero();
    assertThat(foreground.output()).contains("unmounted " + mnt + " (SIGTERM)");
    assertThat(launcher.mountinfo()).doesNotContain(" " + mnt + " ");
  }

  private NamespacedLauncher.Result mount(FuseClient client, String source, Path mnt)
      throws InterruptedException {
    return launcher.run(keys, mountArgs(client, source, mnt));
  }

  /** {@code mount <source> <mnt>} with the client, the S3 server's flags and the state dir. */
  private String[] mountArgs(FuseClient client, String source, Path mnt, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "mount",
                source,
                mnt.toString(),
                "--fuse-client",
                client.id(),
                "--endpoint-url",
                s3.endpoint().toString(),
                "--region",
                "us-east-1",
                "--path-style",
                "--state-dir",
                state));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private Path directory(String name) throws IOException {
    return Files.createDirectories(dir.resolve("mnt").resolve(bucket + "-" + name));
  }

  private static FuseClient anyClient() {
    FuseClient client =
        Files.isExecutable(Path.of("/usr/bin/s3fs")) ? FuseClient.S3FS : FuseClient.RCLONE;
    assumeRunnable(client);
    return client;
  }
}
