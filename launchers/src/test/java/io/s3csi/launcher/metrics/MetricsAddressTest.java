package io.s3csi.launcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsAddressTest {

  @ParameterizedTest
  @CsvSource({
    ":8080, '', 8080, :8080",
    "0.0.0.0:9090, 0.0.0.0, 9090, 0.0.0.0:9090",
    "localhost:0, localhost, 0, localhost:0",
    "'[::1]:8080', ::1, 8080, '[::1]:8080'",
    "' :80 ', '', 80, :80"
  })
  void parse_validAddress_readsHostAndPort(String value, String host, int port, String shown) {
    MetricsAddress address = MetricsAddress.parse("--metrics-address", value).orElseThrow();

    assertThat(address).isEqualTo(new MetricsAddress(host, port));
    assertThat(address.toString()).isEqualTo(shown);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   "})
  void parse_absentOrBlank_isOff(String value) {
    assertThat(MetricsAddress.parse("--metrics-address", value)).isEqualTo(Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"8080", "host:", "host:http", "::1:8080", "a b:80", "host:-1"})
  void parse_malformed_isRejectedNamingTheFlag(String value) {
    assertThatThrownBy(() -> MetricsAddress.parse("--metrics-address", value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--metrics-address: must be HOST:PORT, :PORT (every interface) or [IPV6]:PORT, such"
                + " as :8080, got '"
                + value
                + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {":65536", ":99999"})
  void parse_portTooLarge_isRejectedNamingTheFlag(String value) {
    assertThatThrownBy(() -> MetricsAddress.parse("--metrics-address", value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--metrics-address: the port must be 0 to 65535, got ");
  }
}
