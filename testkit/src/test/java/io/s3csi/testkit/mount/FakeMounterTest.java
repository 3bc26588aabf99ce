package io.s3csi.testkit.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.MountOptions;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.mount.ManagedTarget;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.PrivateDirectories;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FakeMounterTest {
  private static final Path TARGET = Path.of("/kubelet/pods/1/volumes/kubernetes.io~csi/pv/mount");
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final FileSystemUsage USAGE = new FileSystemUsage(10, 8, 2, 5, 4, 1);

  private final FakeMounter mounter = new FakeMounter().now(T0);

  private static MountSpec spec() {
    return new MountSpec(
        "pv",
        TARGET,
        "bucket",
        Optional.empty(),
        FuseClient.S3FS,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        false,
        MountOptions.none(FuseClient.S3FS),
        new StaticCredentials("AKIA", Secret.of("s3cr3t"), Optional.empty()),
        Optional.empty());
  }

  private static ManagedTarget entry(boolean clientRuns) {
    return new ManagedTarget(
        PrivateDirectories.keyOf(TARGET), Optional.of(TARGET), Optional.of("pv"), clientRuns, T0);
  }

  @Test
  void mount_keepsARunningClientAndUnmountForgetsIt() {
    mounter.mount(spec());

    assertThat(mounter.managedTargets()).containsExactly(entry(true));
    assertThat(mounter.managedTarget(TARGET)).contains(entry(true));

    mounter.unmount(TARGET);

    assertThat(mounter.managedTargets()).isEmpty();
  }

  @Test
  void usage_liveMount_isWhatWasSetAndDeadMount_isEmpty() {
    mounter.mount(spec());
    mounter.reportUsage(TARGET, USAGE);

    assertThat(mounter.usage(TARGET)).contains(USAGE);

    mounter.kill(TARGET);

    assertThat(mounter.usage(TARGET)).isEmpty();
    assertThat(mounter.managedTarget(TARGET)).contains(entry(false));
    assertThat(mounter.state(TARGET)).isInstanceOf(MountState.Corrupted.class);
  }

  @Test
  void forget_mountedTarget_isRefused() {
    mounter.mount(spec());

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(() -> mounter.forget(entry(true)))
        .satisfies(e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION));
    assertThat(mounter.managedTargets()).hasSize(1);
  }

  @Test
  void forget_afterAnUnmountBehindTheBack_forgetsTheClientAndFiles() {
    mounter.mount(spec());
    mounter.unmountBehindTheBack(TARGET, true);

    assertThat(mounter.state(TARGET)).isEqualTo(MountState.NOT_MOUNTED);
    assertThat(mounter.managedTargets()).containsExactly(entry(true));

    mounter.forget(entry(true));
    mounter.forget(entry(true));

    assertThat(mounter.keptKeys()).isEmpty();
  }
}
