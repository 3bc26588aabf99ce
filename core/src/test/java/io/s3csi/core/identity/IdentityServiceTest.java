package io.s3csi.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdentityServiceTest {

  private static final DriverInfo INFO =
      new DriverInfo(DriverInfo.DEFAULT_NAME, "0.1.0", Map.of("commit", "b5c60e8"));

  @Test
  void probe_noChecks_isReady() {
    IdentityService service = new IdentityService(INFO, false, List.of());

    assertThat(service.probe()).isEqualTo(new Readiness(true, List.of()));
  }

  @Test
  void probe_allChecksPass_isReady() {
    IdentityService service =
        new IdentityService(INFO, true, List.of(Optional::empty, Optional::empty));

    assertThat(service.probe()).isEqualTo(new Readiness(true, List.of()));
  }

  @Test
  void probe_failingChecks_areAggregatedInOrder() {
    IdentityService service =
        new IdentityService(
            INFO,
            false,
            List.of(
                () -> Optional.of("systemd is not reachable over D-Bus"),
                Optional::empty,
                () -> Optional.of("s3 endpoint http://minio:9000 refused the connection")));

    assertThat(service.probe())
        .isEqualTo(
            new Readiness(
                false,
                List.of(
                    "systemd is not reachable over D-Bus",
                    "s3 endpoint http://minio:9000 refused the connection")));
  }

  @Test
  void probe_throwingCheck_countsAsNotReadyWithItsMessage() {
    IdentityService service =
        new IdentityService(
            INFO,
            false,
            List.of(
                () -> {
                  throw new IllegalStateException("kubernetes API timed out");
                },
                Optional::empty));

    assertThat(service.probe())
        .isEqualTo(new Readiness(false, List.of("kubernetes API timed out")));
  }

  @Test
  void probe_throwingCheckWithoutMessage_isNamedByItsType() {
    IdentityService service =
        new IdentityService(
            INFO,
            false,
            List.of(
                () -> {
                  throw new NullPointerException();
                }));

    assertThat(service.probe())
        .isEqualTo(new Readiness(false, List.of("java.lang.NullPointerException")));
  }

  @Test
  void probe_runsEveryCheckEachTime() {
    AtomicInteger calls = new AtomicInteger();
    IdentityService service =
        new IdentityService(
            INFO,
            false,
            List.of(
                () -> {
                  calls.incrementAndGet();
                  return Optional.empty();
                }));

    service.probe();
    service.probe();

    assertThat(calls).hasValue(2);
  }

  @Test
  void constructor_copiesChecks() {
    List<ReadinessCheck> checks = new ArrayList<>();
    IdentityService service = new IdentityService(INFO, true, checks);
    checks.add(() -> Optional.of("late"));

    assertThat(service.probe().ready()).isTrue();
    assertThat(service.info()).isEqualTo(INFO);
    assertThat(service.controllerService()).isTrue();
  }
}
