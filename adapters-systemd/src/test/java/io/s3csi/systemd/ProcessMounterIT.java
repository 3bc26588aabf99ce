package io.s3csi.systemd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.health.MountSweeper;
import io.s3csi.core.health.SweepFinding;
import io.s3csi.core.health.SweepListener;
import io.s3csi.core.health.SweepReport;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.mount.MountEntry;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.MountTable;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.core.node.VolumeLocks;
import io.s3csi.testkit.junit.S3ServerExtension;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * ProcessMounter with the real s3fs and rclone against an embedded S3 server, as root with FUSE.
 * Each test uses its own bucket and its own target directories.
 */
@ExtendWith(S3ServerExtension.class)
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcessMounterIT {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static final Duration UPLOAD_WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private EmbeddedS3Server s3;
  private S3Client sdk;
  private String bucket;
  private PrivateDirectories privateDirectories;
  private ProcessMounter mounter;

  @BeforeEach
  void setUp(EmbeddedS3Server server) {
    s3 = server;
    bucket = "it-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
    sdk =
        S3Client.builder()
            .endpointOverride(s3.endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    privateDirectories = new PrivateDirectories(dir.resolve("private"));
    mounter = mounter();
  }

  @AfterEach
  void tearDown() {
    mounter.close();
    sdk.close();
    // never let @TempDir walk into a mount a failed test left behind
    KernelMounts kernel = KernelMounts.system();
    kernel.table().entries().stream()
        .map(MountEntry::mountPoint)
        .filter(mountPoint -> mountPoint.startsWith(dir))
        .distinct()
        .forEach(kernel::unmount);
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void mount_bucket_servesReadsAndWritesUntilUnmounted(FuseClient client) throws IOException {
    assumeRunnable(client);
    s3.putObject(bucket, "existing.txt", "from s3".getBytes(UTF_8));
    Path target = target("rw");

    timedMount(spec(client, target, Optional.empty(), false, keys()));

    assertThat(mounter.state(target))
        .isEqualTo(new MountState.Mounted(Optional.of("vol-" + bucket), false, fsType(client)));
    assertThat(Files.readString(target.resolve("existing.txt"))).isEqualTo("from s3");
    Files.writeString(target.resolve("hello.txt"), "hello through " + client);
    await()
        .atMost(UPLOAD_WAIT)
        .untilAsserted(() -> assertThat(object("hello.txt")).hasValue("hello through " + client));

    mounter.unmount(target);

    assertCleanedUp(target);
    assertThat(mounter.state(target)).isEqualTo(MountState.NOT_MOUNTED);
    mounter.unmount(target);
    assertCleanedUp(target);
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void mount_prefix_servesOnlyTheKeysUnderIt(FuseClient client) throws IOException {
    assumeRunnable(client);
    s3.putObject(bucket, "team/a/inside.txt", "inside".getBytes(UTF_8));
    s3.putObject(bucket, "outside.txt", "outside".getBytes(UTF_8));
    Path target = target("prefix");

    timedMount(spec(client, target, Optional.of("team/a/"), false, keys()));

    try (Stream<Path> listing = Files.list(target)) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("inside.txt");
    }
    Files.writeString(target.resolve("new.txt"), "written under the prefix");
    await()
        .atMost(UPLOAD_WAIT)
        .untilAsserted(
            () -> assertThat(object("team/a/new.txt")).hasValue("written under the prefix"));
    mounter.unmount(target);
    assertCleanedUp(target);
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void mount_readOnly_kernelMountIsReadOnlyAndWritesFailWithErofs(FuseClient client)
      throws IOException {
    assumeRunnable(client);
    s3.putObject(bucket, "existing.txt", "from s3".getBytes(UTF_8));
    Path target = target("ro");

    timedMount(spec(client, target, Optional.empty(), true, keys()));

    assertThat(mountTable().at(target)).hasValueSatisfying(e -> assertThat(e.readOnly()).isTrue());
    assertThat(mounter.state(target))
        .isEqualTo(new MountState.Mounted(Optional.of("vol-" + bucket), true, fsType(client)));
    assertThat(Files.readString(target.resolve("existing.txt"))).isEqualTo("from s3");
    assertThatThrownBy(() -> Files.writeString(target.resolve("new.txt"), "nope"))
        .isInstanceOf(FileSystemException.class)
        .hasMessage(target.resolve("new.txt") + ": Read-only file system");
    mounter.unmount(target);
    assertCleanedUp(target);
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void state_clientKilled_isCorruptedAndUnmountCleansUp(FuseClient client) {
    assumeRunnable(client);
    Path target = target("killed");
    timedMount(spec(client, target, Optional.empty(), false, keys()));
    ProcessHandle process = clientProcesses(target).get(0);

    assertThat(process.destroyForcibly()).isTrue();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(mounter.state(target))
                    .isEqualTo(
                        new MountState.Corrupted(
                            Optional.of("vol-" + bucket),
                            client.id()
                                + " (pid "
                                + process.pid()
                                + ") exited with status 137 (killed by signal 9)")));
    assertThat(mountTable().at(target)).isPresent();
    mounter.unmount(target);
    assertCleanedUp(target);
    mounter.unmount(target);
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void state_clientStopped_isCorruptedNotRespondingAndUnmountStillWorks(FuseClient client)
      throws Exception {
    assumeRunnable(client);
    mounter.close();
    mounter =
        ProcessMounter.builder(privateDirectories)
            .probeTimeout(Duration.ofSeconds(1))
            .stopTimeout(Duration.ofSeconds(2))
            .build();
    Path target = target("hung");
    timedMount(spec(client, target, Optional.empty(), false, keys()));
    long pid = clientProcesses(target).get(0).pid();
    signal("STOP", pid);
    // kill(2) returns before every thread has stopped; a worker still running would answer
    await().atMost(Duration.ofSeconds(10)).until(() -> allThreadsStopped(pid));

    long start = System.nanoTime();
    MountState state = mounter.state(target);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(state)
        .isEqualTo(
            new MountState.Corrupted(
                Optional.of("vol-" + bucket),
                "the FUSE client is not responding: the mount did not answer statfs and stat within 1000 ms"));
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    mounter.unmount(target);
    assertCleanedUp(target);
  }

  @Test
  void s3fs_wrongCredentials_failsQuotingTheClientWithoutTheSecret() {
    assumeRunnable(FuseClient.S3FS);
    Path target = target("badkeys");
    String wrongSecret = "Wr0ngSecretValueForTheTest0123456789abcd";

    DriverException e =
        catchDriverException(
            () ->
                mounter.mount(
                    spec(
                        FuseClient.S3FS,
                        target,
                        Optional.empty(),
                        false,
                        Specs.keys(s3.accessKeyId(), wrongSecret))));

    assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
    // s3fs 1.90 mounts, checks the bucket in its init callback, then unmounts and exits with 0
    assertThat(e.getMessage())
        .matches("(?s)s3fs \\(pid \\d+\\) exited with status \\d+ before serving " + bucket + "/.*")
        .contains("last output of s3fs:\n  > ")
        .contains("invalid credentials")
        .doesNotContain(wrongSecret)
        .doesNotContain(s3.secretAccessKey());
    assertCleanedUp(target);
  }

  @Test
  void s3fs_missingBucket_failsQuotingTheClient() {
    assumeRunnable(FuseClient.S3FS);
    Path target = target("nobucket");

    DriverException e =
        catchDriverException(
            () ->
                mounter.mount(
                    Specs.spec(
                        FuseClient.S3FS,
                        "vol-missing",
                        target,
                        s3.endpoint(),
                        "no-such-bucket",
                        Optional.empty(),
                        false,
                        keys())));

    assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
    assertThat(e.getMessage())
        .startsWith("s3fs (pid ")
        .contains("before serving no-such-bucket/ at " + target)
        .contains("bucket or key not found")
        .doesNotContain(s3.secretAccessKey());
    assertCleanedUp(target);
  }

  /**
   * rclone checks nothing when it mounts: the mount serves, and the first access that reaches S3
   * fails with EIO (rclone logs the 403). The mounter cannot tell, and reports the mount as served.
   */
  @Test
  void rclone_wrongCredentials_mountsAndFirstAccessFailsWithEio() {
    assumeRunnable(FuseClient.RCLONE);
    Path target = target("badkeys");
    String wrongSecret = "Wr0ngSecretValueForTheTest0123456789abcd";

    mounter.mount(
        spec(
            FuseClient.RCLONE,
            target,
            Optional.empty(),
            false,
            Specs.keys(s3.accessKeyId(), wrongSecret)));

    assertThat(mounter.state(target)).isInstanceOf(MountState.Mounted.class);
    Path file = target.resolve("any.txt");
    assertThatThrownBy(() -> Files.readAttributes(file, BasicFileAttributes.class))
        .isInstanceOf(FileSystemException.class)
        .hasMessage(file + ": Input/output error");
    mounter.unmount(target);
    assertCleanedUp(target);
  }

  /** rclone mounts a missing bucket as an empty directory; it creates the bucket on first write. */
  @Test
  void rclone_missingBucket_mountsAnEmptyDirectory() throws IOException {
    assumeRunnable(FuseClient.RCLONE);
    Path target = target("nobucket");

    mounter.mount(
        Specs.spec(
            FuseClient.RCLONE,
            "vol-missing",
            target,
            s3.endpoint(),
            "no-such-bucket",
            Optional.empty(),
            false,
            keys()));

    try (Stream<Path> listing = Files.list(target)) {
      assertThat(listing).isEmpty();
    }
    mounter.unmount(target);
    assertCleanedUp(target);
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void unmount_byANewMounterAfterARestart_knowsTheVolumeAndRemovesTheOrphansMount(
      FuseClient client) {
    assumeRunnable(client);
    Path target = target("orphan");
    timedMount(spec(client, target, Optional.empty(), false, keys()));
    ProcessHandle orphan = clientProcesses(target).get(0);

    try (ProcessMounter restarted = mounter()) {
      // the record in the private directory still names the volume
      assertThat(restarted.state(target))
          .isEqualTo(new MountState.Mounted(Optional.of("vol-" + bucket), false, fsType(client)));

      restarted.unmount(target);

      assertThat(mountTable().at(target)).isEmpty();
      assertThat(privateDirectories.directoryFor(target)).doesNotExist();
      // the orphaned client notices that its mount is gone and exits by itself
      await().atMost(Duration.ofSeconds(15)).until(() -> !orphan.isAlive());
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void state_orphanedMountWhoseClientDied_isCorruptedWithEnotconn(FuseClient client)
      throws IOException {
    assumeRunnable(client);
    Path target = target("dead-orphan");
    timedMount(spec(client, target, Optional.empty(), false, keys()));
    ProcessHandle orphan = clientProcesses(target).get(0);

    try (ProcessMounter restarted = mounter()) {
      orphan.destroyForcibly();
      await().atMost(Duration.ofSeconds(10)).until(() -> !orphan.isAlive());

      String enotconn =
          "the FUSE client is gone: statfs failed with ENOTCONN (Transport endpoint is not"
              + " connected)";
      assertThat(restarted.state(target))
          .isEqualTo(new MountState.Corrupted(Optional.of("vol-" + bucket), enotconn));
      Files.delete(privateDirectories.directoryFor(target).resolve(MountRecord.FILE_NAME));
      assertThat(restarted.state(target))
          .isEqualTo(new MountState.Corrupted(Optional.empty(), enotconn));

      restarted.unmount(target);
      assertCleanedUp(target);
    }
  }

  @Test
  void close_unmountsEveryMountAndStopsEveryClient() {
    FuseClient client =
        FuseClients.unavailable(FuseClient.S3FS).isEmpty() ? FuseClient.S3FS : FuseClient.RCLONE;
    assumeRunnable(client);
    Path first = target("first");
    Path second = target("second");
    mounter.mount(spec(client, first, Optional.empty(), false, keys()));
    mounter.mount(spec(client, second, Optional.empty(), true, keys()));

    mounter.close();

    assertCleanedUp(first);
    assertCleanedUp(second);
    assertThatThrownBy(() -> mounter.mount(spec(client, first, Optional.empty(), false, keys())))
        .hasMessage("the process mounter is closed");
  }

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE"})
  void usage_servingMount_isWhatTheClientReports(FuseClient client) {
    assumeRunnable(client);
    Path target = target("usage");
    timedMount(spec(client, target, Optional.empty(), false, keys()));

    FileSystemUsage usage = mounter.usage(target).orElseThrow();

    System.out.println("[ProcessMounterIT] " + client + " reports " + usage);
    assertThat(usage.bytesTotal()).isPositive();
    assertThat(usage.bytesAvailable()).isBetween(0L, usage.bytesTotal());
    assertThat(usage.bytesUsed()).isBetween(0L, usage.bytesTotal());
    mounter.unmount(target);
    assertThat(mounter.usage(target)).isEmpty();
  }

  @Test
  void sweep_realClients_reportsTheDeadMountAndCleansUpAfterTheUnmountedOne() {
    assumeRunnable(FuseClient.S3FS);
    Path dead = target("sweep-dead");
    Path unmounted = target("sweep-unmounted");
    timedMount(spec(FuseClient.S3FS, dead, Optional.empty(), false, keys()));
    timedMount(spec(FuseClient.S3FS, unmounted, Optional.empty(), false, keys()));
    assertThat(clientProcesses(dead).get(0).destroyForcibly()).isTrue();
    KernelMounts.system().unmount(unmounted); // behind the driver's back; s3fs exits
    MountSweeper sweeper =
        new MountSweeper(
            mounter, new VolumeLocks(), SweepListener.NONE, Clock.systemUTC(), Duration.ZERO);

    SweepReport report =
        await().atMost(Duration.ofSeconds(20)).until(sweeper::sweep, r -> r.findings().size() == 2);

    assertThat(report.findings(SweepFinding.Kind.DEAD_MOUNT))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.target()).contains(dead);
              assertThat(f.action()).isEqualTo(SweepFinding.Action.REPORTED);
              assertThat(f.detail()).contains("killed by signal 9");
            });
    assertThat(report.findings())
        .filteredOn(f -> f.target().equals(Optional.of(unmounted)))
        .singleElement()
        .satisfies(f -> assertThat(f.action()).isEqualTo(SweepFinding.Action.CLEANED));
    assertThat(mountTable().at(dead)).isPresent();
    assertThat(privateDirectories.directoryFor(dead)).isDirectory();
    assertCleanedUp(unmounted);
    assertThat(sweeper.sweep().findings())
        .extracting(SweepFinding::kind)
        .containsExactly(SweepFinding.Kind.DEAD_MOUNT);
    mounter.unmount(dead);
    assertCleanedUp(dead);
    assertThat(sweeper.sweep().checked()).isZero();
  }

  private ProcessMounter mounter() {
    return ProcessMounter.builder(privateDirectories).stopTimeout(Duration.ofSeconds(5)).build();
  }

  private void timedMount(MountSpec spec) {
    long start = System.nanoTime();
    mounter.mount(spec);
    System.out.printf(
        "[ProcessMounterIT] %s served %s%s in %d ms%n",
        spec.client(),
        spec.source(),
        spec.readOnly() ? " read-only" : "",
        Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  private MountSpec spec(
      FuseClient client, Path target, Optional<String> prefix, boolean readOnly, Credentials keys) {
    return Specs.spec(
        client, "vol-" + bucket, target, s3.endpoint(), bucket, prefix, readOnly, keys);
  }

  private Credentials keys() {
    return Specs.keys(s3.accessKeyId(), s3.secretAccessKey());
  }

  private Path target(String name) {
    try {
      return Files.createDirectories(dir.resolve("targets").resolve(name));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Optional<String> object(String key) {
    try {
      return Optional.of(sdk.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  private void assertCleanedUp(Path target) {
    assertThat(mountTable().at(target)).isEmpty();
    assertThat(privateDirectories.directoryFor(target)).doesNotExist();
    assertThat(clientProcesses(target)).isEmpty();
  }

  private static MountTable mountTable() {
    return KernelMounts.system().table();
  }

  private static List<ProcessHandle> clientProcesses(Path target) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains(" " + target + " "))
        .toList();
  }

  private static String fsType(FuseClient client) {
    return "fuse." + client.id();
  }

  /** Whether every thread of a process is stopped ({@code T} in its {@code stat}). */
  private static boolean allThreadsStopped(long pid) throws IOException {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks.allMatch(
          task -> {
            try {
              String stat = Files.readString(task.resolve("stat"));
              return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
            } catch (IOException e) {
              return true; // the thread is gone
            }
          });
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor()).isZero();
  }

  private static void assumeRunnable(FuseClient client) {
    Optional<String> why = FuseClients.unavailable(client);
    why.ifPresent(reason -> System.out.println("[ProcessMounterIT] skipped: " + reason));
    Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
  }

  private static DriverException catchDriverException(Runnable call) {
    try {
      call.run();
    } catch (DriverException e) {
      return e;
    }
    throw new AssertionError("expected a DriverException");
  }
}
