package io.s3csi.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.s3csi.core.error.InvalidArgumentException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticCredentialsTest {

  private static final Secret SECRET = Secret.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

  private static void assertInvalid(Runnable call, String field, String message) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(call::run)
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @Test
  void constructor_validKeys_areKept() {
    StaticCredentials keys =
        new StaticCredentials("AKIAIOSFODNN7EXAMPLE", SECRET, Optional.of(Secret.of("tok")));

    assertThat(keys.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    assertThat(keys.secretAccessKey()).isEqualTo(SECRET);
    assertThat(keys.sessionToken()).contains(Secret.of("tok"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void constructor_blankKeyId_isRejected(String id) {
    assertInvalid(
        () -> new StaticCredentials(id, SECRET, Optional.empty()),
        "accessKeyId",
        "accessKeyId: must not be empty");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " AKIA",
        "AKIA ",
        "AK IA",
        "AKIA:X",
        "AKIA\nX",
        "AKIA\u0000",
        "AKIA\n",
        "AKIA\u0085",
        "AKIA\u2028X",
        "AKIA\u00a0",
        "AKIA\u007f"
      })
  void constructor_keyIdWithWhiteSpaceControlCharacterOrColon_isRejected(String id) {
    assertInvalid(
        () -> new StaticCredentials(id, SECRET, Optional.empty()),
        "accessKeyId",
        "accessKeyId: must not contain white space, control characters or ':'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void constructor_blankSecret_isRejected(String secret) {
    assertInvalid(
        () -> new StaticCredentials("AKIA", Secret.of(secret), Optional.empty()),
        "secretAccessKey",
        "secretAccessKey: must not be empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc\n", "a\rb", "a\u0000b", "line1\nline2"})
  void constructor_secretWithNewlineOrNul_isRejected(String secret) {
    assertInvalid(
        () -> new StaticCredentials("AKIA", Secret.of(secret), Optional.empty()),
        "secretAccessKey",
        "secretAccessKey: must not contain a newline or NUL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tok\n", "t\rok", "t\u0000"})
  void constructor_sessionTokenWithNewlineOrNul_isRejected(String token) {
    assertInvalid(
        () -> new StaticCredentials("AKIA", SECRET, Optional.of(Secret.of(token))),
        "sessionToken",
        "sessionToken: must not contain a newline or NUL");
  }

  @Test
  void constructor_blankSessionToken_isDropped() {
    assertThat(new StaticCredentials("AKIA", SECRET, Optional.of(Secret.of(" "))).sessionToken())
        .isEmpty();
  }

  @Test
  void toString_showsOnlyTheKeyIdTail() {
    assertThat(new StaticCredentials("AKIAIOSFODNN7EXAMPLE", SECRET, Optional.of(Secret.of("tok"))))
        .hasToString(
            "StaticCredentials[accessKeyId=***MPLE, secretAccessKey=***, sessionToken=***]");
    assertThat(new StaticCredentials("AKIA", SECRET, Optional.empty()))
        .hasToString("StaticCredentials[accessKeyId=***, secretAccessKey=***, sessionToken=none]");
  }
}
