package io.s3csi.testkit.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitDirectoryTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"hello.service", "s3-mount@pvc-1.service", "a:b_c.mount", "x.timer", "y.socket"})
  void checkExtraUnitName_unitName_isAccepted(String name) {
    assertThatCode(() -> UnitDirectory.checkExtraUnitName(name)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "hello", "hello.txt", "../x.service", "a b.service", "x/y.service"})
  void checkExtraUnitName_notAUnitName_isRejected(String name) {
    assertThatThrownBy(() -> UnitDirectory.checkExtraUnitName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unitFile name must be a systemd unit name such as hello.service, got '" + name + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"halt.target", "sysinit.target", "s3csi-testkit-exit.service"})
  void checkExtraUnitName_fixtureUnit_isRejected(String name) {
    assertThatThrownBy(() -> UnitDirectory.checkExtraUnitName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unitFile name '" + name + "' is one of the fixture's own units [");
  }

  @Test
  void write_extraUnit_isWrittenBesideTheFixtureUnits(@TempDir Path directory) throws IOException {
    Path units =
        UnitDirectory.write(directory.resolve("units"), Map.of("it.service", "[Service]\n"));

    try (var files = Files.list(units)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "s3csi-testkit.target",
              "sysinit.target",
              "basic.target",
              "shutdown.target",
              "umount.target",
              "halt.target",
              "s3csi-testkit-exit.service",
              "it.service");
    }
    assertThat(units.resolve("it.service")).hasContent("[Service]\n");
    assertThat(units.resolve("halt.target"))
        .content()
        .contains("Requires=s3csi-testkit-exit.service\n");
    assertThat(units.resolve("s3csi-testkit-exit.service"))
        .content()
        .contains("SuccessAction=exit-force\n");
  }
}
