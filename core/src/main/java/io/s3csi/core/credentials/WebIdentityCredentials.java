package io.s3csi.core.credentials;

import io.s3csi.core.error.InvalidArgumentException;
import java.util.Objects;
import java.util.Optional;

/**
 * A role assumed with a web-identity token (IAM roles for service accounts, or any OIDC provider
 * that the S3 service trusts). The token is written to a private file that the FUSE client reads;
 * the client exchanges it with STS itself.
 *
 * @param roleArn the role to assume
 * @param token the web-identity (service-account) token
 * @param stsRegion the region of the STS endpoint, when not the volume's region
 */
public record WebIdentityCredentials(String roleArn, Secret token, Optional<String> stsRegion)
    implements Credentials {

  /** Validates the role ARN and the token. */
  public WebIdentityCredentials {
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(stsRegion, "stsRegion");
    if (!roleArn.matches("arn:[a-z0-9-]+:iam::[0-9]{12}:role/[\\w+=,.@/-]+")) {
      throw new InvalidArgumentException(
          "roleArn", "must look like arn:aws:iam::123456789012:role/NAME");
    }
    if (token.isBlank()) {
      throw new InvalidArgumentException("token", "must not be empty");
    }
    if (token.reveal().matches("(?s).*[\\n\\r\\x00].*")) {
      throw new InvalidArgumentException("token", "must not contain a newline or NUL");
    }
  }

  @Override
  public String toString() {
    return "WebIdentityCredentials[roleArn="
        + roleArn
        + ", token=***, stsRegion="
        + stsRegion
        + "]";
  }
}
