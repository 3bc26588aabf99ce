package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.DriverException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SystemdReadinessCheckTest {
  private final FakeSystemd systemd = new FakeSystemd();

  @Test
  void notReadyReason_systemdAnswers_isEmpty() {
    SystemdReadinessCheck check = new SystemdReadinessCheck(systemd, Duration.ofSeconds(5));

    assertThat(check.notReadyReason()).isEqualTo(Optional.empty());
    assertThat(systemd.calls()).containsExactly("version");
  }

  @Test
  void notReadyReason_systemdUnreachable_isTheMounterError() {
    systemd.failWith(
        DriverException.unavailable(
            "cannot reach systemd at /run/systemd/private: Connection refused", null));
    SystemdReadinessCheck check = new SystemdReadinessCheck(systemd, Duration.ofSeconds(5));

    assertThat(check.notReadyReason())
        .contains("cannot reach systemd at /run/systemd/private: Connection refused");
  }

  @Test
  void notReadyReason_systemdHangs_timesOutAndDoesNotPileUpCalls() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    systemd.answerVersionWith(
        () -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "252";
        });
    SystemdReadinessCheck check = new SystemdReadinessCheck(systemd, Duration.ofMillis(200));

    assertThat(check.notReadyReason())
        .contains("systemd at /run/systemd/private did not answer within 200 ms");
    assertThat(check.notReadyReason()).isPresent();
    assertThat(systemd.calls()).containsExactly("version");

    release.countDown();
    assertThat(check.notReadyReason()).isEmpty();
  }

  @Test
  void new_zeroTimeout_isRejected() {
    assertThatThrownBy(() -> new SystemdReadinessCheck(systemd, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout: must be positive, got PT0S");
  }
}
