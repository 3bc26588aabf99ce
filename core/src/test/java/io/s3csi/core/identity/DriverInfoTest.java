package io.s3csi.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DriverInfoTest {

  @ParameterizedTest
  @ValueSource(strings = {DriverInfo.DEFAULT_NAME, "s3.csi.aws.com", "ru.yandex.s3.csi", "a"})
  void constructor_domainLikeName_isAccepted(String name) {
    assertThat(new DriverInfo(name, "1.0.0", Map.of()).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "S3.csi", "s3_csi", "-s3", "s3.", "s3 csi"})
  void constructor_badName_isRejected(String name) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new DriverInfo(name, "1.0.0", Map.of()))
        .withMessage("driver name must be a lowercase domain-like name: " + name);
  }

  @Test
  void constructor_nameOf64Characters_isRejected() {
    String name = "a".repeat(64);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> new DriverInfo(name, "1.0.0", Map.of()))
        .withMessage("driver name must be a lowercase domain-like name: " + name);
    assertThat(new DriverInfo("a".repeat(63), "1", Map.of()).name()).hasSize(63);
  }

  @Test
  void constructor_blankVersion_isRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new DriverInfo(DriverInfo.DEFAULT_NAME, " ", Map.of()))
        .withMessage("version must not be empty");
  }

  @Test
  void constructor_copiesTheManifest() {
    Map<String, String> manifest = new HashMap<>(Map.of("commit", "abc"));
    DriverInfo info = new DriverInfo(DriverInfo.DEFAULT_NAME, "1", manifest);
    manifest.put("extra", "x");

    assertThat(info.manifest()).containsOnlyKeys("commit");
  }
}
