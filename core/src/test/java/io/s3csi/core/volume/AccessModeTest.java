package io.s3csi.core.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessModeTest {

  @ParameterizedTest
  @CsvSource({
    "SINGLE_NODE_WRITER, false",
    "SINGLE_NODE_READER_ONLY, true",
    "MULTI_NODE_READER_ONLY, true",
    "MULTI_NODE_SINGLE_WRITER, false",
    "MULTI_NODE_MULTI_WRITER, false",
    "SINGLE_NODE_SINGLE_WRITER, false",
    "SINGLE_NODE_MULTI_WRITER, false"
  })
  void readOnly_mode_isTrueOnlyForReaderModes(AccessMode mode, boolean readOnly) {
    assertThat(mode.readOnly()).isEqualTo(readOnly);
  }

  @Test
  void values_areTheSevenCsiModes() {
    assertThat(Arrays.stream(AccessMode.values()).map(Enum::name))
        .containsExactly(
            "SINGLE_NODE_WRITER",
            "SINGLE_NODE_READER_ONLY",
            "MULTI_NODE_READER_ONLY",
            "MULTI_NODE_SINGLE_WRITER",
            "MULTI_NODE_MULTI_WRITER",
            "SINGLE_NODE_SINGLE_WRITER",
            "SINGLE_NODE_MULTI_WRITER");
  }
}
