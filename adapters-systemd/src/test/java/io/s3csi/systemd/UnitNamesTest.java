package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.mount.PrivateDirectories;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitNamesTest {
  private static final Path TARGET =
      Path.of("/var/lib/kubelet/pods/1234/volumes/kubernetes.io~csi/pv-1/mount");

  @Test
  void forTarget_sameTarget_sameNameBuiltFromThePrivateDirectoryKey() {
    UnitNames names = new UnitNames("s3csi");

    String name = names.forTarget(TARGET);

    assertThat(name)
        .isEqualTo("s3csi-" + PrivateDirectories.keyOf(TARGET) + ".service")
        .matches("s3csi-[0-9a-f]{16}\\.service")
        .isEqualTo(new UnitNames("s3csi").forTarget(Path.of(TARGET.toString())));
    assertThat(names.forTarget(TARGET.resolveSibling("other"))).isNotEqualTo(name);
    assertThat(new PrivateDirectories(Path.of("/var/lib/s3csi/mounts")).directoryFor(TARGET))
        .hasFileName(names.keyOf(name).orElseThrow());
  }

  @Test
  void forTarget_otherPrefix_otherName() {
    assertThat(new UnitNames("s3csi-mount").forTarget(TARGET))
        .isEqualTo("s3csi-mount-" + PrivateDirectories.keyOf(TARGET) + ".service");
  }

  @Test
  void keyOf_namesOfThisPrefixOnly() {
    UnitNames names = new UnitNames("s3csi");

    assertThat(names.keyOf("s3csi-0123456789abcdef.service")).contains("0123456789abcdef");
    assertThat(names.keyOf("s3csi-mount-0123456789abcdef.service")).isEmpty();
    assertThat(names.keyOf("s3csi-0123456789ABCDEF.service")).isEmpty();
    assertThat(names.keyOf("s3csi-0123456789abcdef.mount")).isEqualTo(Optional.empty());
    assertThat(names.keyOf("other-0123456789abcdef.service")).isEmpty();
  }

  @Test
  void glob_matchesThePrefixAndKeyLength() {
    assertThat(new UnitNames("s3csi").glob()).isEqualTo("s3csi-????????????????.service");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "S3csi", "s3csi-", "-s3csi", "s3csi.x", "s3csi_x", "1abc"})
  void constructor_badPrefix_isRejectedNamingTheSetting(String prefix) {
    assertThatThrownBy(() -> new UnitNames(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unitPrefix: must match");
  }
}
