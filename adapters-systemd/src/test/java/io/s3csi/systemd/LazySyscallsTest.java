package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.DriverException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazySyscallsTest {
  @Test
  void construct_bindsNothing() {
    AtomicInteger binds = new AtomicInteger();

    new LazySyscalls(
        () -> {
          binds.incrementAndGet();
          return new FakeSyscalls();
        });

    assertThat(binds).hasValue(0);
  }

  @Test
  void calls_fromManyThreadsAtOnce_bindOnceAndReachTheBinding() throws Exception {
    AtomicInteger binds = new AtomicInteger();
    FakeSyscalls fake = new FakeSyscalls();
    CountDownLatch go = new CountDownLatch(1);
    LazySyscalls lazy =
        new LazySyscalls(
            () -> {
              binds.incrementAndGet();
              return fake;
            });
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return lazy.umount2("/mnt/t", Syscalls.UMOUNT_NOFOLLOW);
              }));
    }
    go.countDown();
    for (CompletableFuture<Integer> call : calls) {
      call.get(10, TimeUnit.SECONDS);
    }

    assertThat(binds).hasValue(1);
    assertThat(fake.umounts()).hasSize(8);
  }

  @Test
  void calls_bindingFails_everyCallThrowsTheSameErrorWithoutBindingAgain() {
    AtomicInteger binds = new AtomicInteger();
    LazySyscalls lazy =
        new LazySyscalls(
            () -> {
              binds.incrementAndGet();
              throw DriverException.internal("cannot bind the C library for tests", null);
            });

    assertThatThrownBy(() -> lazy.stat("/"))
        .isInstanceOf(DriverException.class)
        .hasMessage("cannot bind the C library for tests");
    assertThatThrownBy(() -> lazy.statfs("/"))
        .isInstanceOf(DriverException.class)
        .hasMessage("cannot bind the C library for tests");
    assertThat(binds).hasValue(1);
  }
}
