package io.s3csi.core.credentials;

import io.s3csi.core.error.DriverException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The driver's own identity, from the standard AWS environment variables of the driver process:
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code AWS_SESSION_TOKEN}, or {@code
 * AWS_ROLE_ARN} with {@code AWS_WEB_IDENTITY_TOKEN_FILE} (IAM roles for service accounts, read at
 * each publish so a rotated token is picked up), or else the node's instance identity.
 */
public final class EnvironmentCredentialProvider implements CredentialProvider {
  private final Map<String, String> environment;

  /**
   * Creates the provider.
   *
   * @param environment the driver's environment, usually {@link System#getenv()}
   */
  public EnvironmentCredentialProvider(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Credentials credentialsFor(CredentialRequest request) {
    Optional<String> keyId = get("AWS_ACCESS_KEY_ID");
    Optional<String> secret = get("AWS_SECRET_ACCESS_KEY");
    if (keyId.isPresent() != secret.isPresent()) {
      throw DriverException.failedPrecondition(
          "the driver's environment sets only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    if (keyId.isPresent()) {
      return new StaticCredentials(
          keyId.get(), Secret.of(secret.get()), get("AWS_SESSION_TOKEN").map(Secret::of));
    }
    Optional<String> role = get("AWS_ROLE_ARN");
    Optional<String> tokenFile = get("AWS_WEB_IDENTITY_TOKEN_FILE");
    if (role.isPresent() && tokenFile.isPresent()) {
      String token;
      try {
        token = Files.readString(Path.of(tokenFile.get())).strip();
      } catch (IOException e) {
        throw DriverException.unavailable(
            "cannot read the driver's web-identity token " + tokenFile.get() + ": " + e, e);
      }
      Optional<String> stsRegion =
          request
              .volume()
              .stsRegion()
              .or(() -> get("AWS_REGION"))
              .or(() -> get("AWS_DEFAULT_REGION"));
      return new WebIdentityCredentials(role.get(), Secret.of(token), stsRegion);
    }
    return new InstanceCredentials();
  }

  private Optional<String> get(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  @Override
  public String toString() {
    return "EnvironmentCredentialProvider";
  }
}
