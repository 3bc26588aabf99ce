package io.s3csi.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretTest {

  @Test
  void toString_neverShowsTheValue() {
    Secret secret = Secret.of("hunter2-very-secret");

    assertThat(secret).hasToString("***");
    assertThat(String.valueOf(secret)).isEqualTo("***");
    assertThat(String.format("%s|%10s", secret, secret)).isEqualTo("***|       ***");
    assertThat("" + secret).doesNotContain("hunter2");
  }

  @Test
  void reveal_returnsTheValue() {
    assertThat(Secret.of("hunter2").reveal()).isEqualTo("hunter2");
  }

  @Test
  void of_null_isRejected() {
    assertThatNullPointerException().isThrownBy(() -> Secret.of(null)).withMessage("value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n"})
  void isBlank_emptyOrWhiteSpace_isTrue(String value) {
    assertThat(Secret.of(value).isBlank()).isTrue();
  }

  @Test
  void isBlank_text_isFalse() {
    assertThat(Secret.of(" x ").isBlank()).isFalse();
  }

  @Test
  void equals_comparesValues() {
    assertThat(Secret.of("a")).isEqualTo(Secret.of("a"));
    assertThat(Secret.of("a")).isNotEqualTo(Secret.of("b"));
    assertThat(Secret.of("a")).isNotEqualTo(Secret.of("ab"));
    assertThat(Secret.of("a")).isNotEqualTo("a");
    assertThat(Secret.of("a")).isNotEqualTo(null);
  }

  @Test
  void hashCode_doesNotDependOnTheValue() {
    assertThat(Secret.of("a").hashCode()).isEqualTo(Secret.of("something else").hashCode());
  }
}
