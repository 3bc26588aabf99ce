package io.s3csi.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

  private static final String FLAG = "--csi-endpoint";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "unix:///csi/csi.sock, /csi/csi.sock",
    "unix:/csi/csi.sock, /csi/csi.sock",
    "/csi/csi.sock, /csi/csi.sock",
    "'  unix:///var/lib/kubelet/plugins/s3.csi.io/csi.sock  ', /var/lib/kubelet/plugins/s3.csi.io/csi.sock",
    "unix:///csi/./sub/../csi.sock, /csi/csi.sock",
    "unix:////csi//csi.sock, /csi/csi.sock",
  })
  void parse_validUnixEndpoint_yieldsNormalizedSocketPath(String value, String expectedPath) {
    Endpoint endpoint = Endpoint.parse(FLAG, value);

    assertThat(endpoint.socketPath()).isEqualTo(Path.of(expectedPath));
    assertThat(endpoint.uri()).isEqualTo("unix://" + expectedPath);
    assertThat(endpoint).hasToString("unix://" + expectedPath);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "tcp://127.0.0.1:10000 | --csi-endpoint must be a unix socket (unix:///absolute/path.sock),"
            + " got 'tcp://127.0.0.1:10000': scheme 'tcp' is not supported",
        "dns:///csi.example:443 | --csi-endpoint must be a unix socket"
            + " (unix:///absolute/path.sock), got 'dns:///csi.example:443': scheme 'dns' is not"
            + " supported",
        "csi/csi.sock | --csi-endpoint must be unix:///absolute/path.sock or an absolute path,"
            + " got 'csi/csi.sock' (a relative path)",
        "unix://csi/csi.sock | --csi-endpoint must be unix:///absolute/path.sock or an absolute"
            + " path, got 'unix://csi/csi.sock' (a relative path)",
        "unix:csi.sock | --csi-endpoint must be unix:///absolute/path.sock or an absolute path, got"
            + " 'unix:csi.sock' (a relative path)",
        "localhost:10000 | --csi-endpoint must be unix:///absolute/path.sock or an absolute path,"
            + " got 'localhost:10000' (a relative path)",
        "unix:/// | --csi-endpoint: socket path must name a file, got '/'",
      })
  void parse_unsupportedEndpoint_failsNamingTheFlag(String value, String message) {
    assertThatThrownBy(() -> Endpoint.parse(FLAG, value))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   "})
  void parse_missingValue_failsNamingTheFlag(String value) {
    assertThatThrownBy(() -> Endpoint.parse(FLAG, value))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("--csi-endpoint is required: give unix:///absolute/path.sock");
  }

  @Test
  void parse_pathLongerThanSunPath_failsWithLength() {
    String path = "/" + "d".repeat(100) + "/csi.sock"; // 110 bytes

    assertThatThrownBy(() -> Endpoint.parse(FLAG, "unix://" + path))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--csi-endpoint: socket path '"
                + path
                + "' is 110 bytes long; a unix socket path may be at most 107 bytes");
  }

  @Test
  void parse_pathOfExactlyMaximumLength_isAccepted() {
    String path = "/" + "d".repeat(97) + "/csi.sock"; // 107 bytes

    assertThat(Endpoint.parse(FLAG, path).socketPath()).isEqualTo(Path.of(path));
  }

  @Test
  void parse_nulCharacter_fails() {
    assertThatThrownBy(() -> Endpoint.parse(FLAG, "/csi/c\0si.sock"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("--csi-endpoint must not contain a NUL character");
  }

  @Test
  void constructor_relativePath_fails() {
    assertThatThrownBy(() -> new Endpoint(Path.of("csi.sock")))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("socket path must be absolute, got 'csi.sock'");
  }

  @Test
  void constructor_unnormalizedPath_fails() {
    assertThatThrownBy(() -> new Endpoint(Path.of("/csi/../csi.sock")))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "socket path must be normalized (no '.' or '..' segments), got '/csi/../csi.sock'");
  }

  @Test
  void constructor_nullPath_fails() {
    assertThatThrownBy(() -> new Endpoint(null))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("socketPath");
  }
}
