package io.s3csi.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.volume.AccessMode;
import io.s3csi.core.volume.VolumeCapability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** NodeGetVolumeStats through {@link NodeService#volumeStats}, over an {@link InMemoryMounter}. */
class VolumeInspectorTest {
  private static final String VOLUME = "pv-photos";
  private static final FileSystemUsage USAGE =
      FileSystemUsage.fromStatfs(4096, 1000, 1000, 1000, 100, 90);

  @TempDir Path temp;

  private final InMemoryMounter mounter = new InMemoryMounter();
  private Path kubelet;
  private Path target;
  private NodeService service;

  @BeforeEach
  void setUp() throws IOException {
    kubelet = Files.createDirectories(temp.resolve("kubelet"));
    target = kubelet.resolve("pods/0f9a-7c1e/volumes/kubernetes.io~csi/" + VOLUME + "/mount");
    service =
        new NodeService(
            new NodeConfig(
                "node-1", kubelet, FuseClient.S3FS, Optional.empty(), Optional.empty(), false, 0),
            mounter,
            request ->
                new StaticCredentials("AKIANODE", Secret.of("node-secret"), Optional.empty()),
            new VolumeLocks());
  }

  private void publish(String volumeId) {
    service.publish(
        new PublishRequest(
            volumeId,
            target.toString(),
            new VolumeCapability(AccessMode.SINGLE_NODE_WRITER, List.of(), Optional.empty()),
            false,
            Map.of("bucketName", "photos"),
            Map.of()));
  }

  private static void assertNotFound(Runnable call, String message) {
    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(call::run)
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @Test
  void volumeStats_servingMount_isNormalWithTheClientsUsage() {
    publish(VOLUME);
    mounter.reportUsage(target, USAGE);

    VolumeStats stats = service.volumeStats(VOLUME, target.toString());

    assertThat(stats)
        .isEqualTo(
            new VolumeStats(
                Optional.of(USAGE),
                VolumeCondition.normal(
                    "volume " + VOLUME + " serves at " + target + " (fuse.s3fs)")));
  }

  @Test
  void volumeStats_calledTwice_answersTheSameAndChangesNothing() {
    publish(VOLUME);

    VolumeStats first = service.volumeStats(VOLUME, target.toString());
    VolumeStats second = service.volumeStats(VOLUME, target.toString());

    assertThat(second).isEqualTo(first);
    assertThat(first.usage()).isEmpty(); // the mount reported nothing: no usage, still an answer
    assertThat(mounter.calls()).filteredOn(c -> c.startsWith("mount ")).hasSize(1);
    assertThat(mounter.calls()).noneMatch(c -> c.startsWith("unmount ") || c.startsWith("forget"));
  }

  @Test
  void volumeStats_deadMount_isAbnormalWithTheReasonAndWhatToDo() {
    publish(VOLUME);
    mounter.kill(target);

    VolumeStats stats = service.volumeStats(VOLUME, target.toString());

    assertThat(stats.usage()).isEmpty();
    assertThat(stats.condition())
        .isEqualTo(
            VolumeCondition.abnormal(
                "the FUSE mount of volume "
                    + VOLUME
                    + " at "
                    + target
                    + " does not serve: Transport endpoint is not connected. Restart the pod"
                    + " (kubectl delete pod) so that kubelet publishes the volume again and s3csi"
                    + " remounts it; the client's log (client.log in the mount's private"
                    + " directory) tells why it ended"));
  }

  @Test
  void volumeStats_targetNoLongerAMountAndClientRuns_isAbnormalSayingTheSweepStopsIt() {
    publish(VOLUME);
    mounter.unmountBehindTheBack(target, true);

    VolumeStats stats = service.volumeStats(VOLUME, target.toString());

    assertThat(stats.condition())
        .isEqualTo(
            VolumeCondition.abnormal(
                target
                    + " is no longer a mount: s3csi mounted volume "
                    + VOLUME
                    + " there, but the kernel lists no mount (it was unmounted behind the"
                    + " driver's back); its FUSE client still runs and the next sweep stops it."
                    + " Restart the pod (kubectl delete pod) so that kubelet publishes the volume"
                    + " again"));
  }

  @Test
  void volumeStats_targetNoLongerAMountAndClientEnded_isAbnormal() {
    publish(VOLUME);
    mounter.unmountBehindTheBack(target, false);

    VolumeStats stats = service.volumeStats(VOLUME, target.toString());

    assertThat(stats.condition().abnormal()).isTrue();
    assertThat(stats.condition().message()).contains("; its FUSE client has ended. Restart");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = " ")
  void volumeStats_missingVolumeId_isInvalidNamingIt(String volumeId) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> service.volumeStats(volumeId, target.toString()))
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("volume_id");
              assertThat(e.getMessage()).isEqualTo("volume_id: must not be empty");
            });
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = " ")
  void volumeStats_missingVolumePath_isInvalidNamingIt(String volumePath) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> service.volumeStats(VOLUME, volumePath))
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("volume_path");
              assertThat(e.getMessage()).isEqualTo("volume_path: must not be empty");
            });
  }

  @Test
  void volumeStats_relativePath_isNotFoundAsCsiSanityExpects() {
    assertNotFound(
        () -> service.volumeStats(VOLUME, "some/path"),
        "volume "
            + VOLUME
            + " is not published at some/path: must be an absolute path (was 'some/path')");
    assertThat(mounter.calls()).isEmpty();
  }

  @Test
  void volumeStats_pathOutsideTheKubeletRoot_isNotFoundAndProbesNothing() {
    assertNotFound(
        () -> service.volumeStats(VOLUME, "/etc"),
        "volume "
            + VOLUME
            + " is not published at /etc: must be a directory under the kubelet root "
            + kubelet
            + " (was '/etc')");
    assertThat(mounter.calls()).isEmpty();
  }

  @Test
  void volumeStats_pathThatDoesNotExist_isNotFound() {
    assertNotFound(
        () -> service.volumeStats(VOLUME, target.toString()),
        "volume_path " + target + " does not exist");
  }

  @Test
  void volumeStats_existingDirectoryWithNothingMounted_isNotFound() throws IOException {
    Files.createDirectories(target);

    assertNotFound(
        () -> service.volumeStats(VOLUME, target.toString()),
        "volume_path " + target + " holds no mount of volume " + VOLUME);
  }

  @Test
  void volumeStats_anotherVolumeMountedThere_isNotFound() {
    publish("pv-other");

    assertNotFound(
        () -> service.volumeStats(VOLUME, target.toString()),
        "volume_path " + target + " holds volume pv-other, not " + VOLUME);
  }

  @Test
  void volumeStats_deadMountOfAnotherVolume_isNotFound() {
    publish("pv-other");
    mounter.kill(target);

    assertNotFound(
        () -> service.volumeStats(VOLUME, target.toString()),
        "volume_path " + target + " holds volume pv-other, not " + VOLUME);
  }

  @Test
  void volumeStats_unmountedTargetOfAnotherVolume_isNotFound() {
    publish("pv-other");
    mounter.unmountBehindTheBack(target, false);

    assertNotFound(
        () -> service.volumeStats(VOLUME, target.toString()),
        "volume_path " + target + " holds no mount of volume " + VOLUME);
  }

  @Test
  void volumeStats_foreignMount_isNotFound() {
    mounter.mountForeign(target, "ext4", false);

    assertNotFound(
        () -> service.volumeStats(VOLUME, target.toString()),
        "volume_path "
            + target
            + " holds a mount (ext4) that s3csi has no record of, not volume "
            + VOLUME);
  }

  @Test
  void volumeStats_afterUnpublish_isNotFound() {
    publish(VOLUME);
    service.unpublish(new UnpublishRequest(VOLUME, target.toString()));

    assertNotFound(
        () -> service.volumeStats(VOLUME, target.toString()),
        "volume_path " + target + " does not exist");
  }

  @Test
  void publish_afterTheTargetWasUnmountedBehindTheBack_mountsAgainAndStatsAreNormal() {
    publish(VOLUME);
    mounter.unmountBehindTheBack(target, true);

    publish(VOLUME);

    assertThat(service.volumeStats(VOLUME, target.toString()).condition().abnormal()).isFalse();
  }
}
