package io.s3csi.launcher;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns the first SIGTERM or SIGINT into an event the main thread waits for, so that it can stop
 * gracefully and exit 0. After the first signal the JVM's own handlers are back in place: a second
 * Ctrl-C stops the process at once.
 *
 * <p>Shutdown hooks would be the portable alternative, but they run concurrently with the JDK's own
 * hooks, which close the logging handlers while the driver still reports its shutdown; and a
 * process that stopped as asked would exit 143 instead of 0. {@code sun.misc.Signal} lives in the
 * {@code jdk.unsupported} module, which exists for exactly this use (javac warns about it).
 */
final class ShutdownSignals implements AutoCloseable {
  private static final Logger LOG = System.getLogger(ShutdownSignals.class.getName());
  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private final CountDownLatch received = new CountDownLatch(1);
  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
  private volatile String name;

  private ShutdownSignals() {}

  /** Starts listening for SIGTERM and SIGINT; {@link #close()} restores the JVM's handlers. */
  static ShutdownSignals install() {
    ShutdownSignals signals = new ShutdownSignals();
    // a signal arriving meanwhile restores the handlers once they are all recorded
    synchronized (signals) {
      for (String signalName : SIGNALS) {
        Signal signal = new Signal(signalName);
        try {
          signals.previous.put(signal, Signal.handle(signal, signals::onSignal));
        } catch (IllegalArgumentException e) {
          // the JVM reserves the signal (-Xrs): it keeps its default meaning
          LOG.log(Level.WARNING, "cannot handle SIG{0}: {1}", signalName, e.getMessage());
        }
      }
    }
    return signals;
  }

  private void onSignal(Signal signal) {
    if (name == null) {
      name = signal.getName();
    }
    received.countDown();
    restore();
  }

  /**
   * Blocks until SIGTERM or SIGINT arrives.
   *
   * @return the signal's name, {@code TERM} or {@code INT}
   * @throws InterruptedException if the waiting thread is interrupted
   */
  String await() throws InterruptedException {
    received.await();
    return name;
  }

  /**
   * Waits up to {@code millis} for a signal.
   *
   * @return whether a signal has arrived
   */
  boolean await(long millis) throws InterruptedException {
    return received.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Returns whether SIGTERM or SIGINT has arrived. */
  boolean received() {
    return received.getCount() == 0;
  }

  /** Returns the name of the signal that arrived, or {@code null}. */
  String signalName() {
    return name;
  }

  @Override
  public void close() {
    restore();
  }

  private synchronized void restore() {
    previous.forEach(Signal::handle);
    previous.clear();
  }
}
