package io.s3csi.core.node;

/**
 * A NodeUnpublishVolume request in domain terms.
 *
 * @param volumeId the volume id
 * @param targetPath the target path as kubelet sent it
 */
public record UnpublishRequest(String volumeId, String targetPath) {}
