package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.credentials.Credentials;
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
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SystemdMounter over a fake systemd and a scripted kernel: a mount table file the tests edit and
 * system calls that answer as told. The real systemd is in {@code SystemdMounterIT}.
 */
class SystemdMounterTest {
  private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
  private static final String TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue0123456789";
  private static final URI ENDPOINT = URI.create("http://127.0.0.1:9");
  private static final Instant NOW = Instant.parse("2026-11-21T03:00:00Z");

  @TempDir Path dir;
  private Path bin;
  private Path target;
  private Path mountinfo;
  private PrivateDirectories privateDirectories;
  private FakeSystemd systemd;
  private FakeSyscalls syscalls;
  private KernelMounts kernel;
  private SystemdMounter mounter;

  @BeforeEach
  void setUp() throws IOException {
    bin = Files.createDirectory(dir.resolve("bin"));
    for (String program : List.of("s3fs", "rclone", "sh")) {
      Path file = Files.writeString(bin.resolve(program), "#!/bin/false\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    target = Files.createDirectory(dir.resolve("target"));
    mountinfo =
        Files.writeString(dir.resolve("mountinfo"), line(Path.of("/"), "ext4", "/dev/vda1"));
    privateDirectories = new PrivateDirectories(dir.resolve("private"));
    systemd = new FakeSystemd();
    syscalls = new FakeSyscalls().onUmount2((path, flags) -> removeMount(Path.of(path)));
    kernel = new KernelMounts(mountinfo, syscalls);
    mounter = mounter(Duration.ofSeconds(5));
  }

  @Test
  void mount_unitServes_startsAServiceWithoutSecretsAndRecordsTheVolume() throws IOException {
    systemd.onStart(service -> addMount(target, "fuse.rclone"));

    mounter.mount(spec(FuseClient.RCLONE, target, false, keys(Optional.of(TOKEN))));

    assertThat(mounter.state(target))
        .isEqualTo(new MountState.Mounted(Optional.of("vol-1"), false, "fuse.rclone"));
    TransientService service = systemd.started().get(0);
    Path privateDirectory = privateDirectories.directoryFor(target);
    assertThat(service.name()).isEqualTo("s3csi-" + PrivateDirectories.keyOf(target) + ".service");
    assertThat(service.description())
        .isEqualTo("s3csi: rclone mount of bkt/ at " + target + " (volume vol-1)");
    assertThat(service.argv().get(0)).isEqualTo(bin.resolve("rclone").toString());
    assertThat(service.environment())
        .isEqualTo(
            FuseCommand.forSpec(
                    spec(FuseClient.RCLONE, target, false, keys(Optional.of(TOKEN))),
                    privateDirectory)
                .environment());
    assertThat(service.logFile()).isEqualTo(privateDirectory.resolve("client.log"));
    assertThat(service.shell()).isEqualTo(bin.resolve("sh"));
    assertThat(TransientServiceTest.texts(service.properties()))
        .noneMatch(text -> text.contains(SECRET) || text.contains(TOKEN));
    assertThat(Files.getPosixFilePermissions(privateDirectory))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    try (Stream<Path> files = Files.list(privateDirectory)) {
      assertThat(files.filter(Files::isRegularFile))
          .isNotEmpty()
          .allSatisfy(
              file ->
                  assertThat(Files.getPosixFilePermissions(file))
                      .isEqualTo(PosixFilePermissions.fromString("rw-------")));
    }
  }

  @Test
  void mount_targetAlreadyMounted_failsPreconditionAndStartsNothing() {
    addMount(target, "tmpfs");

    assertThatThrownBy(() -> mounter.mount(spec(FuseClient.S3FS, target, false, keys())))
        .isInstanceOf(DriverException.class)
        .hasMessage("target " + target + " already has a tmpfs mount; unmount it")
        .extracting(e -> ((DriverException) e).kind())
        .isEqualTo(ErrorKind.FAILED_PRECONDITION);
    assertThat(systemd.started()).isEmpty();
  }

  @Test
  void mount_unitEndsBeforeServing_namesTheUnitQuotesTheRedactedLogAndLeavesNothing() {
    String unit = unitOf(target);
    systemd.onStart(
        service -> {
          append(
              service.logFile(),
              "[CRT] s3fs.cpp:s3fs_check_service(3590): invalid credentials for "
                  + SECRET
                  + "\n"
                  + "s3csi: s3fs stopped: success, exited 0\n");
          systemd.end(service.name());
        });

    DriverException e =
        catchDriverException(() -> mounter.mount(spec(FuseClient.S3FS, target, false, keys())));

    assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
    assertThat(e.getMessage())
        .isEqualTo(
            "s3fs in unit "
                + unit
                + " stopped before serving bkt/ at "
                + target
                + " (unit gone); last output of s3fs:\n"
                + "  > [CRT] s3fs.cpp:s3fs_check_service(3590): invalid credentials for ***\n"
                + "  > s3csi: s3fs stopped: success, exited 0");
    assertThat(privateDirectories.keys()).isEmpty();
    assertThat(systemd.unit(unit).gone()).isTrue();
  }

  @Test
  void mount_neverServes_isDeadlineExceededStopsTheUnitAndLeavesNothing() {
    mounter = mounter(Duration.ofMillis(300));
    String unit = unitOf(target);

    DriverException e =
        catchDriverException(() -> mounter.mount(spec(FuseClient.RCLONE, target, false, keys())));

    assertThat(e.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
    assertThat(e.getMessage())
        .isEqualTo(
            "rclone in unit "
                + unit
                + " did not serve bkt/ at "
                + target
                + " within 300 ms (the kernel lists no mount at the target; unit active"
                + " (running), pid 4242) and was stopped; rclone printed nothing");
    assertThat(systemd.calls()).containsExactly("start " + unit, "stop " + unit);
    assertThat(privateDirectories.keys()).isEmpty();
  }

  @Test
  void mount_leftoverUnitOfTheTarget_isStoppedBeforeTheNewOneStarts() throws IOException {
    String unit = unitOf(target);
    systemd.run(unit);
    Path stale = Files.createDirectories(privateDirectories.directoryFor(target));
    Files.writeString(stale.resolve("stale"), "from a crash");
    systemd.onStart(service -> addMount(target, "fuse.s3fs"));

    mounter.mount(spec(FuseClient.S3FS, target, false, keys()));

    assertThat(systemd.calls()).containsExactly("stop " + unit, "start " + unit);
    assertThat(stale.resolve("stale")).doesNotExist();
  }

  @Test
  void mount_systemdUnreachable_isUnavailableAndWritesNothing() {
    systemd.failWith(unavailable());

    DriverException e =
        catchDriverException(() -> mounter.mount(spec(FuseClient.S3FS, target, false, keys())));

    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(e.getMessage()).contains("/run/systemd/private");
    assertThat(privateDirectories.keys()).isEmpty();
  }

  @Test
  void state_nothingMounted_isNotMountedWithoutAskingSystemd() {
    systemd.failWith(unavailable());

    assertThat(mounter.state(target)).isEqualTo(MountState.NOT_MOUNTED);
  }

  @Test
  void state_otherFileSystem_isMountedWithoutVolume() {
    addMount(target, "tmpfs");

    assertThat(mounter.state(target))
        .isEqualTo(new MountState.Mounted(Optional.empty(), false, "tmpfs"));
  }

  @Test
  void state_fuseMountWithoutRecord_isMountedWithoutVolume() {
    addMount(target, "fuse.s3fs");

    assertThat(mounter.state(target))
        .isEqualTo(new MountState.Mounted(Optional.empty(), false, "fuse.s3fs"));
  }

  @Test
  void state_unitGoneWhileMountStays_isCorruptedNamingTheUnit() {
    mounted();
    systemd.end(unitOf(target));

    assertThat(mounter.state(target))
        .isEqualTo(
            new MountState.Corrupted(
                Optional.of("vol-1"), "its unit " + unitOf(target) + " is gone"));
  }

  @Test
  void state_unitFailed_isCorruptedWithTheUnitState() {
    mounted();
    systemd.set(new UnitState(unitOf(target), "loaded", "failed", "failed", false, 0));

    assertThat(mounter.state(target))
        .isEqualTo(
            new MountState.Corrupted(
                Optional.of("vol-1"), "its unit " + unitOf(target) + " is failed (failed)"));
  }

  @Test
  void state_deadClient_isCorruptedWithTheProbeResult() {
    mounted();
    syscalls.statfsErrno(Errnos.ENOTCONN);

    assertThat(mounter.state(target))
        .isEqualTo(
            new MountState.Corrupted(
                Optional.of("vol-1"),
                "the FUSE client is gone: statfs failed with ENOTCONN (Transport endpoint is not"
                    + " connected)"));
  }

  @Test
  void unmount_mounted_unmountsStopsTheUnitAndRemovesTheFilesAndTwiceIsFine() {
    mounted();
    String unit = unitOf(target);

    mounter.unmount(target);
    mounter.unmount(target);

    assertThat(kernel.table().at(target)).isEmpty();
    assertThat(systemd.unit(unit).gone()).isTrue();
    assertThat(systemd.calls()).containsExactly("start " + unit, "stop " + unit);
    assertThat(privateDirectories.keys()).isEmpty();
    assertThat(syscalls.umounts())
        .first()
        .isEqualTo(new FakeSyscalls.Umount(target.toString(), Syscalls.UMOUNT_NOFOLLOW));
  }

  @Test
  void unmount_systemdUnreachable_unmountsKeepsTheFilesAndARetryCleansUp() {
    mounted();
    systemd.failWith(unavailable());

    assertThatThrownBy(() -> mounter.unmount(target))
        .extracting(e -> ((DriverException) e).kind())
        .isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(kernel.table().at(target)).isEmpty();
    assertThat(privateDirectories.keys()).hasSize(1);

    systemd.failWith(null);
    mounter.unmount(target);

    assertThat(privateDirectories.keys()).isEmpty();
    assertThat(systemd.unit(unitOf(target)).gone()).isTrue();
  }

  @Test
  void newMounter_afterARestart_knowsTheVolumeListsItAndUnmountsIt() {
    mounted();
    mounter.close();

    SystemdMounter restarted = mounter(Duration.ofSeconds(5));

    assertThat(restarted.state(target))
        .isEqualTo(new MountState.Mounted(Optional.of("vol-1"), false, "fuse.s3fs"));
    ManagedMount expected =
        new ManagedMount(
            target,
            "vol-1",
            "bkt",
            Optional.empty(),
            FuseClient.S3FS,
            false,
            unitOf(target),
            NOW,
            new MountState.Mounted(Optional.of("vol-1"), false, "fuse.s3fs"),
            "active (running), pid 4242");
    assertThat(restarted.list()).containsExactly(expected);
    assertThat(restarted.recover()).containsExactly(expected);
    assertThat(restarted.managed(target)).contains(expected);
    restarted.unmount(target);
    assertThat(restarted.list()).isEmpty();
    assertThat(restarted.managed(target)).isEmpty();
  }

  @Test
  void recover_unitWithoutRecordAndMountWhoseUnitIsGone_reportsAndChangesNothing() {
    mounted();
    systemd.end(unitOf(target));
    systemd.run("s3csi-0123456789abcdef.service");

    List<ManagedMount> found = mounter.recover();

    assertThat(found).hasSize(1);
    assertThat(found.get(0).state())
        .isEqualTo(
            new MountState.Corrupted(
                Optional.of("vol-1"), "its unit " + unitOf(target) + " is gone"));
    assertThat(found.get(0).unitState()).isEqualTo("gone");
    assertThat(found.get(0).serving()).isFalse();
    assertThat(systemd.unit("s3csi-0123456789abcdef.service").running()).isTrue();
    assertThat(kernel.table().at(target)).isPresent();
  }

  @Test
  void builder_badSettings_throwNamingTheSetting() {
    SystemdMounter.Builder builder = SystemdMounter.builder(privateDirectories);

    assertThatThrownBy(() -> builder.unitPrefix("S3CSI"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unitPrefix: must match");
    assertThatThrownBy(() -> builder.address("tcp:host=localhost,port=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("systemdAddress: must be 'system' or a unix D-Bus address");
    assertThatThrownBy(() -> builder.mountTimeout(Duration.ZERO))
        .hasMessage("mountTimeout: must be positive, got PT0S");
  }

  @Test
  void close_closesTheConnectionOnly() {
    mounted();

    mounter.close();

    assertThat(systemd.closed()).isTrue();
    assertThat(kernel.table().at(target)).isPresent();
  }

  @Test
  void usage_servingMount_isWhatStatfsReportsAndNothingMountedIsEmpty() {
    FileSystemUsage usage = new FileSystemUsage(1 << 20, 1 << 19, 1 << 19, 100, 60, 40);
    syscalls.usage(usage);
    assertThat(mounter.usage(target)).isEmpty();

    mounted();

    assertThat(mounter.usage(target)).contains(usage);
    syscalls.statfsErrno(Errnos.ENOTCONN);
    assertThat(mounter.usage(target)).isEmpty();
  }

  @Test
  void managedTargets_recordedMount_listsItsTargetVolumeAndRunningUnit() {
    mounted();
    ManagedTarget expected =
        new ManagedTarget(
            PrivateDirectories.keyOf(target), Optional.of(target), Optional.of("vol-1"), true, NOW);

    assertThat(mounter.managedTargets()).containsExactly(expected);
    assertThat(mounter.managedTarget(target)).contains(expected);

    systemd.end(unitOf(target));

    assertThat(mounter.managedTarget(target))
        .contains(
            new ManagedTarget(expected.key(), expected.target(), expected.volumeId(), false, NOW));
  }

  @Test
  void managedTargets_filesWithoutRecordAndUnitWithoutFiles_haveNoTarget() throws IOException {
    Path leftover = Files.createDirectories(privateDirectories.root().resolve("00112233aabbccdd"));
    systemd.run("s3csi-8899aabbccddeeff.service");

    assertThat(mounter.managedTargets())
        .extracting(ManagedTarget::key, ManagedTarget::target, ManagedTarget::clientRunning)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("00112233aabbccdd", Optional.empty(), false),
            org.assertj.core.groups.Tuple.tuple("8899aabbccddeeff", Optional.empty(), true));
    assertThat(leftover).isDirectory();
  }

  @Test
  void forget_unmountedTarget_stopsTheUnitAndRemovesTheFilesAndTwiceIsFine() {
    mounted();
    ManagedTarget entry = mounter.managedTarget(target).orElseThrow();
    removeMount(target);

    mounter.forget(entry);
    mounter.forget(entry);

    assertThat(systemd.unit(unitOf(target)).gone()).isTrue();
    assertThat(privateDirectories.directoryFor(target)).doesNotExist();
    assertThat(mounter.managedTargets()).isEmpty();
  }

  @Test
  void forget_mountedTarget_failsPreconditionAndTouchesNothing() {
    mounted();
    ManagedTarget entry = mounter.managedTarget(target).orElseThrow();

    DriverException e = catchDriverException(() -> mounter.forget(entry));

    assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
    assertThat(e.getMessage())
        .isEqualTo("cannot forget " + target + ": a fuse.s3fs mount is there");
    assertThat(systemd.unit(unitOf(target)).running()).isTrue();
    assertThat(privateDirectories.directoryFor(target)).isDirectory();
  }

  @Test
  void forget_unrecordedKey_removesItsDirectory() throws IOException {
    Files.createDirectories(privateDirectories.root().resolve("00112233aabbccdd"));

    mounter.forget(mounter.managedTargets().get(0));

    assertThat(privateDirectories.keys()).isEmpty();
  }

  private void mounted() {
    systemd.onStart(service -> addMount(target, "fuse.s3fs"));
    mounter.mount(spec(FuseClient.S3FS, target, false, keys()));
  }

  private SystemdMounter mounter(Duration mountTimeout) {
    return SystemdMounter.builder(privateDirectories)
        .searchPath(List.of(bin))
        .mountTimeout(mountTimeout)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build(kernel, systemd);
  }

  private static String unitOf(Path target) {
    return "s3csi-" + PrivateDirectories.keyOf(target) + ".service";
  }

  private static MountSpec spec(
      FuseClient client, Path target, boolean readOnly, Credentials credentials) {
    return Specs.spec(
        client, "vol-1", target, ENDPOINT, "bkt", Optional.empty(), readOnly, credentials);
  }

  private static Credentials keys() {
    return keys(Optional.empty());
  }

  private static Credentials keys(Optional<String> token) {
    return new io.s3csi.core.credentials.StaticCredentials(
        "AKIDEXAMPLE",
        io.s3csi.core.credentials.Secret.of(SECRET),
        token.map(io.s3csi.core.credentials.Secret::of));
  }

  private static DriverException unavailable() {
    return DriverException.unavailable(
        "cannot reach systemd at /run/systemd/private: connection refused", null);
  }

  private static String line(Path mountPoint, String fsType, String source) {
    return "36 25 0:41 / " + mountPoint + " rw,nosuid,nodev - " + fsType + " " + source + " rw\n";
  }

  private void addMount(Path mountPoint, String fsType) {
    append(mountinfo, line(mountPoint, fsType, fsType.startsWith("fuse.") ? "s3fs" : fsType));
  }

  private int removeMount(Path mountPoint) {
    try {
      List<String> lines = Files.readAllLines(mountinfo);
      String mine = line(mountPoint, "", "").split(" - ")[0];
      List<String> kept = lines.stream().filter(l -> !l.startsWith(mine + " - ")).toList();
      if (kept.size() == lines.size()) {
        return Errnos.EINVAL;
      }
      Files.write(mountinfo, kept);
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void append(Path file, String text) {
    try {
      Files.writeString(
          file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
