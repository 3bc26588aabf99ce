package io.s3csi.systemd;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.MountOptions;
import io.s3csi.core.fuse.MountSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** Mount specifications for tests: an S3-compatible endpoint, path style, us-east-1. */
final class Specs {
  private Specs() {}

  static StaticCredentials keys(String accessKeyId, String secretAccessKey) {
    return new StaticCredentials(accessKeyId, Secret.of(secretAccessKey), Optional.empty());
  }

  static MountSpec spec(
      FuseClient client,
      String volumeId,
      Path target,
      URI endpoint,
      String bucket,
      Optional<String> prefix,
      boolean readOnly,
      Credentials credentials) {
    return new MountSpec(
        volumeId,
        target,
        bucket,
        prefix,
        client,
        Optional.of(endpoint),
        Optional.of("us-east-1"),
        Optional.empty(),
        true,
        readOnly,
        MountOptions.none(client),
        credentials,
        Optional.empty());
  }
}
