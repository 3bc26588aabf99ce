package io.s3csi.systemd;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SystemdMounter against a real systemd (pid 1 of a private namespace), real s3fs and rclone, and
 * an embedded S3 server. The mounter runs inside the namespace, in a {@link MounterHarness} JVM,
 * because systemd only answers clients there; mounts are only visible inside, and the test reads
 * them through {@link SystemdNamespace#hostView}.
 */
@ExtendWith({SystemdExtension.class, S3ServerExtension.class})
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SystemdMounterIT {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static final Duration UPLOAD_WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static SystemdNamespace systemd;
  private static EmbeddedS3Server s3;
  private static MounterProcess mounter;
  private static Path privateRoot;

  private String bucket;

  @BeforeAll
  static void startMounter(SystemdNamespace namespace, EmbeddedS3Server server) {
    systemd = namespace;
    s3 = server;
    privateRoot = dir.resolve("private");
    mounter =
        MounterProcess.start(
            systemd, privateRoot, systemd.privateSocketAddress(), dir.resolve("mounter.log"));
  }

  @AfterAll
  static void stopMounter() throws InterruptedException {
    if (mounter != null) {
      mounter.close();
      System.out.println("[SystemdMounterIT] the mounter's log:\n" + mounter.log());
    }
  }

  @BeforeEach
  void setUp() {
    bucket = "sd-it-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void mount_realClient_servesWritesToS3WithNoSecretInTheUnitAndUnmountLeavesNothing(
      FuseClient client) throws IOException {
    assumeRunnable(client);
    s3.putObject(bucket, "existing.txt", "from s3".getBytes(UTF_8));
    Path target = target("rw-" + client.id());
    String unit = unitOf(target);

    assertThat(mount(mounter, client, target)).isEqualTo("OK\tmounted");

    assertThat(mounter.call("state", target.toString()))
        .isEqualTo(
            "OK\tMounted[volumeId=Optional[vol-"
                + bucket
                + "], readOnly=false, fsType=fuse."
                + client.id()
                + "]");
    Path inside = systemd.hostView(target);
    assertThat(Files.readString(inside.resolve("existing.txt"))).isEqualTo("from s3");
    Files.writeString(inside.resolve("hello.txt"), "hello through " + client);
    await()
        .atMost(UPLOAD_WAIT)
        .untilAsserted(
            () ->
                assertThat(s3.getObject(bucket, "hello.txt").map(b -> new String(b, UTF_8)))
                    .contains("hello through " + client));
    String show = systemd.systemctl("show", unit).requireSuccess().stdout();
    assertThat(show)
        .contains("ActiveState=active", "SubState=running", "Type=exec", "Restart=no")
        .contains("KillMode=mixed", "CollectMode=inactive-or-failed", "TimeoutStopUSec=5s")
        .contains("Description=s3csi: " + client.id() + " mount of " + bucket + "/ at " + target)
        .contains("StandardOutput=append", "StandardError=append")
        .doesNotContain(s3.secretAccessKey());
    String transientFile =
        systemd
            .exec(
                java.util.List.of("cat", "/run/systemd/transient/" + unit), Duration.ofSeconds(10))
            .requireSuccess()
            .stdout();
    assertThat(transientFile)
        .contains("ExecStart=")
        .contains("StandardOutput=append:" + privateDirectory(target).resolve("client.log"))
        .doesNotContain(s3.secretAccessKey());
    assertPrivate(privateDirectory(target));

    assertThat(mounter.call("unmount", target.toString())).isEqualTo("OK\tunmounted");

    assertGone(target);
    assertThat(mounter.call("unmount", target.toString())).isEqualTo("OK\tunmounted");
  }

  @Test
  void mount_wrongSecret_namesTheUnitQuotesS3fsAndLeavesNothing() {
    assumeRunnable(FuseClient.S3FS);
    Path target = target("badkeys");
    String wrong = "Wr0ngSecretValueForTheTest0123456789abcd";

    String answer =
        mounter.call(
            "mount",
            "s3fs",
            "vol-bad",
            target.toString(),
            s3.endpoint().toString(),
            bucket,
            "",
            "false",
            s3.accessKeyId(),
            wrong);

    assertThat(answer)
        .startsWith(
            "ERR\tFAILED_PRECONDITION\ts3fs in unit "
                + unitOf(target)
                + " stopped before serving "
                + bucket
                + "/ at "
                + target)
        .contains("last output of s3fs:\n  > ")
        .contains("invalid credentials")
        .contains("s3csi: s3fs stopped: ")
        .doesNotContain(wrong)
        .doesNotContain(s3.secretAccessKey());
    assertGone(target);
  }

  @Test
  void mount_missingBucket_namesTheUnitAndQuotesS3fs() {
    assumeRunnable(FuseClient.S3FS);
    Path target = target("nobucket");

    String answer =
        mounter.call(
            "mount",
            "s3fs",
            "vol-none",
            target.toString(),
            s3.endpoint().toString(),
            "no-such-bucket",
            "",
            "false",
            s3.accessKeyId(),
            s3.secretAccessKey());

    assertThat(answer)
        .startsWith("ERR\tFAILED_PRECONDITION\ts3fs in unit " + unitOf(target) + " stopped")
        .contains("bucket or key not found");
    assertGone(target);
  }

  @Test
  void newMounter_afterTheOldOneWasKilled_findsTheServingMountAndUnmountsIt() throws Exception {
    FuseClient client = anyClient();
    Path target = target("restart");
    s3.putObject(bucket, "seen.txt", "still here".getBytes(UTF_8));
    MounterProcess first =
        MounterProcess.start(
            systemd, privateRoot, systemd.privateSocketAddress(), dir.resolve("first.log"));
    assertThat(mount(first, client, target)).isEqualTo("OK\tmounted");

    first.kill();

    assertThat(Files.readString(systemd.hostView(target).resolve("seen.txt")))
        .isEqualTo("still here");
    try (MounterProcess second =
        MounterProcess.start(
            systemd, privateRoot, systemd.privateSocketAddress(), dir.resolve("second.log"))) {
      assertThat(second.call("state", target.toString()))
          .startsWith("OK\tMounted[volumeId=Optional[vol-" + bucket + "]");
      assertThat(second.call("recover"))
          .startsWith("OK\tManagedMount[target=" + target + ", volumeId=vol-" + bucket)
          .contains("unit=" + unitOf(target), "unitState=active (running), pid ");
      assertThat(second.call("unmount", target.toString())).isEqualTo("OK\tunmounted");
    }
    assertGone(target);
  }

  @Test
  void state_afterDaemonReexec_reconnectsAndTheMountKeepsServing() throws IOException {
    FuseClient client = anyClient();
    Path target = target("reexec");
    s3.putObject(bucket, "before.txt", "from before".getBytes(UTF_8));
    assertThat(mount(mounter, client, target)).isEqualTo("OK\tmounted");

    systemd.systemctl("daemon-reexec").requireSuccess();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> systemd.systemctl("is-system-running").succeeded());

    assertThat(mounter.call("state", target.toString()))
        .startsWith("OK\tMounted[volumeId=Optional[vol-");
    assertThat(systemd.systemctl("is-active", unitOf(target)).stdout().strip()).isEqualTo("active");
    Path inside = systemd.hostView(target);
    assertThat(Files.readString(inside.resolve("before.txt"))).isEqualTo("from before");
    Files.writeString(inside.resolve("after.txt"), "written after the reexec");
    await()
        .atMost(UPLOAD_WAIT)
        .untilAsserted(
            () ->
                assertThat(s3.getObject(bucket, "after.txt").map(b -> new String(b, UTF_8)))
                    .contains("written after the reexec"));
    assertThat(mounter.call("unmount", target.toString())).isEqualTo("OK\tunmounted");
    assertGone(target);
  }

  @Test
  void state_clientKilled_isCorruptedAndUnmountCleansUp() {
    FuseClient client = anyClient();
    Path target = target("killed");
    assertThat(mount(mounter, client, target)).isEqualTo("OK\tmounted");

    systemd.systemctl("kill", "--signal=KILL", unitOf(target)).requireSuccess();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(mounter.call("state", target.toString()))
                    .startsWith("OK\tCorrupted[volumeId=Optional[vol-" + bucket + "], reason="));
    assertThat(mounter.call("unmount", target.toString())).isEqualTo("OK\tunmounted");
    assertGone(target);
  }

  @Test
  void sweep_realUnits_reportsTheDeadMountAndTheUnknownUnitAndCleansWhatIsSafe() throws Exception {
    FuseClient client = anyClient();
    Path dead = target("sweep-dead");
    Path unmounted = target("sweep-unmounted");
    assertThat(mount(mounter, client, dead)).isEqualTo("OK\tmounted");
    assertThat(mount(mounter, client, unmounted)).isEqualTo("OK\tmounted");
    systemd.systemctl("kill", "--signal=KILL", unitOf(dead)).requireSuccess();
    assertThat(mounter.call("umount", unmounted.toString()))
        .isEqualTo("OK\tunmounted behind the back");
    Path leftover = Files.createDirectories(privateRoot.resolve("00112233aabbccdd"));
    String unknown = "s3csi-8899aabbccddeeff.service";
    systemd
        .exec(
            java.util.List.of("systemd-run", "--unit", unknown, "--collect", "sleep", "600"),
            Duration.ofSeconds(10))
        .requireSuccess();

    try {
      // the killed unit ends and the unmounted client exits by itself, each in its own time:
      // gather what successive sweeps find
      java.util.Set<String> seen = new java.util.TreeSet<>();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                String answer = mounter.call("sweep");
                assertThat(answer).startsWith("OK\t");
                String body = answer.substring("OK\t".length());
                if (!body.isEmpty()) {
                  seen.addAll(java.util.List.of(body.split("\n")));
                }
                return seen.contains("DEAD_MOUNT REPORTED " + dead)
                    && seen.stream().anyMatch(line -> line.endsWith(" CLEANED " + unmounted));
              });

      assertThat(seen)
          .containsExactlyInAnyOrder(
              "DEAD_MOUNT REPORTED " + dead,
              "ORPHAN_FILES CLEANED 00112233aabbccdd",
              "UNKNOWN_CLIENT REPORTED 8899aabbccddeeff",
              seen.stream().filter(l -> l.endsWith(" CLEANED " + unmounted)).findFirst().get());
      assertThat(seen.stream().filter(l -> l.endsWith(" CLEANED " + unmounted)).findFirst().get())
          .matches("ORPHAN_(CLIENT|FILES) CLEANED .*");
      assertThat(leftover).doesNotExist();
      assertGone(unmounted);
      assertThat(namespaceMountinfo()).contains(" " + dead + " ");
      assertThat(privateDirectory(dead)).isDirectory();
      assertThat(systemd.systemctl("is-active", unknown).stdout().strip()).isEqualTo("active");
    } finally {
      systemd.systemctl("stop", unknown);
      assertThat(mounter.call("unmount", dead.toString())).isEqualTo("OK\tunmounted");
      assertGone(dead);
    }
  }

  private String mount(MounterProcess process, FuseClient client, Path target) {
    return process.call(
        "mount",
        client.id(),
        "vol-" + bucket,
        target.toString(),
        s3.endpoint().toString(),
        bucket,
        "",
        "false",
        s3.accessKeyId(),
        s3.secretAccessKey());
  }

  private void assertGone(Path target) {
    assertThat(systemd.systemctl("show", "-p", "LoadState", unitOf(target)).stdout().strip())
        .isEqualTo("LoadState=not-found");
    assertThat(privateDirectory(target)).doesNotExist();
    assertThat(namespaceMountinfo()).doesNotContain(" " + target + " ");
  }

  private String namespaceMountinfo() {
    try {
      return Files.readString(Path.of("/proc", Long.toString(systemd.pid()), "mountinfo"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertPrivate(Path directory) throws IOException {
    assertThat(Files.getPosixFilePermissions(directory))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files.filter(Files::isRegularFile))
          .isNotEmpty()
          .allSatisfy(
              f ->
                  assertThat(Files.getPosixFilePermissions(f))
                      .isEqualTo(PosixFilePermissions.fromString("rw-------")));
    }
  }

  private static Path privateDirectory(Path target) {
    return new PrivateDirectories(privateRoot).directoryFor(target);
  }

  private static String unitOf(Path target) {
    return "s3csi-" + PrivateDirectories.keyOf(target) + ".service";
  }

  private Path target(String name) {
    try {
      return Files.createDirectories(dir.resolve("targets").resolve(bucket + "-" + name));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FuseClient anyClient() {
    FuseClient client =
        FuseClients.unavailable(FuseClient.S3FS).isEmpty() ? FuseClient.S3FS : FuseClient.RCLONE;
    assumeRunnable(client);
    return client;
  }

  private static void assumeRunnable(FuseClient client) {
    Optional<String> why = FuseClients.unavailable(client);
    Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
  }
}
