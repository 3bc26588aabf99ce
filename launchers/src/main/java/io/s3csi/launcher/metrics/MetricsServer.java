package io.s3csi.launcher.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.s3csi.core.identity.Readiness;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The driver's HTTP endpoints, on the JDK's HTTP server:
 *
 * <ul>
 *   <li>{@code /metrics}: every metric of a registry in the Prometheus text format (or OpenMetrics
 *       or protobuf, as the scraper asks), served by the Prometheus client's own handler;
 *   <li>{@code /healthz}: 200 while the process serves HTTP at all (liveness);
 *   <li>{@code /readyz}: the CSI Probe's answer: 200 when ready, 503 with the reasons otherwise.
 * </ul>
 *
 * <pre>{@code
 * try (MetricsServer server =
 *     MetricsServer.start(MetricsAddress.parse("--metrics-address", ":8080").orElseThrow(),
 *         metrics.registry(), identity::probe)) {
 *   ...
 * }
 * }</pre>
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = System.getLogger(MetricsServer.class.getName());
  private static final int THREADS = 4;
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds the address and starts serving.
   *
   * @param address where to listen
   * @param registry the metrics to serve on {@code /metrics}
   * @param readiness answers {@code /readyz}; called on every request
   * @return the running server; close it to stop
   * @throws IOException if the address cannot be bound
   */
  public static MetricsServer start(
      MetricsAddress address, PrometheusRegistry registry, Supplier<Readiness> readiness)
      throws IOException {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(readiness, "readiness");
    HttpServer server = HttpServer.create(address.socketAddress(), 16);
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, MetricsServer::thread);
    server.setExecutor(executor);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/healthz", exchange -> answer(exchange, 200, "ok\n"));
    server.createContext(
        "/readyz",
        exchange -> {
          Readiness answer = readiness.get();
          if (answer.ready()) {
            answer(exchange, 200, "ok\n");
          } else {
            answer(exchange, 503, "not ready: " + String.join("; ", answer.reasons()) + "\n");
          }
        });
    server.createContext("/", exchange -> answer(exchange, 404, "not found\n"));
    server.start();
    LOG.log(
        Level.INFO,
        "serving /metrics, /healthz and /readyz on {0}",
        printable(server.getAddress()));
    return new MetricsServer(server, executor);
  }

  /** Returns the address the server listens on, with the port the system chose for port 0. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops serving at once. Idempotent. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Thread thread(Runnable task) {
    Thread thread = new Thread(task, "metrics-http-" + THREAD_NUMBER.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  private static String printable(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
