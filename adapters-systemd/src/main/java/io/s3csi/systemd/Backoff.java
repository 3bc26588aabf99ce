package io.s3csi.systemd;

import java.time.Duration;

/**
 * The pauses of a wait for a mount to serve: short at first, since most clients mount within tens
 * of milliseconds and every millisecond slept is a millisecond a pod waits, then doubling up to a
 * cap, so a slow client is not polled in a busy loop.
 */
final class Backoff {
  /** The first pause. */
  static final Duration FIRST = Duration.ofMillis(2);

  private final long capNanos;
  private long nextNanos = FIRST.toNanos();

  /**
   * Creates a backoff.
   *
   * @param cap the longest pause
   */
  Backoff(Duration cap) {
    this.capNanos = Math.max(FIRST.toNanos(), cap.toNanos());
  }

  /** Returns the next pause: 2 ms, 4 ms, 8 ms, ... up to the cap. */
  Duration next() {
    long pause = nextNanos;
    nextNanos = Math.min(capNanos, nextNanos * 2);
    return Duration.ofNanos(pause);
  }
}
