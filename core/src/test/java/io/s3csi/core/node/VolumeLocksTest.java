package io.s3csi.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VolumeLocksTest {

  private final VolumeLocks locks = new VolumeLocks();
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
  }

  @Test
  void acquire_busyKey_isAbortedWithTheOperation() {
    try (VolumeLocks.Held held = locks.acquire("pv-1", "volume pv-1 at /t")) {
      assertThatExceptionOfType(DriverException.class)
          .isThrownBy(() -> locks.acquire("pv-1", "volume pv-1 at /t"))
          .satisfies(
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.ABORTED);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "an operation on volume pv-1 at /t is already in progress; retry when it"
                            + " has finished");
              });
      assertThat(locks.held()).isEqualTo(1);
    }
  }

  @Test
  void close_releasesTheKey() {
    locks.acquire("pv-1", "x").close();

    try (VolumeLocks.Held again = locks.acquire("pv-1", "x")) {
      assertThat(locks.held()).isEqualTo(1);
    }
    assertThat(locks.held()).isZero();
  }

  @Test
  void close_twice_doesNotReleaseALockTakenSince() {
    VolumeLocks.Held first = locks.acquire("pv-1", "x");
    first.close();
    try (VolumeLocks.Held second = locks.acquire("pv-1", "x")) {
      first.close();

      assertThatExceptionOfType(DriverException.class)
          .isThrownBy(() -> locks.acquire("pv-1", "x"))
          .extracting(DriverException::kind)
          .isEqualTo(ErrorKind.ABORTED);
    }
  }

  @Test
  void acquire_differentKeys_areIndependent() {
    try (VolumeLocks.Held first = locks.acquire("pv-1", "a");
        VolumeLocks.Held second = locks.acquire("pv-2", "b")) {
      assertThat(locks.held()).isEqualTo(2);
    }
    assertThat(locks.held()).isZero();
  }

  @Test
  void close_afterAnException_releasesTheKey() {
    assertThatExceptionOfType(IllegalStateException.class)
        .isThrownBy(
            () -> {
              try (VolumeLocks.Held held = locks.acquire("pv-1", "a")) {
                throw new IllegalStateException("boom");
              }
            });

    assertThat(locks.held()).isZero();
  }

  @Test
  void acquire_busyKeyFromAnotherThread_failsAtOnceInsteadOfWaiting() throws Exception {
    try (VolumeLocks.Held held = locks.acquire("pv-1", "volume pv-1")) {
      Future<Throwable> other =
          executor.submit(
              () -> {
                try (VolumeLocks.Held second = locks.acquire("pv-1", "volume pv-1")) {
                  return null;
                } catch (DriverException e) {
                  return e;
                }
              });

      assertThat(other.get(10, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(
              DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ABORTED));
    }
  }
}
