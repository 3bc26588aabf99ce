package io.s3csi.systemd;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pools of daemon threads for calls that may block for a while (a probe of a hung FUSE mount, a
 * D-Bus call): a thread per call in flight, an idle one kept for a minute, so a storm of publishes
 * reuses threads and a blocked call never holds a thread another call needs.
 */
final class DaemonPool {
  private DaemonPool() {}

  /**
   * Creates a pool.
   *
   * @param name the name of its idle threads; a task may rename its thread while it runs
   */
  static ExecutorService cached(String name) {
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, name);
          thread.setDaemon(true);
          return thread;
        });
  }
}
