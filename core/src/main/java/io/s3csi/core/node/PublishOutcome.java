package io.s3csi.core.node;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.volume.PodInfo;
import java.util.Objects;
import java.util.Optional;

/**
 * How one NodePublishVolume call ended, as {@link NodeObserver}s hear it. Exactly one of {@link
 * #result} and {@link #failure} is present.
 *
 * @param volumeId the volume id as the request gave it (may be empty for bad input)
 * @param targetPath the target path as the request gave it (may be empty for bad input)
 * @param pod the workload pod, when kubelet passed pod info; {@link PodInfo#NONE} otherwise
 * @param bucket the volume's bucket, when the volume context could be read
 * @param client the FUSE client chosen for the volume, when it was decided
 * @param result how a successful call ended
 * @param failure why a call failed; its message never contains secrets
 */
public record PublishOutcome(
    String volumeId,
    String targetPath,
    PodInfo pod,
    Optional<String> bucket,
    Optional<FuseClient> client,
    Optional<PublishResult> result,
    Optional<DriverException> failure) {

  /** Checks for nulls and that exactly one of result and failure is present. */
  public PublishOutcome {
    volumeId = Objects.requireNonNullElse(volumeId, "");
    targetPath = Objects.requireNonNullElse(targetPath, "");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(failure, "failure");
    if (result.isPresent() == failure.isPresent()) {
      throw new IllegalArgumentException("exactly one of result and failure must be present");
    }
  }

  /** Whether the call failed. */
  public boolean failed() {
    return failure.isPresent();
  }
}
