package io.s3csi.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeCapabilityTest {

  private static void assertInvalid(Runnable call, String field, String message) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(call::run)
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @ParameterizedTest
  @EnumSource(AccessMode.class)
  void of_mountWithAnyAccessMode_isAccepted(AccessMode mode) {
    VolumeCapability capability =
        VolumeCapability.of(false, true, mode, List.of("allow-delete"), "");

    assertThat(capability)
        .isEqualTo(new VolumeCapability(mode, List.of("allow-delete"), Optional.empty()));
  }

  @Test
  void of_block_isRejected() {
    assertInvalid(
        () -> VolumeCapability.of(true, false, AccessMode.SINGLE_NODE_WRITER, List.of(), ""),
        "volume_capability.block",
        "volume_capability.block: block access is not supported: S3 volumes are mount only");
  }

  @Test
  void of_blockAndMount_isRejectedAsBlock() {
    assertInvalid(
        () -> VolumeCapability.of(true, true, AccessMode.SINGLE_NODE_WRITER, List.of(), ""),
        "volume_capability.block",
        "volume_capability.block: block access is not supported: S3 volumes are mount only");
  }

  @Test
  void of_noAccessType_isRejected() {
    assertInvalid(
        () -> VolumeCapability.of(false, false, AccessMode.SINGLE_NODE_WRITER, List.of(), ""),
        "volume_capability.access_type",
        "volume_capability.access_type: must be mount (block is not supported)");
  }

  @Test
  void of_missingAccessMode_isRejected() {
    assertInvalid(
        () -> VolumeCapability.of(false, true, null, List.of(), ""),
        "volume_capability.access_mode",
        "volume_capability.access_mode: must be set to a known CSI access mode");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1000", " 65534 ", "0", "4294967295"})
  void of_numericMountGroup_isKept(String group) {
    VolumeCapability capability =
        VolumeCapability.of(false, true, AccessMode.SINGLE_NODE_WRITER, List.of(), group);

    assertThat(capability.volumeMountGroup()).contains(group.strip());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void of_blankMountGroup_isAbsent(String group) {
    VolumeCapability capability =
        VolumeCapability.of(false, true, AccessMode.SINGLE_NODE_WRITER, List.of(), group);

    assertThat(capability.volumeMountGroup()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"wheel", "-1", "1000,0", "10000000000", "1 000", "0x10"})
  void of_badMountGroup_isRejected(String group) {
    assertInvalid(
        () -> VolumeCapability.of(false, true, AccessMode.SINGLE_NODE_WRITER, List.of(), group),
        "volume_capability.mount.volume_mount_group",
        "volume_capability.mount.volume_mount_group: must be a numeric group id");
  }

  @Test
  void constructor_copiesMountFlags() {
    List<String> flags = new ArrayList<>(List.of("ro"));
    VolumeCapability capability =
        new VolumeCapability(AccessMode.SINGLE_NODE_WRITER, flags, Optional.empty());
    flags.add("rw");

    assertThat(capability.mountFlags()).containsExactly("ro");
  }

  @Test
  void constructor_nullAccessMode_isRejected() {
    assertThatNullPointerException()
        .isThrownBy(() -> new VolumeCapability(null, List.of(), Optional.empty()))
        .withMessage("accessMode");
  }
}
