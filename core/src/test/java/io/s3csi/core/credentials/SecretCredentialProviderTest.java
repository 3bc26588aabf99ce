package io.s3csi.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.volume.VolumeContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretCredentialProviderTest {

  private static final String SECRET_VALUE = "s3cr3t-VALUE-never-printed";
  private static final String ID_NAMES =
      "accessKeyId, accessKeyID, key_id, aws_access_key_id, AWS_ACCESS_KEY_ID";
  private static final String SECRET_NAMES =
      "secretAccessKey, access_key, secret_access_key, aws_secret_access_key,"
          + " AWS_SECRET_ACCESS_KEY";

  private final SecretCredentialProvider provider = new SecretCredentialProvider();

  private static Map<String, Secret> secrets(String... keysAndValues) {
    Map<String, Secret> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], Secret.of(keysAndValues[i + 1]));
    }
    return map;
  }

  private Credentials credentialsFor(Map<String, Secret> secrets) {
    VolumeContext volume =
        VolumeContext.parse("pv", Map.of("bucketName", "b-1", "authenticationSource", "secret"));
    return provider.credentialsFor(new CredentialRequest(volume, secrets));
  }

  private void assertInvalid(Map<String, Secret> secrets, String field, String message) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> credentialsFor(secrets))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).isEqualTo(message).doesNotContain(SECRET_VALUE);
            });
  }

  @ParameterizedTest
  @CsvSource({
    "accessKeyId, secretAccessKey, sessionToken",
    "key_id, access_key, session_token",
    "accessKeyID, secretAccessKey, sessionToken",
    "aws_access_key_id, aws_secret_access_key, aws_session_token",
    "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN",
    "accessKeyId, secret_access_key, session_token"
  })
  void credentialsFor_eachSpelling_yieldsTheKeys(String id, String secret, String token) {
    Credentials credentials =
        credentialsFor(secrets(id, "AKIAEXAMPLE", secret, SECRET_VALUE, token, "tok"));

    assertThat(credentials)
        .isEqualTo(
            new StaticCredentials(
                "AKIAEXAMPLE", Secret.of(SECRET_VALUE), Optional.of(Secret.of("tok"))));
  }

  @Test
  void credentialsFor_withoutSessionToken_hasNone() {
    assertThat(credentialsFor(secrets("key_id", "AKIA", "access_key", SECRET_VALUE)))
        .isEqualTo(new StaticCredentials("AKIA", Secret.of(SECRET_VALUE), Optional.empty()));
  }

  @Test
  void credentialsFor_keyIdWithSurroundingWhiteSpace_isStripped() {
    assertThat(
            ((StaticCredentials)
                    credentialsFor(
                        secrets("accessKeyId", " AKIA\n", "secretAccessKey", SECRET_VALUE)))
                .accessKeyId())
        .isEqualTo("AKIA");
  }

  @Test
  void credentialsFor_blankPreferredSpelling_fallsBackToTheNext() {
    assertThat(
            credentialsFor(
                secrets("accessKeyId", " ", "key_id", "AKIA2", "secretAccessKey", SECRET_VALUE)))
        .isEqualTo(new StaticCredentials("AKIA2", Secret.of(SECRET_VALUE), Optional.empty()));
  }

  @Test
  void credentialsFor_noSecrets_asksForANodePublishSecret() {
    assertInvalid(
        Map.of(),
        "secrets",
        "secrets: authenticationSource is secret but the request carries no secret; set the"
            + " PersistentVolume's nodePublishSecretRef");
  }

  @Test
  void credentialsFor_missingKeyId_namesTheKeyButNoValue() {
    assertInvalid(
        secrets("secretAccessKey", SECRET_VALUE, "accessKey", "AKIA"),
        "secrets.accessKeyId",
        "secrets.accessKeyId: missing or empty; the secret must hold one of "
            + ID_NAMES
            + " (it has keys [accessKey, secretAccessKey])");
  }

  @Test
  void credentialsFor_missingSecretKey_namesTheKeyButNoValue() {
    assertInvalid(
        secrets("accessKeyId", "AKIA", "secretKey", SECRET_VALUE),
        "secrets.secretAccessKey",
        "secrets.secretAccessKey: missing or empty; the secret must hold one of "
            + SECRET_NAMES
            + " (it has keys [accessKeyId, secretKey])");
  }

  @Test
  void credentialsFor_emptySecretKey_isMissing() {
    assertInvalid(
        secrets("accessKeyId", "AKIA", "secretAccessKey", ""),
        "secrets.secretAccessKey",
        "secrets.secretAccessKey: missing or empty; the secret must hold one of "
            + SECRET_NAMES
            + " (it has keys [accessKeyId, secretAccessKey])");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AKIA EXAMPLE", "AKIA:X", "AKIA\u00e9", "AKIA\nX", "AKIA;rm"})
  void credentialsFor_malformedKeyId_isRejectedWithoutEchoingIt(String id) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> credentialsFor(secrets("accessKeyId", id, "secretAccessKey", "s")))
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("secrets.accessKeyId");
              assertThat(e.getMessage())
                  .isEqualTo("secrets.accessKeyId: is malformed (letters, digits and +/=._- only)");
            });
  }

  @Test
  void credentialsFor_keyIdOf129Characters_isMalformed() {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(
            () -> credentialsFor(secrets("accessKeyId", "A".repeat(129), "secretAccessKey", "s")))
        .withMessage("secrets.accessKeyId: is malformed (letters, digits and +/=._- only)");
  }

  @Test
  void credentialsFor_secretWithTrailingNewlineFromAFile_isStripped() {
    Credentials credentials =
        credentialsFor(
            secrets(
                "accessKeyId", "AKIA\n", "secretAccessKey", "s3cr3t\n", "sessionToken", "tok\n"));

    StaticCredentials keys = (StaticCredentials) credentials;
    assertThat(keys.accessKeyId()).isEqualTo("AKIA");
    assertThat(keys.secretAccessKey().reveal()).isEqualTo("s3cr3t");
    assertThat(keys.sessionToken()).map(Secret::reveal).contains("tok");
  }

  @Test
  void credentialsFor_secretWithInnerNewline_isRejectedWithoutEchoingIt() {
    assertInvalid(
        secrets("accessKeyId", "AKIA", "secretAccessKey", SECRET_VALUE + "\nmore"),
        "secretAccessKey",
        "secretAccessKey: must not contain a newline or NUL");
  }

  @Test
  void toString_isTheName() {
    assertThat(provider).hasToString("SecretCredentialProvider");
  }
}
