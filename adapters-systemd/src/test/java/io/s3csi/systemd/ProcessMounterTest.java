package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.mount.ManagedTarget;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.PrivateDirectories;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProcessMounter with stand-in clients: shell scripts named s3fs that fail, hang or report what
 * they were given. No FUSE is involved; real clients are in {@code ProcessMounterIT}.
 */
class ProcessMounterTest {
  private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
  private static final URI ENDPOINT = URI.create("http://127.0.0.1:9");

  @TempDir Path dir;
  private Path bin;
  private Path target;
  private PrivateDirectories privateDirectories;
  private ProcessMounter mounter;

  @BeforeEach
  void setUp() throws IOException {
    bin = Files.createDirectory(dir.resolve("bin"));
    target = Files.createDirectory(dir.resolve("target"));
    privateDirectories = new PrivateDirectories(dir.resolve("private"));
    mounter = mounter(builder -> {});
  }

  @AfterEach
  void tearDown() {
    mounter.close();
  }

  @Test
  void mount_clientNotInstalled_failsPreconditionAndWritesNothing() {
    assertThatThrownBy(() -> mounter.mount(spec(target)))
        .isInstanceOf(DriverException.class)
        .hasMessage("s3fs is not installed (looked in " + bin + ")")
        .extracting(e -> ((DriverException) e).kind())
        .isEqualTo(ErrorKind.FAILED_PRECONDITION);
    assertThat(privateDirectories.keys()).isEmpty();
  }

  @Test
  void mount_clientExits_quotesItsRedactedOutputAndLeavesNothing() throws IOException {
    client(
        """
        echo "s3fs: checking service with $(cat "$HOME/passwd-s3fs")"
        echo "s3fs: invalid credentials" >&2
        exit 3
        """);

    DriverException e = catchDriverException(() -> mounter.mount(spec(target)));

    assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
    assertThat(e.getMessage().replaceFirst("pid \\d+", "pid N"))
        .isEqualTo(
            "s3fs (pid N) exited with status 3 before serving bkt/ at "
                + target
                + "; last output of s3fs:\n"
                + "  > s3fs: checking service with AKIDTEST:***\n"
                + "  > s3fs: invalid credentials");
    assertThat(e.getMessage()).doesNotContain(SECRET);
    assertThat(privateDirectories.keys()).isEmpty();
    assertThat(mounter.state(target)).isEqualTo(MountState.NOT_MOUNTED);
  }

  @Test
  void mount_clientExitsWithStatusZero_isStillAFailure() throws IOException {
    client("exit 0\n");

    DriverException e = catchDriverException(() -> mounter.mount(spec(target)));

    assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
    assertThat(e.getMessage().replaceFirst("pid \\d+", "pid N"))
        .isEqualTo(
            "s3fs (pid N) exited with status 0 before serving bkt/ at "
                + target
                + "; s3fs printed nothing");
  }

  @Test
  void mount_client_getsExactlyTheCommandsEnvironmentInItsPrivateDirectory() throws IOException {
    Path seen = dir.resolve("env.txt");
    client("/usr/bin/env > " + seen + "\nexit 1\n");
    MountSpec spec = spec(target);

    catchDriverException(() -> mounter.mount(spec));

    Map<String, String> env = new TreeMap<>();
    for (String line : Files.readAllLines(seen)) {
      int eq = line.indexOf('=');
      env.put(line.substring(0, eq), line.substring(eq + 1));
    }
    Path privateDirectory = privateDirectories.directoryFor(target);
    // dash exports the working directory as PWD to the commands it runs
    assertThat(env.remove("PWD")).isEqualTo(privateDirectory.toString());
    assertThat(env).isEqualTo(FuseCommand.forSpec(spec, privateDirectory).environment());
  }

  @Test
  void mount_clientNeverServes_deadlineExceededAndClientStopped() throws IOException {
    Path pidFile = dir.resolve("client.pid");
    client("echo $$ > " + pidFile + "\necho 'connecting to the endpoint'\nexec sleep 600\n");
    mounter.close();
    mounter = mounter(builder -> builder.mountTimeout(Duration.ofMillis(500)));

    DriverException e = catchDriverException(() -> mounter.mount(spec(target)));

    assertThat(e.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
    assertThat(e.getMessage())
        .isEqualTo(
            "s3fs did not serve bkt/ at "
                + target
                + " within 500 ms (the kernel lists no mount at the target) and was stopped;"
                + " last output of s3fs:\n"
                + "  > connecting to the endpoint");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(privateDirectories.keys()).isEmpty();
  }

  @Test
  void mount_differentTargets_doNotWaitForEachOther() throws Exception {
    Path pidFile = dir.resolve("slow.pid");
    client(
        """
        case "$2" in
          *slow*) echo $$ > %s; exec sleep 600 ;;
          *) echo "fast failure"; exit 1 ;;
        esac
        """
            .formatted(pidFile));
    Path slow = Files.createDirectory(dir.resolve("slow"));
    CompletableFuture<Void> slowMount = CompletableFuture.runAsync(() -> mounter.mount(spec(slow)));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(pidFile) > 0);

    assertThatThrownBy(() -> mounter.mount(spec(target))).hasMessageContaining("fast failure");
    assertThat(slowMount).isNotDone();

    long pid = Long.parseLong(Files.readString(pidFile).strip());
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    assertThatThrownBy(() -> slowMount.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessageContaining("exited with status 143 (killed by signal 15) before serving");
  }

  @Test
  void mount_fakeKernelListsAnAnsweringMount_servesUntilUnmounted() throws IOException {
    FakeKernel kernel = new FakeKernel();
    Path pidFile = dir.resolve("client.pid");
    client("echo $$ > " + pidFile + "\n" + kernel.mountLine() + "\nexec sleep 600\n");
    mounter.close();
    mounter =
        ProcessMounter.builder(privateDirectories).searchPath(List.of(bin)).build(kernel.mounts);

    mounter.mount(spec(target));

    assertThat(mounter.state(target))
        .isEqualTo(new MountState.Mounted(Optional.of("vol-1"), false, "fuse.s3fs"));
    assertThat(privateDirectories.directoryFor(target).resolve("passwd-s3fs")).exists();
    long pid = Long.parseLong(Files.readString(pidFile).strip());

    mounter.unmount(target);

    assertThat(kernel.syscalls.umounts())
        .containsExactly(new FakeSyscalls.Umount(target.toString(), Syscalls.UMOUNT_NOFOLLOW));
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(privateDirectories.keys()).isEmpty();
    assertThat(mounter.state(target)).isEqualTo(MountState.NOT_MOUNTED);
  }

  @Test
  void mount_mountAnswersOnceThenDies_isNotServingAndFailsWhenTheClientExits() throws IOException {
    FakeKernel kernel = new FakeKernel();
    // what s3fs does when its bucket check fails: mount, answer what is queued, stop, exit 0
    kernel.syscalls.statfsAnswers(0).statfsErrno(Errnos.ENOTCONN);
    client(kernel.mountLine() + "\nsleep 2\necho 'invalid credentials'\nexit 0\n");
    mounter.close();
    mounter =
        ProcessMounter.builder(privateDirectories).searchPath(List.of(bin)).build(kernel.mounts);

    DriverException e = catchDriverException(() -> mounter.mount(spec(target)));

    assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
    assertThat(e.getMessage())
        .contains("exited with status 0 before serving bkt/ at " + target)
        .endsWith("  > invalid credentials");
    assertThat(kernel.syscalls.statfsCalls()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void mount_targetAlreadyMounted_failsPreconditionBeforeStartingAnything() throws IOException {
    client("exit 1\n");

    assertThatThrownBy(() -> mounter.mount(spec(Path.of("/proc"))))
        .isInstanceOf(DriverException.class)
        .hasMessage("target /proc already has a proc mount; unmount it")
        .extracting(e -> ((DriverException) e).kind())
        .isEqualTo(ErrorKind.FAILED_PRECONDITION);
    assertThat(privateDirectories.keys()).isEmpty();
  }

  @Test
  void mount_afterClose_failsPrecondition() {
    mounter.close();

    assertThatThrownBy(() -> mounter.mount(spec(target)))
        .isInstanceOf(DriverException.class)
        .hasMessage("the process mounter is closed");
  }

  @Test
  void state_plainDirectory_isNotMounted() {
    assertThat(mounter.state(target)).isEqualTo(MountState.NOT_MOUNTED);
    assertThat(mounter.state(dir.resolve("missing"))).isEqualTo(MountState.NOT_MOUNTED);
  }

  @Test
  void state_mountItDidNotMake_isMountedWithoutVolumeId() {
    assertThat(mounter.state(Path.of("/proc")))
        .isEqualTo(new MountState.Mounted(Optional.empty(), false, "proc"));
  }

  @Test
  void unmount_nothingMounted_removesLeftoverPrivateFilesAndIsIdempotent() throws IOException {
    Path leftover = Files.createDirectories(privateDirectories.directoryFor(target));
    Files.writeString(leftover.resolve("passwd-s3fs"), "AKIDTEST:" + SECRET);

    mounter.unmount(target);
    mounter.unmount(target);
    mounter.unmount(dir.resolve("missing"));

    assertThat(leftover).doesNotExist();
    assertThat(target).isDirectory();
  }

  @Test
  void builder_badSettings_areRejectedNamingTheSetting() {
    ProcessMounter.Builder builder = ProcessMounter.builder(privateDirectories);

    assertThatThrownBy(() -> builder.mountTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mountTimeout: must be positive, got PT0S");
    assertThatThrownBy(() -> builder.stopTimeout(Duration.ofSeconds(-1)))
        .hasMessage("stopTimeout: must be positive, got PT-1S");
    assertThatThrownBy(() -> builder.probeTimeout(Duration.ZERO))
        .hasMessage("probeTimeout: must be positive, got PT0S");
    assertThatThrownBy(() -> builder.searchPath(List.of()))
        .hasMessage("searchPath: must name at least one directory");
    assertThatThrownBy(() -> builder.searchPath(List.of(Path.of("usr/bin"))))
        .hasMessage("searchPath: usr/bin is not absolute");
  }

  @Test
  void managedTargets_runningClient_isListedAndARestartedMounterStillKnowsTheVolume()
      throws IOException {
    FakeKernel kernel = new FakeKernel();
    client(kernel.mountLine() + "\nexec sleep 600\n");
    mounter.close();
    mounter =
        ProcessMounter.builder(privateDirectories).searchPath(List.of(bin)).build(kernel.mounts);
    mounter.mount(spec(target));

    ManagedTarget entry = mounter.managedTarget(target).orElseThrow();
    assertThat(entry.key()).isEqualTo(PrivateDirectories.keyOf(target));
    assertThat(entry.target()).contains(target);
    assertThat(entry.volumeId()).contains("vol-1");
    assertThat(entry.clientRunning()).isTrue();
    assertThat(mounter.managedTargets()).containsExactly(entry);

    ProcessMounter restarted =
        ProcessMounter.builder(privateDirectories).searchPath(List.of(bin)).build(kernel.mounts);
    assertThat(restarted.state(target))
        .isEqualTo(new MountState.Mounted(Optional.of("vol-1"), false, "fuse.s3fs"));
    assertThat(restarted.managedTarget(target).orElseThrow().clientRunning()).isFalse();
  }

  @Test
  void usage_answeringMount_isWhatStatfsReports() throws IOException {
    FakeKernel kernel = new FakeKernel();
    FileSystemUsage usage = new FileSystemUsage(4096, 4096, 0, 10, 10, 0);
    kernel.syscalls.usage(usage);
    client(kernel.mountLine() + "\nexec sleep 600\n");
    mounter.close();
    mounter =
        ProcessMounter.builder(privateDirectories).searchPath(List.of(bin)).build(kernel.mounts);
    assertThat(mounter.usage(target)).isEmpty();

    mounter.mount(spec(target));

    assertThat(mounter.usage(target)).contains(usage);
  }

  @Test
  void forget_clientWhoseMountWasRemoved_stopsItAndRemovesTheFiles() throws IOException {
    FakeKernel kernel = new FakeKernel();
    Path pidFile = dir.resolve("client.pid");
    client("echo $$ > " + pidFile + "\n" + kernel.mountLine() + "\nexec sleep 600\n");
    mounter.close();
    mounter =
        ProcessMounter.builder(privateDirectories).searchPath(List.of(bin)).build(kernel.mounts);
    mounter.mount(spec(target));
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    ManagedTarget entry = mounter.managedTarget(target).orElseThrow();

    DriverException mounted = catchDriverException(() -> mounter.forget(entry));
    assertThat(mounted.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);

    kernel.syscalls.umount2(target.toString(), 0);
    mounter.forget(entry);
    mounter.forget(entry);

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(privateDirectories.keys()).isEmpty();
    assertThat(mounter.managedTargets()).isEmpty();
  }

  @Test
  void managedTargets_filesWithoutRecord_haveNoTargetAndForgetRemovesThem() throws IOException {
    Files.createDirectories(privateDirectories.root().resolve("00112233aabbccdd"));

    List<ManagedTarget> all = mounter.managedTargets();

    assertThat(all)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.target()).isEmpty();
              assertThat(e.clientRunning()).isFalse();
            });
    mounter.forget(all.get(0));
    assertThat(privateDirectories.keys()).isEmpty();
  }

  /** A mount table file the stand-in client writes its mount into, and syscalls that see it. */
  private final class FakeKernel {
    final Path mountinfo = dir.resolve("mountinfo");
    final FakeSyscalls syscalls = new FakeSyscalls();
    final KernelMounts mounts = new KernelMounts(mountinfo, syscalls);

    FakeKernel() throws IOException {
      Files.writeString(mountinfo, "27 1 8:1 / / rw,relatime - ext4 /dev/vda rw\n");
      syscalls.onUmount2(
          (path, flags) -> {
            try {
              List<String> lines = Files.readAllLines(mountinfo);
              List<String> kept =
                  lines.stream().filter(line -> !line.contains(" " + path + " ")).toList();
              Files.write(mountinfo, kept);
              return kept.size() < lines.size() ? 0 : Errnos.EINVAL;
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }

    /** A shell line that adds the target's FUSE mount to the table. */
    String mountLine() {
      return "echo '40 27 0:41 / "
          + target
          + " rw,nosuid,nodev,relatime - fuse.s3fs s3fs rw,user_id=0' >> "
          + mountinfo;
    }
  }

  private ProcessMounter mounter(Consumer<ProcessMounter.Builder> settings) {
    ProcessMounter.Builder builder =
        ProcessMounter.builder(privateDirectories)
            .searchPath(List.of(bin))
            .stopTimeout(Duration.ofSeconds(5));
    settings.accept(builder);
    return builder.build();
  }

  private MountSpec spec(Path at) {
    return Specs.spec(
        FuseClient.S3FS,
        "vol-1",
        at,
        ENDPOINT,
        "bkt",
        Optional.empty(),
        false,
        Specs.keys("AKIDTEST", SECRET));
  }

  private void client(String body) throws IOException {
    Path script = bin.resolve("s3fs");
    Files.writeString(script, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
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
