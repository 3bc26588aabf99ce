package io.s3csi.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.InvalidArgumentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacityRangeTest {

  @ParameterizedTest
  @CsvSource({"0, 0, 0", "100, 0, 100", "0, 200, 200", "100, 200, 100"})
  void capacityBytes_isRequiredElseLimit(long required, long limit, long expected) {
    assertThat(new CapacityRange(required, limit).capacityBytes()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0, 5, true",
    "100, 0, 100, true",
    "100, 0, 99, false",
    "0, 200, 200, true",
    "0, 200, 201, false",
    "100, 200, 150, true"
  })
  void admits_checksBothBounds(long required, long limit, long existing, boolean admitted) {
    assertThat(new CapacityRange(required, limit).admits(existing)).isEqualTo(admitted);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-1|0|capacity_range.required_bytes: must not be negative (was -1)",
        "0|-1|capacity_range.limit_bytes: must not be negative (was -1)",
        "10|5|capacity_range: required_bytes (10) exceeds limit_bytes (5)"
      })
  void new_badRange_isInvalidArgument(long required, long limit, String message) {
    assertThatThrownBy(() -> new CapacityRange(required, limit))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(message);
  }
}
