package io.s3csi.core.credentials;

import io.s3csi.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from the request's secrets: a PersistentVolume's {@code nodePublishSecretRef} (or a
 * StorageClass's node-publish secret). Keys are {@code accessKeyId}, {@code secretAccessKey} and
 * optionally {@code sessionToken}; the spellings of AWS's driver ({@code key_id}, {@code
 * access_key}, {@code session_token}), Yandex's ({@code accessKeyID}) and the AWS CLI's ({@code
 * aws_access_key_id}, ...) are accepted too.
 */
public final class SecretCredentialProvider implements CredentialProvider {
  static final List<String> ACCESS_KEY_ID =
      List.of("accessKeyId", "accessKeyID", "key_id", "aws_access_key_id", "AWS_ACCESS_KEY_ID");
  static final List<String> SECRET_ACCESS_KEY =
      List.of(
          "secretAccessKey",
          "access_key",
          "secret_access_key",
          "aws_secret_access_key",
          "AWS_SECRET_ACCESS_KEY");
  static final List<String> SESSION_TOKEN =
      List.of("sessionToken", "session_token", "aws_session_token", "AWS_SESSION_TOKEN");

  @Override
  public Credentials credentialsFor(CredentialRequest request) {
    Map<String, Secret> secrets = request.secrets();
    if (secrets.isEmpty()) {
      throw new InvalidArgumentException(
          "secrets",
          "authenticationSource is secret but the request carries no secret; set the"
              + " PersistentVolume's nodePublishSecretRef");
    }
    Secret keyId =
        find(secrets, ACCESS_KEY_ID)
            .orElseThrow(() -> missing("accessKeyId", ACCESS_KEY_ID, secrets));
    Secret secretKey =
        find(secrets, SECRET_ACCESS_KEY)
            .orElseThrow(() -> missing("secretAccessKey", SECRET_ACCESS_KEY, secrets));
    String id = keyId.reveal().strip();
    if (!id.matches("[A-Za-z0-9+/=._-]{1,128}")) {
      throw new InvalidArgumentException(
          "secrets.accessKeyId", "is malformed (letters, digits and +/=._- only)");
    }
    return new StaticCredentials(id, secretKey, find(secrets, SESSION_TOKEN));
  }

  private static Optional<Secret> find(Map<String, Secret> secrets, List<String> names) {
    for (String name : names) {
      Secret value = secrets.get(name);
      if (value != null && !value.isBlank()) {
        // `kubectl create secret --from-file` keeps the file's trailing newline; drop it.
        return Optional.of(Secret.of(value.reveal().strip()));
      }
    }
    return Optional.empty();
  }

  private static InvalidArgumentException missing(
      String key, List<String> names, Map<String, Secret> secrets) {
    return new InvalidArgumentException(
        "secrets." + key,
        "missing or empty; the secret must hold one of "
            + String.join(", ", names)
            + " (it has keys "
            + new java.util.TreeSet<>(secrets.keySet())
            + ")");
  }

  @Override
  public String toString() {
    return "SecretCredentialProvider";
  }
}
