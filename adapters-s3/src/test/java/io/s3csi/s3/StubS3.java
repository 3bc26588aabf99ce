package io.s3csi.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted HTTP endpoint that answers S3 requests with canned XML, for the S3 answers a real test
 * server cannot give (another account's bucket, Object Lock, throttling, per-object delete errors).
 * Routes are {@code "METHOD /path?subresource"}; unrouted requests get 501.
 */
final class StubS3 implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> requests = new ArrayList<>();
  private final Map<String, Map<String, List<String>>> headers = new HashMap<>();

  private record Answer(int status, String body) {}

  StubS3() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Answers a route.
   *
   * @param route {@code "GET /bucket?object-lock"}, {@code "PUT /bucket"}, ...: the method, the
   *     path and the first query parameter's name
   */
  StubS3 answer(String route, int status, String body) {
    answers.put(route, new Answer(status, body));
    return this;
  }

  StubS3 error(String route, int status, String code, String message) {
    return answer(
        route,
        status,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message><RequestId>stub</RequestId></Error>");
  }

  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /** Returns the headers of the last request of a route (names in lower case), or none. */
  synchronized Map<String, List<String>> headers(String route) {
    return headers.getOrDefault(route, Map.of());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    String first = query == null ? "" : "?" + query.split("[&=]")[0];
    String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + first;
    Map<String, List<String>> received = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> received.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    synchronized (this) {
      requests.add(route);
      headers.put(route, Map.copyOf(received));
    }
    exchange.getRequestBody().readAllBytes();
    Answer answer = answers.getOrDefault(route, new Answer(501, ""));
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/xml");
    if (exchange.getRequestMethod().equals("HEAD") || body.length == 0) {
      exchange.sendResponseHeaders(answer.status(), -1);
    } else {
      exchange.sendResponseHeaders(answer.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
