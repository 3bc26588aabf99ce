package io.s3csi.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.s3csi.core.error.InvalidArgumentException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebIdentityCredentialsTest {

  private static final Secret TOKEN = Secret.of("eyJhbGciOiJSUzI1NiJ9.payload.sig");

  private static void assertInvalid(Runnable call, String field, String message) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(call::run)
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws:iam::123456789012:role/s3-reader",
        "arn:aws-cn:iam::123456789012:role/path/to/Role_1+=,.@-",
        "arn:aws-us-gov:iam::123456789012:role/x"
      })
  void constructor_validRole_isKept(String role) {
    WebIdentityCredentials web = new WebIdentityCredentials(role, TOKEN, Optional.of("us-west-2"));

    assertThat(web.roleArn()).isEqualTo(role);
    assertThat(web.token()).isEqualTo(TOKEN);
    assertThat(web.stsRegion()).contains("us-west-2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "s3-reader",
        "arn:aws:iam::12345678901:role/x",
        "arn:aws:iam::123456789012:user/x",
        "arn:aws:sts::123456789012:role/x",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role/x y",
        "arn:aws:iam::123456789012:role/x\n"
      })
  void constructor_badRole_isRejected(String role) {
    assertInvalid(
        () -> new WebIdentityCredentials(role, TOKEN, Optional.empty()),
        "roleArn",
        "roleArn: must look like arn:aws:iam::123456789012:role/NAME");
  }

  @Test
  void constructor_blankToken_isRejected() {
    assertInvalid(
        () ->
            new WebIdentityCredentials(
                "arn:aws:iam::123456789012:role/x", Secret.of(" "), Optional.empty()),
        "token",
        "token: must not be empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tok\n", "t\rok", "t\u0000ok"})
  void constructor_tokenWithNewlineOrNul_isRejected(String token) {
    assertInvalid(
        () ->
            new WebIdentityCredentials(
                "arn:aws:iam::123456789012:role/x", Secret.of(token), Optional.empty()),
        "token",
        "token: must not contain a newline or NUL");
  }

  @Test
  void toString_hidesTheToken() {
    assertThat(
            new WebIdentityCredentials(
                "arn:aws:iam::123456789012:role/x", TOKEN, Optional.of("us-west-2")))
        .hasToString(
            "WebIdentityCredentials[roleArn=arn:aws:iam::123456789012:role/x, token=***,"
                + " stsRegion=Optional[us-west-2]]");
  }
}
