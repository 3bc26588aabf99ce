package io.s3csi.core.credentials;

import io.s3csi.core.error.InvalidArgumentException;
import java.util.Objects;
import java.util.Optional;

/**
 * An access key pair, optionally with a session token.
 *
 * @param accessKeyId the access key id (not secret, but shown only in part by {@link #toString()})
 * @param secretAccessKey the secret access key
 * @param sessionToken the session token of temporary credentials
 */
public record StaticCredentials(
    String accessKeyId, Secret secretAccessKey, Optional<Secret> sessionToken)
    implements Credentials {

  /** Validates that both halves of the key pair are present. */
  public StaticCredentials {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(sessionToken, "sessionToken");
    if (accessKeyId.isBlank()) {
      throw new InvalidArgumentException("accessKeyId", "must not be empty");
    }
    if (accessKeyId
        .chars()
        .anyMatch(
            c ->
                Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || Character.isISOControl(c)
                    || c == ':')) {
      // it is written into credential files, one line and one field each
      throw new InvalidArgumentException(
          "accessKeyId", "must not contain white space, control characters or ':'");
    }
    if (secretAccessKey.isBlank()) {
      throw new InvalidArgumentException("secretAccessKey", "must not be empty");
    }
    if (secretAccessKey.reveal().matches("(?s).*[\\n\\r\\x00].*")) {
      throw new InvalidArgumentException("secretAccessKey", "must not contain a newline or NUL");
    }
    if (sessionToken.isPresent() && sessionToken.get().reveal().matches("(?s).*[\\n\\r\\x00].*")) {
      throw new InvalidArgumentException("sessionToken", "must not contain a newline or NUL");
    }
    sessionToken = sessionToken.filter(token -> !token.isBlank());
  }

  /** Shows the last four characters of the key id and never the secret parts. */
  @Override
  public String toString() {
    String tail = accessKeyId.length() > 4 ? accessKeyId.substring(accessKeyId.length() - 4) : "";
    return "StaticCredentials[accessKeyId=***"
        + tail
        + ", secretAccessKey=***, sessionToken="
        + (sessionToken.isPresent() ? "***" : "none")
        + "]";
  }
}
