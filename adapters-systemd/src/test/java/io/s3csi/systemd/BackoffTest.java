package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void next_doublesFromTwoMillisecondsUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(25));
    List<Long> pauses = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      pauses.add(backoff.next().toMillis());
    }

    assertThat(pauses).containsExactly(2L, 4L, 8L, 16L, 25L, 25L, 25L);
  }

  @Test
  void next_capBelowTheFirstPause_staysAtTheFirst() {
    Backoff backoff = new Backoff(Duration.ZERO);

    assertThat(backoff.next()).isEqualTo(Backoff.FIRST);
    assertThat(backoff.next()).isEqualTo(Backoff.FIRST);
  }
}
