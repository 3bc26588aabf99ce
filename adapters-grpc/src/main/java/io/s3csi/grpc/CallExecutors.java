package io.s3csi.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run the server's calls, arranged so that no call waits for a thread to be
 * created for another one.
 *
 * <p>gRPC's default executor is a cached pool that a transport's event loop feeds directly: during
 * a storm of publishes, each of which blocks a thread for its whole mount, the event loop creates
 * one thread per call, and on a busy node each creation waits for the new thread to be scheduled.
 * Every call behind them on that connection, a Probe included, waits too. Here:
 *
 * <ul>
 *   <li>the calls that answer from memory (Identity, the capabilities, NodeGetInfo) run on two
 *       threads started up front, reached through a queue;
 *   <li>every other call is queued, and one dispatcher thread hands it to a pool that grows with
 *       the calls in flight: a blocked mount holds its own thread, never one another call needs,
 *       and the thread creation happens on the dispatcher, not on an event loop;
 *   <li>gRPC's first step of every call (finding the method) runs on two more threads started up
 *       front.
 * </ul>
 */
final class CallExecutors implements ServerCallExecutorSupplier {
  /** The methods that answer from memory, without touching a mount, systemd or S3. */
  static final Set<String> QUICK =
      Set.of(
          "csi.v1.Identity/Probe",
          "csi.v1.Identity/GetPluginInfo",
          "csi.v1.Identity/GetPluginCapabilities",
          "csi.v1.Node/NodeGetCapabilities",
          "csi.v1.Node/NodeGetInfo",
          "csi.v1.Controller/ControllerGetCapabilities");

  private static final Logger LOG = System.getLogger(CallExecutors.class.getName());
  private static final int FIXED_THREADS = 2;

  private final ExecutorService lookups = fixed("csi-grpc-lookup");
  private final ExecutorService quick = fixed("csi-grpc-quick");
  private final ExecutorService calls = Executors.newCachedThreadPool(daemons("csi-grpc-call"));
  private final LinkedBlockingQueue<Runnable> queued = new LinkedBlockingQueue<>();
  private final Thread dispatcher;
  private final Executor handOff;
  private volatile boolean stopped;

  CallExecutors() {
    dispatcher = new Thread(this::dispatch, "csi-grpc-dispatch");
    dispatcher.setDaemon(true);
    dispatcher.start();
    handOff =
        task -> {
          if (stopped) {
            throw new RejectedExecutionException("the CSI server is stopped");
          }
          queued.add(task);
        };
  }

  /** The server's default executor: gRPC looks up each call's method there. */
  Executor lookups() {
    return lookups;
  }

  @Override
  public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata metadata) {
    return QUICK.contains(call.getMethodDescriptor().getFullMethodName()) ? quick : handOff;
  }

  /**
   * Stops taking calls and lets the threads end once their calls have: a call still blocked in a
   * mount is not interrupted, as with gRPC's own executor.
   */
  void shutdown() {
    stopped = true;
    dispatcher.interrupt();
    lookups.shutdown();
    quick.shutdown();
    calls.shutdown();
  }

  private void dispatch() {
    while (true) {
      Runnable task;
      try {
        task = queued.take();
      } catch (InterruptedException e) {
        // stopped: what is still queued belongs to calls the server has cancelled; running it
        // would start a publish on a server that is going away
        return;
      }
      try {
        calls.execute(task);
      } catch (RejectedExecutionException e) {
        LOG.log(Level.DEBUG, "dropped a call's callback: the server is stopped");
      }
    }
  }

  private static ExecutorService fixed(String name) {
    ExecutorService pool = Executors.newFixedThreadPool(FIXED_THREADS, daemons(name));
    for (int i = 0; i < FIXED_THREADS; i++) {
      pool.execute(() -> {}); // start the threads now, not on an event loop later
    }
    return pool;
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
  }
}
