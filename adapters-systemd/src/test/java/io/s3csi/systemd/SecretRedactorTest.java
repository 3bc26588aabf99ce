package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.credentials.InstanceCredentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.credentials.WebIdentityCredentials;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretRedactorTest {
  private static final StaticCredentials KEYS =
      new StaticCredentials(
          "AKIAEXAMPLE", Secret.of("wJalr/XUtnFEMI+K7MDENG"), Optional.of(Secret.of("FwoGZXIv")));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "secret=wJalr/XUtnFEMI+K7MDENG end    | secret=*** end",
        "token FwoGZXIv and wJalr/XUtnFEMI+K7MDENG | token *** and ***",
        "url-encoded wJalr%2FXUtnFEMI%2BK7MDENG | url-encoded ***",
        "lower-case wJalr%2fXUtnFEMI%2bK7MDENG  | lower-case ***",
        "twice wJalr/XUtnFEMI+K7MDENGwJalr/XUtnFEMI+K7MDENG | twice ******",
        "key id AKIAEXAMPLE stays               | key id AKIAEXAMPLE stays",
      })
  void redact_staticCredentials_masksEveryFormOfTheSecrets(String text, String expected) {
    assertThat(SecretRedactor.forCredentials(KEYS).redact(text)).isEqualTo(expected);
  }

  @Test
  void redact_webIdentity_masksTheToken() {
    WebIdentityCredentials web =
        new WebIdentityCredentials(
            "arn:aws:iam::123456789012:role/r",
            Secret.of("eyJhbGciOi.payload.sig"),
            Optional.empty());

    assertThat(SecretRedactor.forCredentials(web).redact("token eyJhbGciOi.payload.sig rejected"))
        .isEqualTo("token *** rejected");
  }

  @Test
  void redact_instanceCredentials_leavesTextAlone() {
    SecretRedactor redactor = SecretRedactor.forCredentials(new InstanceCredentials());

    assertThat(redactor.redact("nothing to hide")).isEqualTo("nothing to hide");
    assertThat(redactor.longest()).isZero();
  }

  @Test
  void redact_secretContainingAnother_masksTheLongerWhole() {
    SecretRedactor redactor = SecretRedactor.of(List.of(Secret.of("abc"), Secret.of("xxabcxx")));

    assertThat(redactor.redact("[xxabcxx] [abc]")).isEqualTo("[***] [***]");
  }

  @Test
  void longest_isTheLengthOfTheLongestForm() {
    SecretRedactor redactor = SecretRedactor.of(List.of(Secret.of("a/b")));

    assertThat(redactor.longest()).isEqualTo("a%2Fb".length());
  }
}
