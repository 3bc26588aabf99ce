package io.s3csi.core.node;

import io.s3csi.core.error.DriverException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One in-flight operation per key. A second operation on a busy key fails at once with {@code
 * ABORTED}, as the CSI spec asks, instead of queueing behind the first; callers (kubelet, the
 * provisioner) retry with back-off. Operations on other keys never wait.
 */
public final class VolumeLocks {
  private final Set<String> busy = ConcurrentHashMap.newKeySet();

  /** A held lock; closing it releases the key. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes the lock of a key or fails.
   *
   * @param key the volume (and target) the operation works on
   * @param what the operation, for the error message
   * @return the held lock, to release in a try-with-resources
   * @throws DriverException {@code ABORTED} when another operation holds the key
   */
  public Held acquire(String key, String what) {
    if (!busy.add(key)) {
      throw DriverException.aborted(
          "an operation on " + what + " is already in progress; retry when it has finished");
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      // A second close must not release a lock another operation has taken since.
      if (released.compareAndSet(false, true)) {
        busy.remove(key);
      }
    };
  }

  /**
   * Returns the key of a target: node operations and the mount sweep lock it before they change
   * what is mounted or kept there.
   *
   * @param target an absolute, normalized target path
   * @return the key
   */
  public static String targetKey(Path target) {
    return "target\u0000" + target;
  }

  /** Returns how many keys are held, for metrics and tests. */
  public int held() {
    return busy.size();
  }
}
