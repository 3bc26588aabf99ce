package io.s3csi.core.provisioning;

import io.s3csi.core.credentials.Credentials;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and as whom a {@link BucketProvisioner} talks to S3. It is passed with every call because
 * each StorageClass may name its own endpoint, region and credentials.
 *
 * <p>Two connections are equal when all four parts are equal, which makes a connection usable as
 * the key of a client cache. {@link #toString()} never shows a secret.
 *
 * @param endpoint the S3 endpoint; empty for AWS S3
 * @param region the region requests are signed for; empty for the implementation's default
 * @param pathStyle whether to use path-style addressing ({@code host/bucket/key})
 * @param credentials the identity
 */
public record Connection(
    Optional<URI> endpoint, Optional<String> region, boolean pathStyle, Credentials credentials) {

  /** Checks for nulls. */
  public Connection {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(credentials, "credentials");
  }

  /** Shows the endpoint, region and addressing; credentials print redacted. */
  @Override
  public String toString() {
    return "Connection[endpoint="
        + endpoint.map(URI::toString).orElse("AWS S3")
        + ", region="
        + region.orElse("default")
        + ", pathStyle="
        + pathStyle
        + ", credentials="
        + credentials
        + "]";
  }
}
