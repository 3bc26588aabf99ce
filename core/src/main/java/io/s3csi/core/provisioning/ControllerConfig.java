package io.s3csi.core.provisioning;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The controller's settings: the connection defaults a StorageClass falls back to when it names no
 * endpoint, region or addressing. They are the same driver flags the node uses ({@code
 * --s3-endpoint-url}, {@code --s3-region}, {@code --s3-path-style}).
 *
 * @param defaultEndpoint the S3 endpoint (empty: AWS S3)
 * @param defaultRegion the region (empty: none; AWS S3 is then addressed in us-east-1)
 * @param defaultPathStyle path-style addressing
 */
public record ControllerConfig(
    Optional<URI> defaultEndpoint, Optional<String> defaultRegion, boolean defaultPathStyle) {

  /** AWS S3, no region, virtual-hosted addressing. */
  public static final ControllerConfig AWS =
      new ControllerConfig(Optional.empty(), Optional.empty(), false);

  /** Checks for nulls. */
  public ControllerConfig {
    Objects.requireNonNull(defaultEndpoint, "defaultEndpoint");
    Objects.requireNonNull(defaultRegion, "defaultRegion");
  }
}
