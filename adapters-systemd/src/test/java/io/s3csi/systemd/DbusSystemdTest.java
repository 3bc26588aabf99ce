package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DbusSystemd without systemd: addresses and an unreachable socket. */
class DbusSystemdTest {
  @TempDir Path dir;

  @Test
  void unit_noSocket_isUnavailableNamingTheSocket() {
    Path socket = dir.resolve("private");
    try (DbusSystemd systemd = new DbusSystemd("unix:path=" + socket)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> systemd.unit("x.service"))
          .isInstanceOf(DriverException.class)
          .hasMessageStartingWith("cannot reach systemd at " + socket + ": ")
          .hasMessageEndingWith(
              "; the driver must run as root with the host's /run/systemd mounted")
          .extracting(e -> ((DriverException) e).kind())
          .isEqualTo(ErrorKind.UNAVAILABLE);
      // dbus-java alone would retry for 10 s
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
      // the next call tries again, and fails the same way
      assertThatThrownBy(() -> systemd.stop("x.service"))
          .extracting(e -> ((DriverException) e).kind())
          .isEqualTo(ErrorKind.UNAVAILABLE);
    }
  }

  @Test
  void address_privateSocketAndSystemBus_namedForMessages() {
    assertThat(new DbusSystemd(DbusSystemd.PRIVATE_SOCKET).address())
        .isEqualTo("/run/systemd/private");
    assertThat(new DbusSystemd("unix:path=/host/run/systemd/private,guid=1").address())
        .isEqualTo("/host/run/systemd/private");
    assertThat(new DbusSystemd("system").address()).isEqualTo("the D-Bus system bus");
  }

  @Test
  void constructor_otherTransport_isRejectedNamingTheSetting() {
    assertThatThrownBy(() -> new DbusSystemd("tcp:host=127.0.0.1,port=5555"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "systemdAddress: must be 'system' or a unix D-Bus address such as"
                + " unix:path=/run/systemd/private, got 'tcp:host=127.0.0.1,port=5555'");
  }

  @Test
  void unit_afterClose_failsPrecondition() {
    DbusSystemd systemd = new DbusSystemd("unix:path=" + dir.resolve("private"));
    systemd.close();

    assertThatThrownBy(() -> systemd.unit("x.service"))
        .hasMessage("the connection to systemd is closed");
  }
}
