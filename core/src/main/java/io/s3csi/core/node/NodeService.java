package io.s3csi.core.node;

import io.s3csi.core.credentials.CredentialProvider;
import io.s3csi.core.credentials.CredentialRequest;
import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.MountOptions;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.Mounter;
import io.s3csi.core.target.TargetPath;
import io.s3csi.core.volume.AuthenticationSource;
import io.s3csi.core.volume.VolumeCapability;
import io.s3csi.core.volume.VolumeContext;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The node use-cases: publish a volume at a kubelet target, unpublish it.
 *
 * <p>Both are idempotent, as CSI requires. Publishing the same volume at the same target with the
 * same access twice succeeds; another volume, or the same volume with other access, at a mounted
 * target is {@code ALREADY_EXISTS}. Unpublishing a target that is not mounted or does not exist
 * succeeds. A dead mount found at a target is unmounted and mounted again. A second operation on a
 * volume and target while one is in flight is {@code ABORTED}.
 */
public final class NodeService {
  private static final Logger LOG = System.getLogger(NodeService.class.getName());

  private final NodeConfig config;
  private final Mounter mounter;
  private final CredentialProvider credentials;
  private final VolumeLocks locks;
  private final NodeObserver observer;
  private final VolumeInspector inspector;

  /**
   * Creates the service.
   *
   * @param config the node's settings
   * @param mounter the mounter that runs FUSE clients
   * @param credentials the provider that picks each volume's identity
   * @param locks the per-volume locks (shared with other services of the same node, if any)
   */
  public NodeService(
      NodeConfig config, Mounter mounter, CredentialProvider credentials, VolumeLocks locks) {
    this(config, mounter, credentials, locks, NodeObserver.NONE);
  }

  /**
   * Creates the service with an observer that hears how each operation ended.
   *
   * @param config the node's settings
   * @param mounter the mounter that runs FUSE clients
   * @param credentials the provider that picks each volume's identity
   * @param locks the per-volume locks (shared with other services of the same node, if any)
   * @param observer hears how each publish ended (events, metrics)
   */
  public NodeService(
      NodeConfig config,
      Mounter mounter,
      CredentialProvider credentials,
      VolumeLocks locks,
      NodeObserver observer) {
    this.config = Objects.requireNonNull(config, "config");
    this.mounter = Objects.requireNonNull(mounter, "mounter");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.inspector = new VolumeInspector(config.kubeletRoot(), mounter);
  }

  /** Returns the node's settings. */
  public NodeConfig config() {
    return config;
  }

  /**
   * Publishes a volume at a target.
   *
   * @param request the request
   * @return how it ended
   * @throws DriverException with {@code INVALID_ARGUMENT} naming the field for bad input, {@code
   *     ALREADY_EXISTS} for an incompatible mount at the target, {@code ABORTED} when the volume is
   *     busy, or the mounter's error
   */
  public PublishResult publish(PublishRequest request) {
    Progress progress = new Progress();
    try {
      PublishResult result = publish(request, progress);
      tell(request, progress, Optional.of(result), Optional.empty());
      return result;
    } catch (DriverException e) {
      tell(request, progress, Optional.empty(), Optional.of(e));
      throw e;
    }
  }

  private PublishResult publish(PublishRequest request, Progress progress) {
    requireNonEmpty("volume_id", request.volumeId());
    requireNonEmpty("target_path", request.targetPath());
    VolumeCapability capability = request.capability();
    if (capability == null) {
      throw new InvalidArgumentException("volume_capability", "must be set");
    }
    TargetPath target = TargetPath.parse("target_path", request.targetPath(), config.kubeletRoot());
    VolumeContext volume = VolumeContext.parse(request.volumeId(), request.volumeContext());
    progress.bucket = Optional.of(volume.bucket());
    FuseClient client = volume.fuseClient().orElse(config.defaultClient());
    progress.client = Optional.of(client);
    List<String> flags = new ArrayList<>(capability.mountFlags());
    flags.addAll(volume.extraMountOptions());
    MountOptions options = MountOptions.parse(client, flags);
    boolean readOnly =
        request.readOnly() || capability.accessMode().readOnly() || options.readOnly();

    try (VolumeLocks.Held held =
        locks.acquire(lockKey(target), describe(request.volumeId(), target))) {
      target.checkNoSymlinkEscape();
      MountState state = mounter.state(target.path());
      PublishResult result = PublishResult.MOUNTED;
      if (state instanceof MountState.Mounted mounted) {
        if (mounted.volumeId().equals(Optional.of(request.volumeId()))
            && mounted.readOnly() == readOnly) {
          LOG.log(Level.DEBUG, "volume {0} already mounted at {1}", request.volumeId(), target);
          refreshCredentials(request, volume, target, client, options, readOnly, capability);
          return PublishResult.ALREADY_MOUNTED;
        }
        throw DriverException.alreadyExists(
            "target_path "
                + target
                + " already has "
                + mounted.volumeId().map(id -> "volume " + id).orElse("a mount s3csi did not make")
                + (mounted.readOnly() ? " (read-only)" : " (read-write)")
                + "; cannot publish volume "
                + request.volumeId()
                + (readOnly ? " read-only" : " read-write")
                + " there");
      }
      if (state instanceof MountState.Corrupted corrupted) {
        if (corrupted.volumeId().isPresent()
            && !corrupted.volumeId().get().equals(request.volumeId())) {
          throw DriverException.alreadyExists(
              "target_path "
                  + target
                  + " holds a dead mount of volume "
                  + corrupted.volumeId().get());
        }
        LOG.log(
            Level.WARNING,
            "remounting volume {0} at {1}: {2}",
            request.volumeId(),
            target,
            corrupted.reason());
        mounter.unmount(target.path());
        result = PublishResult.REMOUNTED;
      }
      Credentials identity =
          credentials.credentialsFor(new CredentialRequest(volume, request.secrets()));
      MountSpec spec = spec(volume, target.path(), client, options, readOnly, identity, capability);
      createTarget(target.path());
      mounter.mount(spec);
      LOG.log(
          Level.INFO,
          "published volume {0} ({1}) at {2} with {3}{4}",
          request.volumeId(),
          spec.source(),
          target,
          client,
          readOnly ? ", read-only" : "");
      return result;
    }
  }

  /**
   * Unpublishes a volume from a target: unmounts it, stops its client and removes the target.
   *
   * @param request the request
   * @return how it ended
   * @throws DriverException with {@code INVALID_ARGUMENT} for bad input, {@code ABORTED} when the
   *     volume is busy, or the mounter's error
   */
  public UnpublishResult unpublish(UnpublishRequest request) {
    requireNonEmpty("volume_id", request.volumeId());
    requireNonEmpty("target_path", request.targetPath());
    TargetPath target = TargetPath.parse("target_path", request.targetPath(), config.kubeletRoot());
    try (VolumeLocks.Held held =
        locks.acquire(lockKey(target), describe(request.volumeId(), target))) {
      MountState state = mounter.state(target.path());
      Optional<String> owner =
          state instanceof MountState.Mounted m
              ? m.volumeId()
              : state instanceof MountState.Corrupted c ? c.volumeId() : Optional.empty();
      if (owner.isPresent() && !owner.get().equals(request.volumeId())) {
        throw DriverException.failedPrecondition(
            "target_path "
                + target
                + " holds volume "
                + owner.get()
                + ", not "
                + request.volumeId());
      }
      // The mounter's unmount also cleans a client or private files left without a mount.
      target.checkNoSymlinkEscape();
      mounter.unmount(target.path());
      removeTarget(target.path());
      boolean wasMounted = !(state instanceof MountState.NotMounted);
      LOG.log(
          Level.INFO,
          "unpublished volume {0} from {1}{2}",
          request.volumeId(),
          target,
          wasMounted ? "" : " (was not mounted)");
      return wasMounted ? UnpublishResult.UNMOUNTED : UnpublishResult.NOT_MOUNTED;
    }
  }

  /**
   * A republish of a mounted volume that uses the pod's identity carries fresh service-account
   * tokens (kubelet calls NodePublishVolume again before they expire when the CSIDriver has {@code
   * requiresRepublish}); the client's token file is rewritten in place, without a remount. Other
   * sources' credentials are read by the clients at start only, so they are left alone.
   */
  private void refreshCredentials(
      PublishRequest request,
      VolumeContext volume,
      TargetPath target,
      FuseClient client,
      MountOptions options,
      boolean readOnly,
      VolumeCapability capability) {
    if (volume.authenticationSource() != AuthenticationSource.POD) {
      return;
    }
    Credentials identity =
        credentials.credentialsFor(new CredentialRequest(volume, request.secrets()));
    MountSpec spec = spec(volume, target.path(), client, options, readOnly, identity, capability);
    int rewritten = mounter.refreshCredentials(spec);
    LOG.log(
        Level.INFO,
        "refreshed {0} credential file(s) of volume {1} at {2} without a remount",
        rewritten,
        request.volumeId(),
        target);
  }

  /**
   * Reports the condition and usage of a published volume (NodeGetVolumeStats). The condition is
   * abnormal, with a message that says what to do, when the volume's FUSE mount is dead or hung
   * (its client died: {@code ENOTCONN}, {@code EIO} or no answer to a forced {@code statfs}), when
   * its unit or process is gone, or when the target is no longer a mount although s3csi mounted the
   * volume there. Usage is what the FUSE client reports to {@code statfs}; it is absent when the
   * mount does not answer, which never fails the call.
   *
   * @param volumeId the volume id
   * @param volumePath the path the volume is published at
   * @return the condition and usage
   * @throws DriverException {@code INVALID_ARGUMENT} naming an empty field; {@code NOT_FOUND} when
   *     the path is not a target under the kubelet root, does not exist, or holds no mount of the
   *     volume (nor did, by the mounter's records)
   */
  public VolumeStats volumeStats(String volumeId, String volumePath) {
    return inspector.inspect(volumeId, volumePath);
  }

  /** What a publish had decided when it ended, for the observer. */
  private static final class Progress {
    Optional<String> bucket = Optional.empty();
    Optional<FuseClient> client = Optional.empty();
  }

  private void tell(
      PublishRequest request,
      Progress progress,
      Optional<PublishResult> result,
      Optional<DriverException> failure) {
    try {
      observer.publishEnded(
          new PublishOutcome(
              request.volumeId(),
              request.targetPath(),
              VolumeContext.podInfo(request.volumeContext()),
              progress.bucket,
              progress.client,
              result,
              failure));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "node observer " + observer + " failed", e);
    }
  }

  private MountSpec spec(
      VolumeContext volume,
      Path target,
      FuseClient client,
      MountOptions options,
      boolean readOnly,
      Credentials identity,
      VolumeCapability capability) {
    Optional<String> region = agree("region", volume.region(), options.region());
    Optional<String> prefix = agree("prefix", volume.prefix(), options.prefix());
    Optional<URI> endpoint = volume.endpointUrl().or(config::defaultEndpoint);
    boolean pathStyle = volume.pathStyle().orElse(options.pathStyle() || config.defaultPathStyle());
    return new MountSpec(
        volume.volumeId(),
        target,
        volume.bucket(),
        prefix,
        client,
        endpoint,
        region.or(config::defaultRegion),
        volume.stsRegion(),
        pathStyle,
        readOnly,
        options,
        identity,
        capability.volumeMountGroup());
  }

  private static Optional<String> agree(
      String what, Optional<String> attribute, Optional<String> option) {
    if (attribute.isPresent() && option.isPresent() && !attribute.equals(option)) {
      throw new InvalidArgumentException(
          MountOptions.FIELD,
          "option '"
              + what
              + "' ("
              + option.get()
              + ") disagrees with the volume attribute "
              + what
              + " ("
              + attribute.get()
              + ")");
    }
    return attribute.or(() -> option);
  }

  private static void createTarget(Path target) {
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw DriverException.internal("cannot create target " + target + ": " + e.getMessage(), e);
    }
  }

  private static void removeTarget(Path target) {
    try {
      Files.deleteIfExists(target);
    } catch (DirectoryNotEmptyException e) {
      throw DriverException.failedPrecondition(
          "target " + target + " is not empty after unmount; it was left in place");
    } catch (IOException e) {
      throw DriverException.internal("cannot remove target " + target + ": " + e.getMessage(), e);
    }
  }

  private static void requireNonEmpty(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidArgumentException(field, "must not be empty");
    }
  }

  /**
   * One lock per target, whatever the volume: a sweep that cleans a target's leftovers takes the
   * same lock, so it never races a publish or unpublish there.
   */
  private static String lockKey(TargetPath target) {
    return VolumeLocks.targetKey(target.path());
  }

  private static String describe(String volumeId, TargetPath target) {
    return "volume " + volumeId + " at " + target;
  }
}
