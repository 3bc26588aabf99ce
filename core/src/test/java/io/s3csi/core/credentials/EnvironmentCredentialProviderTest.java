package io.s3csi.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.volume.VolumeContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvironmentCredentialProviderTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/s3csi-driver";

  @TempDir Path dir;

  private static CredentialRequest request(String... attributes) {
    Map<String, String> attrs = new HashMap<>(Map.of("bucketName", "b-1"));
    for (int i = 0; i < attributes.length; i += 2) {
      attrs.put(attributes[i], attributes[i + 1]);
    }
    return new CredentialRequest(VolumeContext.parse("pv", attrs), Map.of());
  }

  private static Credentials credentials(Map<String, String> env, CredentialRequest request) {
    return new EnvironmentCredentialProvider(env).credentialsFor(request);
  }

  private Path token(String content) throws IOException {
    return Files.writeString(dir.resolve("token"), content);
  }

  @Test
  void credentialsFor_staticKeys_areUsed() {
    Credentials credentials =
        credentials(
            Map.of("AWS_ACCESS_KEY_ID", "AKIADRIVER", "AWS_SECRET_ACCESS_KEY", "driver-secret"),
            request());

    assertThat(credentials)
        .isEqualTo(
            new StaticCredentials("AKIADRIVER", Secret.of("driver-secret"), Optional.empty()));
  }

  @Test
  void credentialsFor_staticKeysWithSessionToken_carryTheToken() {
    Credentials credentials =
        credentials(
            Map.of(
                "AWS_ACCESS_KEY_ID", " AKIADRIVER ",
                "AWS_SECRET_ACCESS_KEY", "driver-secret\n",
                "AWS_SESSION_TOKEN", "driver-token"),
            request());

    assertThat(credentials)
        .isEqualTo(
            new StaticCredentials(
                "AKIADRIVER", Secret.of("driver-secret"), Optional.of(Secret.of("driver-token"))));
  }

  @ParameterizedTest
  @CsvSource({
    "AWS_ACCESS_KEY_ID, AKIADRIVER, AWS_SECRET_ACCESS_KEY, ''",
    "AWS_SECRET_ACCESS_KEY, driver-secret, AWS_ACCESS_KEY_ID, ' '"
  })
  void credentialsFor_onlyOneHalfOfTheKeyPair_failsPrecondition(
      String set, String value, String blank, String blankValue) {
    Map<String, String> env = new HashMap<>();
    env.put(set, value);
    env.put(blank, blankValue);

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(() -> credentials(env, request()))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the driver's environment sets only one of AWS_ACCESS_KEY_ID and"
                          + " AWS_SECRET_ACCESS_KEY")
                  .doesNotContain("driver-secret");
            });
  }

  @Test
  void credentialsFor_webIdentity_readsTheTokenFileAndTheVolumesStsRegion() throws IOException {
    Path file = token("eyJ.driver.token\n");

    Credentials credentials =
        credentials(
            Map.of(
                "AWS_ROLE_ARN",
                ROLE,
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                file.toString(),
                "AWS_REGION",
                "us-east-1"),
            request("stsRegion", "eu-west-1"));

    assertThat(credentials)
        .isEqualTo(
            new WebIdentityCredentials(
                ROLE, Secret.of("eyJ.driver.token"), Optional.of("eu-west-1")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"us-east-1|eu-north-1|us-east-1", "|eu-north-1|eu-north-1", "||"})
  void credentialsFor_webIdentityWithoutVolumeStsRegion_fallsBackToTheEnvironmentRegion(
      String region, String defaultRegion, String expected) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ROLE_ARN", ROLE);
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token("tok").toString());
    if (region != null) {
      env.put("AWS_REGION", region);
    }
    if (defaultRegion != null) {
      env.put("AWS_DEFAULT_REGION", defaultRegion);
    }

    WebIdentityCredentials credentials = (WebIdentityCredentials) credentials(env, request());

    assertThat(credentials.stsRegion()).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void credentialsFor_rotatedToken_isReadAgain() throws IOException {
    Map<String, String> env =
        Map.of("AWS_ROLE_ARN", ROLE, "AWS_WEB_IDENTITY_TOKEN_FILE", token("first").toString());
    EnvironmentCredentialProvider provider = new EnvironmentCredentialProvider(env);

    Credentials before = provider.credentialsFor(request());
    token("second");
    Credentials after = provider.credentialsFor(request());

    assertThat(((WebIdentityCredentials) before).token()).isEqualTo(Secret.of("first"));
    assertThat(((WebIdentityCredentials) after).token()).isEqualTo(Secret.of("second"));
  }

  @Test
  void credentialsFor_missingTokenFile_isUnavailable() {
    Path missing = dir.resolve("missing");

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(
            () ->
                credentials(
                    Map.of("AWS_ROLE_ARN", ROLE, "AWS_WEB_IDENTITY_TOKEN_FILE", missing.toString()),
                    request()))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "cannot read the driver's web-identity token "
                          + missing
                          + ": java.nio.file.NoSuchFileException: "
                          + missing);
            });
  }

  @Test
  void credentialsFor_keysAndWebIdentity_preferTheKeys() throws IOException {
    Credentials credentials =
        credentials(
            Map.of(
                "AWS_ACCESS_KEY_ID",
                "AKIADRIVER",
                "AWS_SECRET_ACCESS_KEY",
                "driver-secret",
                "AWS_ROLE_ARN",
                ROLE,
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                token("tok").toString()),
            request());

    assertThat(credentials).isInstanceOf(StaticCredentials.class);
  }

  @Test
  void credentialsFor_roleWithoutTokenFile_usesTheInstanceIdentity() {
    assertThat(credentials(Map.of("AWS_ROLE_ARN", ROLE), request()))
        .isEqualTo(new InstanceCredentials());
  }

  @Test
  void credentialsFor_nothing_usesTheInstanceIdentity() {
    assertThat(credentials(Map.of("HOME", "/root", "AWS_REGION", "us-east-1"), request()))
        .isEqualTo(new InstanceCredentials());
  }

  @Test
  void constructor_copiesTheEnvironment() {
    Map<String, String> env = new HashMap<>();
    EnvironmentCredentialProvider provider = new EnvironmentCredentialProvider(env);
    env.put("AWS_ACCESS_KEY_ID", "AKIA");
    env.put("AWS_SECRET_ACCESS_KEY", "s");

    assertThat(provider.credentialsFor(request())).isEqualTo(new InstanceCredentials());
    assertThat(provider).hasToString("EnvironmentCredentialProvider");
  }
}
