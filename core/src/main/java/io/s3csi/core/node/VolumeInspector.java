package io.s3csi.core.node;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.mount.ManagedTarget;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.Mounter;
import io.s3csi.core.target.TargetPath;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * NodeGetVolumeStats: the condition and usage of a published volume. Read-only, so it takes no
 * volume lock and may run beside a publish of the same volume.
 *
 * <p>Only a target under the kubelet root that holds (or, by the mounter's record, held) a mount of
 * the volume is answered; anything else is {@code NOT_FOUND}, as the CSI spec asks for a volume
 * that is not published at the path.
 */
final class VolumeInspector {
  private final Path kubeletRoot;
  private final Mounter mounter;

  VolumeInspector(Path kubeletRoot, Mounter mounter) {
    this.kubeletRoot = kubeletRoot;
    this.mounter = mounter;
  }

  VolumeStats inspect(String volumeId, String volumePath) {
    requireNonEmpty("volume_id", volumeId);
    requireNonEmpty("volume_path", volumePath);
    Path path = target(volumeId, volumePath);
    MountState state = mounter.state(path);
    if (state instanceof MountState.Mounted mounted) {
      requireOwner(volumeId, path, mounted.volumeId(), "a mount (" + mounted.fsType() + ")");
      Optional<FileSystemUsage> usage = mounter.usage(path);
      return new VolumeStats(
          usage,
          VolumeCondition.normal(
              "volume " + volumeId + " serves at " + path + " (" + mounted.fsType() + ")"));
    }
    if (state instanceof MountState.Corrupted corrupted) {
      requireOwner(volumeId, path, corrupted.volumeId(), "a dead mount");
      return new VolumeStats(
          Optional.empty(), VolumeCondition.abnormal(dead(volumeId, path, corrupted)));
    }
    Optional<ManagedTarget> managed = mounter.managedTarget(path);
    if (managed.isEmpty()
        || managed.get().volumeId().map(id -> !id.equals(volumeId)).orElse(false)) {
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        throw DriverException.notFound("volume_path " + path + " does not exist");
      }
      throw DriverException.notFound(
          "volume_path " + path + " holds no mount of volume " + volumeId);
    }
    return new VolumeStats(
        Optional.empty(), VolumeCondition.abnormal(unmounted(volumeId, path, managed.get())));
  }

  /** The target, or NOT_FOUND: no volume can be published at a path kubelet would never use. */
  private Path target(String volumeId, String volumePath) {
    try {
      TargetPath target = TargetPath.parse("volume_path", volumePath, kubeletRoot);
      target.checkNoSymlinkEscape();
      return target.path();
    } catch (InvalidArgumentException e) {
      throw DriverException.notFound(
          "volume " + volumeId + " is not published at " + volumePath + ": " + e.reason());
    }
  }

  private static void requireOwner(
      String volumeId, Path path, Optional<String> owner, String what) {
    if (owner.isEmpty()) {
      throw DriverException.notFound(
          "volume_path "
              + path
              + " holds "
              + what
              + " that s3csi has no record of, not volume "
              + volumeId);
    }
    if (!owner.get().equals(volumeId)) {
      throw DriverException.notFound(
          "volume_path " + path + " holds volume " + owner.get() + ", not " + volumeId);
    }
  }

  private static String dead(String volumeId, Path path, MountState.Corrupted corrupted) {
    return "the FUSE mount of volume "
        + volumeId
        + " at "
        + path
        + " does not serve: "
        + corrupted.reason()
        + ". Restart the pod (kubectl delete pod) so that kubelet publishes the volume again and"
        + " s3csi remounts it; the client's log (client.log in the mount's private directory)"
        + " tells why it ended";
  }

  private static String unmounted(String volumeId, Path path, ManagedTarget managed) {
    return path
        + " is no longer a mount: s3csi mounted volume "
        + volumeId
        + " there, but the kernel lists no mount (it was unmounted behind the driver's back)"
        + (managed.clientRunning()
            ? "; its FUSE client still runs and the next sweep stops it"
            : "; its FUSE client has ended")
        + ". Restart the pod (kubectl delete pod) so that kubelet publishes the volume again";
  }

  private static void requireNonEmpty(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidArgumentException(field, "must not be empty");
    }
  }
}
