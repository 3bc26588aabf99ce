package io.s3csi.testkit.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SystemdNamespaceBuilderTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "1ABC", "A-B", "A B", "A=B"})
  void environment_badName_isRejectedNamingTheField(String name) {
    assertThatThrownBy(() -> SystemdNamespace.builder().environment(name, "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment name must match [A-Za-z_][A-Za-z0-9_]*, got '" + name + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"two\nlines", "nul\0byte"})
  void environment_valueWithControlCharacter_isRejected(String value) {
    assertThatThrownBy(() -> SystemdNamespace.builder().environment("SECRETISH", value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment value of SECRETISH must not contain a newline or NUL");
  }

  @Test
  void startupTimeout_zero_isRejected() {
    assertThatThrownBy(() -> SystemdNamespace.builder().startupTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("startupTimeout must be positive, got PT0S");
  }

  @Test
  void stopTimeout_negative_isRejected() {
    assertThatThrownBy(() -> SystemdNamespace.builder().stopTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stopTimeout must be positive, got PT-1S");
  }

  @Test
  void unitFile_fixtureUnit_isRejected() {
    assertThatThrownBy(() -> SystemdNamespace.builder().unitFile("halt.target", "[Unit]\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unitFile name 'halt.target' is one of the fixture's own units");
  }

  @Test
  void availability_reasonNotMatchingVerdict_isRejected() {
    assertThat(new SystemdNamespace.Availability(false, "no root").reason()).isEqualTo("no root");
    assertThatThrownBy(() -> new SystemdNamespace.Availability(false, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "reason must be empty exactly when available, got available=false and reason ''");
    assertThatThrownBy(() -> new SystemdNamespace.Availability(true, "why"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
