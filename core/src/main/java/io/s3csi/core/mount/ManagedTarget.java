package io.s3csi.core.mount;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Mounter} keeps for one target besides the kernel mount: private files (credentials,
 * configuration, a record of the mount) and, while it runs, the FUSE client (a process or a unit).
 * {@link Mounter#managedTargets()} lists these so that a sweep can find what a crash, a killed
 * client or an unmount behind the driver's back left.
 *
 * @param key the target's {@link PrivateDirectories#keyOf key}, which names its private directory
 *     (and its unit, for the systemd mounter)
 * @param target the target, when the mounter's record of it can be read; empty for private files
 *     whose record is missing (a crash between writing the files and the record) or a unit with no
 *     private files at all
 * @param volumeId the volume mounted there, when recorded
 * @param clientRunning whether the target's client (process or unit) runs or is starting
 * @param since when the mount was started, or when its private files were last written; a sweep
 *     leaves entries younger than its grace period alone
 */
public record ManagedTarget(
    String key,
    Optional<Path> target,
    Optional<String> volumeId,
    boolean clientRunning,
    Instant since) {

  /** Checks for nulls. */
  public ManagedTarget {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(volumeId, "volumeId");
    Objects.requireNonNull(since, "since");
  }
}
