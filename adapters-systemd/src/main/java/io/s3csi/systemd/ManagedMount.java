package io.s3csi.systemd;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.mount.MountState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A mount that a {@link SystemdMounter} started and still has a record of, with what the kernel and
 * systemd say about it now. {@link SystemdMounter#list()} returns these.
 *
 * @param target the mount's target directory
 * @param volumeId the volume id it was mounted for
 * @param bucket the bucket
 * @param prefix the key prefix, ending with {@code /}, if any
 * @param client the FUSE client
 * @param readOnly whether it was mounted read-only
 * @param unit the systemd unit that runs the client
 * @param since when the mount was started
 * @param state what the target holds now
 * @param unitState what systemd says about the unit now, such as {@code active (running), pid 42}
 *     or {@code gone}
 */
public record ManagedMount(
    Path target,
    String volumeId,
    String bucket,
    Optional<String> prefix,
    FuseClient client,
    boolean readOnly,
    String unit,
    Instant since,
    MountState state,
    String unitState) {

  /** Checks for nulls. */
  public ManagedMount {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(volumeId, "volumeId");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(unitState, "unitState");
  }

  /** Returns whether the mount serves its target. */
  public boolean serving() {
    return state instanceof MountState.Mounted;
  }
}
