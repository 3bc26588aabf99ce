package io.s3csi.core.fuse;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.error.InvalidArgumentException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a mounter needs to mount one volume at one target: what to mount, with which client,
 * options and identity. The {@link io.s3csi.core.node.NodeService} resolves volume attributes,
 * mount options and driver defaults into this.
 *
 * @param volumeId the CSI volume id, recorded with the mount so the driver knows what is mounted
 * @param target the absolute target directory
 * @param bucket the bucket
 * @param prefix the key prefix, ending with {@code /}
 * @param client the FUSE client to run
 * @param endpoint the S3 endpoint, empty for AWS S3
 * @param region the bucket's region
 * @param stsRegion the STS region for web-identity credentials
 * @param pathStyle whether to use path-style addressing
 * @param readOnly whether the mount is read-only (client flag and kernel mount)
 * @param options the volume's own options for the client
 * @param credentials the identity the client uses
 * @param mountGroup the group id that should have access, when kubelet asks for one
 */
public record MountSpec(
    String volumeId,
    Path target,
    String bucket,
    Optional<String> prefix,
    FuseClient client,
    Optional<URI> endpoint,
    Optional<String> region,
    Optional<String> stsRegion,
    boolean pathStyle,
    boolean readOnly,
    MountOptions options,
    Credentials credentials,
    Optional<String> mountGroup) {

  /** Checks the spec is complete and coherent. */
  public MountSpec {
    Objects.requireNonNull(volumeId, "volumeId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(stsRegion, "stsRegion");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(mountGroup, "mountGroup");
    if (!target.isAbsolute()) {
      throw new IllegalArgumentException("target must be absolute: " + target);
    }
    if (options.client() != client) {
      throw new InvalidArgumentException(
          MountOptions.FIELD, "options were checked for " + options.client() + ", not " + client);
    }
  }

  /** Returns {@code bucket} or {@code bucket/prefix/}, for messages and unit descriptions. */
  public String source() {
    return bucket + "/" + prefix.orElse("");
  }
}
