package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.identity.ReadinessCheck;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether systemd answers over D-Bus: reads the manager's {@code Version} property, waiting at most
 * a timeout. A call still unanswered when the next check comes is waited for again rather than
 * repeated, so a hung systemd never piles up calls.
 */
final class SystemdReadinessCheck implements ReadinessCheck {
  private final Systemd systemd;
  private final Duration timeout;
  private CompletableFuture<String> inFlight; // guarded by this

  SystemdReadinessCheck(Systemd systemd, Duration timeout) {
    this.systemd = Objects.requireNonNull(systemd, "systemd");
    this.timeout = Durations.positive("timeout", timeout);
  }

  @Override
  public Optional<String> notReadyReason() {
    CompletableFuture<String> call = call();
    try {
      call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (TimeoutException e) {
      return Optional.of(
          "systemd at "
              + systemd.address()
              + " did not answer within "
              + timeout.toMillis()
              + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return Optional.of(
          cause instanceof DriverException failure
              ? failure.getMessage()
              : "cannot reach systemd at " + systemd.address() + ": " + cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking systemd at " + systemd.address());
    }
  }

  private synchronized CompletableFuture<String> call() {
    if (inFlight == null || inFlight.isDone()) {
      inFlight =
          CompletableFuture.supplyAsync(
              systemd::version,
              task -> {
                Thread thread = new Thread(task, "systemd-readiness");
                thread.setDaemon(true);
                thread.start();
              });
    }
    return inFlight;
  }

  @Override
  public String toString() {
    return "SystemdReadinessCheck[" + systemd.address() + "]";
  }
}
