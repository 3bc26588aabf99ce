package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.Mounter;
import io.s3csi.testkit.mount.FakeMounter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BackgroundMounterTest {
  private static final Path TARGET = Path.of("/var/lib/kubelet/pods/uid/volumes/v/mount");

  private final FakeMounter fake = new FakeMounter();
  private final CountDownLatch release = new CountDownLatch(1);

  private FakeMounter builtWhenReleased() {
    try {
      if (!release.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return fake;
  }

  @Test
  void state_whileTheMounterIsBuilt_waitsForItAndAsksIt() throws Exception {
    BackgroundMounter mounter =
        BackgroundMounter.start("the test mounter", this::builtWhenReleased);

    CompletableFuture<MountState> state =
        CompletableFuture.supplyAsync(() -> mounter.state(TARGET));
    assertThat(state).isNotDone();
    release.countDown();

    assertThat(state.get(10, TimeUnit.SECONDS)).isEqualTo(fake.state(TARGET));
    assertThat(fake.calls()).contains("state " + TARGET);
  }

  @Test
  void calls_mounterCouldNotBeBuilt_failInternalWithTheReason() {
    BackgroundMounter mounter =
        BackgroundMounter.start(
            "the test mounter",
            () -> {
              throw new IllegalStateException("no C library");
            });

    assertThatThrownBy(() -> mounter.unmount(TARGET))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL))
        .hasMessage("the test mounter could not start: no C library");
    assertThatThrownBy(mounter::managedTargets)
        .hasMessage("the test mounter could not start: no C library");
  }

  @Test
  void startFailure_whileBuilding_isReady() {
    BackgroundMounter mounter =
        BackgroundMounter.start("the test mounter", this::builtWhenReleased);

    assertThat(mounter.startFailure().notReadyReason()).isEmpty();
    release.countDown();
  }

  @Test
  void startFailure_buildFailed_isNotReadyWithTheReason() {
    BackgroundMounter mounter =
        BackgroundMounter.start(
            "the test mounter",
            () -> {
              throw new IllegalStateException("no C library");
            });

    assertThat(
            mounter.whenBuilt(Duration.ofSeconds(10), built -> Optional.empty()).notReadyReason())
        .contains("the test mounter could not start: no C library");
    assertThat(mounter.startFailure().notReadyReason())
        .contains("the test mounter could not start: no C library");
  }

  @Test
  void whenBuilt_stillBuildingAfterTheTimeout_isNotReady() {
    BackgroundMounter mounter =
        BackgroundMounter.start("the test mounter", this::builtWhenReleased);

    assertThat(mounter.whenBuilt(Duration.ofMillis(20), built -> Optional.empty()).notReadyReason())
        .contains("the test mounter is still starting");
    release.countDown();
  }

  @Test
  void whenBuilt_built_asksTheCheckAboutTheBuiltMounter() {
    BackgroundMounter mounter = BackgroundMounter.start("the test mounter", () -> fake);

    assertThat(
            mounter
                .whenBuilt(
                    Duration.ofSeconds(10),
                    built -> built == fake ? Optional.of("systemd is down") : Optional.empty())
                .notReadyReason())
        .contains("systemd is down");
  }

  @Test
  void close_whileBuilding_waitsAndClosesTheBuiltMounter() throws Exception {
    AtomicBoolean closed = new AtomicBoolean();
    BackgroundMounter mounter =
        BackgroundMounter.start(
            "the test mounter",
            () -> {
              builtWhenReleased();
              return closeable(fake, closed);
            });
    CompletableFuture<Void> close =
        CompletableFuture.runAsync(
            () -> {
              try {
                mounter.close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(close).isNotDone();
    release.countDown();
    close.get(10, TimeUnit.SECONDS);

    assertThat(closed).isTrue();
  }

  @Test
  void close_buildFailed_doesNothing() throws Exception {
    BackgroundMounter mounter =
        BackgroundMounter.start(
            "the test mounter",
            () -> {
              throw new IllegalStateException("no C library");
            });

    mounter.close();

    assertThat(mounter).hasToString("the test mounter (could not start)");
  }

  /** The fake, made closeable: closing it sets {@code closed}. */
  private static Mounter closeable(FakeMounter fake, AtomicBoolean closed) {
    return (Mounter)
        Proxy.newProxyInstance(
            BackgroundMounterTest.class.getClassLoader(),
            new Class<?>[] {Mounter.class, AutoCloseable.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                closed.set(true);
                return null;
              }
              return method.invoke(fake, args);
            });
  }
}
