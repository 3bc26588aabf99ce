package io.s3csi.testkit.k8s;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stateful fake of the Kubernetes core/v1 API, served over HTTP on {@code 127.0.0.1} (an
 * ephemeral port), for tests that drive the official Java client (or any HTTP client) without a
 * cluster. It keeps pods, nodes, service accounts, secrets and events in memory and answers create,
 * get, list, replace, patch (JSON merge patch, strategic merge patch treated as a merge patch, and
 * JSON patch with add/remove/replace/test) and delete with the JSON the API server sends, including
 * {@code Status} bodies for errors (404, 409, 422).
 *
 * <pre>{@code
 * try (FakeKubernetesApi api = FakeKubernetesApi.start()) {
 *   api.put("nodes", null, "n1", "{\"metadata\":{\"labels\":{\"topology.kubernetes.io/zone\":\"a\"}}}");
 *   ApiClient client = Config.fromUrl(api.url());
 *   V1Node node = new CoreV1Api(client).readNode("n1").execute();
 *   api.failNext(403);      // the next request is denied, as RBAC would
 *   api.stop();             // every later request: connection refused
 * }
 * }</pre>
 *
 * <p>Not modelled: watches, label and field selectors, other API groups, authentication, admission.
 * A request the fake does not serve gets a 404 {@code Status} naming it, so a test fails loudly.
 */
public final class FakeKubernetesApi implements AutoCloseable {
  /** The resources this fake serves, by their plural name, with their kind. */
  private static final Map<String, String> KINDS =
      Map.of(
          "pods", "Pod",
          "nodes", "Node",
          "serviceaccounts", "ServiceAccount",
          "secrets", "Secret",
          "events", "Event");

  /** Resources whose DELETE answers a {@code Status} rather than the deleted object. */
  private static final Set<String> DELETE_RETURNS_STATUS = Set.of("nodes", "secrets", "events");

  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;
  private final Map<String, Map<String, Object>> objects = new TreeMap<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private long resourceVersion;
  private long generated;

  private record Failure(Optional<String> method, int status, Optional<String> message) {}

  private record Answer(int status, Object body) {}

  private FakeKubernetesApi(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    this.url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Starts a fake on {@code 127.0.0.1} and an ephemeral port.
   *
   * @return the running fake; close it to stop
   */
  public static FakeKubernetesApi start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ExecutorService executor = Executors.newCachedThreadPool();
      server.setExecutor(executor);
      FakeKubernetesApi api = new FakeKubernetesApi(server, executor);
      server.createContext("/", api::handle);
      server.start();
      return api;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the fake Kubernetes API on loopback", e);
    }
  }

  /** Returns the base URL, such as {@code http://127.0.0.1:41234}, for an ApiClient's basePath. */
  public String url() {
    return url;
  }

  /**
   * Stores an object as if it had been created, replacing any object of the same name.
   *
   * @param resource the plural resource name: {@code pods}, {@code nodes}, {@code serviceaccounts},
   *     {@code secrets} or {@code events}
   * @param namespace the namespace; {@code null} for nodes
   * @param name the object's name
   * @param json the object as JSON; {@code metadata.name}, {@code namespace}, {@code uid}, {@code
   *     resourceVersion}, {@code kind} and {@code apiVersion} are filled in
   */
  public synchronized void put(String resource, String namespace, String name, String json) {
    Map<String, Object> object = Json.parseObject(json);
    objects.put(key(resource, namespace, name), stamp(resource, namespace, name, object));
  }

  /**
   * Returns an object as JSON.
   *
   * @param resource the plural resource name
   * @param namespace the namespace; {@code null} for nodes
   * @param name the object's name
   * @return the JSON, empty when there is no such object
   */
  public synchronized Optional<String> get(String resource, String namespace, String name) {
    return Optional.ofNullable(objects.get(key(resource, namespace, name))).map(Json::write);
  }

  /**
   * Returns the objects of a resource as JSON, in name order.
   *
   * @param resource the plural resource name
   * @param namespace the namespace, or {@code null} for all namespaces (and for nodes)
   * @return the objects' JSON
   */
  public synchronized List<String> list(String resource, String namespace) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> object : select(resource, namespace)) {
      out.add(Json.write(object));
    }
    return out;
  }

  /** Returns the requests received so far, oldest first. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * Makes the next request (whatever it is) fail with {@code status}. Calls queue up: calling it
   * twice fails the next two requests. A 403 gets the API server's RBAC message for the request
   * ({@code User "..." cannot get resource "nodes" ...}).
   *
   * @param status the HTTP status, such as 403, 500 or 503
   */
  public synchronized void failNext(int status) {
    failures.add(new Failure(Optional.empty(), status, Optional.empty()));
  }

  /**
   * Makes the next request fail with {@code status} and a {@code Status} body with {@code message}.
   *
   * @param status the HTTP status
   * @param message the {@code Status} message
   */
  public synchronized void failNext(int status, String message) {
    failures.add(
        new Failure(
            Optional.empty(), status, Optional.of(Objects.requireNonNull(message, "message"))));
  }

  /**
   * Makes the next request with {@code method} fail with {@code status}, letting other requests
   * through: {@code failNext("PATCH", 403)} lets a client read a node and denies its patch.
   *
   * @param method the HTTP method, such as {@code PATCH}
   * @param status the HTTP status
   */
  public synchronized void failNext(String method, int status) {
    failures.add(
        new Failure(
            Optional.of(Objects.requireNonNull(method, "method")), status, Optional.empty()));
  }

  /** Stops serving: connections to {@link #url()} are refused from now on. Idempotent. */
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Optional<String> contentType =
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
            .map(t -> t.split(";")[0].strip());
    Answer answer;
    try {
      answer = answer(method, path, contentType.orElse(""), body);
    } catch (IllegalArgumentException | Patches.PatchException e) {
      answer = status(422, "Invalid", e.getMessage());
    } catch (RuntimeException e) {
      answer = status(500, "InternalError", "fake Kubernetes API failed: " + e);
    }
    requests.add(
        new RecordedRequest(
            method,
            path,
            Optional.ofNullable(exchange.getRequestURI().getRawQuery()),
            contentType,
            body,
            answer.status()));
    byte[] bytes = Json.write(answer.body()).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private synchronized Answer answer(String method, String path, String contentType, String body) {
    Route route = Route.parse(method, path);
    Failure failure = nextFailure(method);
    if (failure != null) {
      return failure(failure, route);
    }
    if (route == null || !KINDS.containsKey(route.resource())) {
      return status(
          404, "NotFound", "the fake Kubernetes API does not serve " + method + " " + path);
    }
    String resource = route.resource();
    boolean namespaced = !resource.equals("nodes");
    if (namespaced != (route.namespace() != null) && route.name() != null) {
      return status(404, "NotFound", "no " + resource + " at " + path);
    }
    if (route.name() == null) {
      return switch (method) {
        case "GET" -> listAnswer(resource, route.namespace());
        case "POST" -> create(resource, route.namespace(), Json.parseObject(body));
        default -> status(405, "MethodNotAllowed", method + " is not allowed on " + path);
      };
    }
    String key = key(resource, route.namespace(), route.name());
    Map<String, Object> existing = objects.get(key);
    if (existing == null) {
      return status(404, "NotFound", resource + " \"" + route.name() + "\" not found");
    }
    switch (method) {
      case "GET":
        return new Answer(200, existing);
      case "DELETE":
        objects.remove(key);
        return new Answer(
            200,
            DELETE_RETURNS_STATUS.contains(resource)
                ? statusBody(200, "Success", null, "deleted")
                : existing);
      case "PUT":
        return store(key, resource, route, Json.parseObject(body));
      case "PATCH":
        Object patch = Json.parse(body);
        Map<String, Object> patched;
        if (contentType.equals("application/json-patch+json")) {
          patched = Patches.jsonPatch(existing, patch);
        } else if (contentType.equals("application/merge-patch+json")
            || contentType.equals("application/strategic-merge-patch+json")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> merged = (Map<String, Object>) Patches.merge(existing, patch);
          patched = merged;
        } else {
          return status(415, "UnsupportedMediaType", "unsupported patch type " + contentType);
        }
        return store(key, resource, route, patched);
      default:
        return status(405, "MethodNotAllowed", method + " is not allowed on " + path);
    }
  }

  private Failure nextFailure(String method) {
    for (var it = failures.iterator(); it.hasNext(); ) {
      Failure failure = it.next();
      if (failure.method().isEmpty() || failure.method().get().equals(method)) {
        it.remove();
        return failure;
      }
    }
    return null;
  }

  private Answer store(String key, String resource, Route route, Map<String, Object> object) {
    Map<String, Object> stamped = stamp(resource, route.namespace(), route.name(), object);
    objects.put(key, stamped);
    return new Answer(200, stamped);
  }

  private Answer listAnswer(String resource, String namespace) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("kind", KINDS.get(resource) + "List");
    list.put("apiVersion", "v1");
    list.put("metadata", Map.of("resourceVersion", String.valueOf(resourceVersion)));
    list.put("items", new ArrayList<Object>(select(resource, namespace)));
    return new Answer(200, list);
  }

  @SuppressWarnings("unchecked")
  private Answer create(String resource, String namespace, Map<String, Object> object) {
    Map<String, Object> metadata =
        (Map<String, Object>) object.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    String name = (String) metadata.get("name");
    if (name == null && metadata.get("generateName") instanceof String prefix) {
      name = prefix + Long.toString(36 * 36 * 36 + ++generated, 36);
    }
    if (name == null || name.isBlank()) {
      return status(422, "Invalid", "metadata.name: Required value: name or generateName");
    }
    String key = key(resource, namespace, name);
    if (objects.containsKey(key)) {
      return status(409, "AlreadyExists", resource + " \"" + name + "\" already exists");
    }
    Map<String, Object> stamped = stamp(resource, namespace, name, object);
    objects.put(key, stamped);
    return new Answer(201, stamped);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> stamp(
      String resource, String namespace, String name, Map<String, Object> object) {
    if (!KINDS.containsKey(resource)) {
      throw new IllegalArgumentException(
          "resource " + resource + " is not one of " + new TreeMap<>(KINDS).keySet());
    }
    Map<String, Object> copy = (Map<String, Object>) Json.copy(object);
    copy.put("kind", KINDS.get(resource));
    copy.put("apiVersion", "v1");
    Map<String, Object> metadata =
        (Map<String, Object>) copy.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.putIfAbsent(
        "uid", "uid-" + resource + "-" + (namespace == null ? "" : namespace + "-") + name);
    metadata.put("resourceVersion", String.valueOf(++resourceVersion));
    return copy;
  }

  private List<Map<String, Object>> select(String resource, String namespace) {
    String prefix = resource + "/" + (namespace == null ? "" : namespace + "/");
    List<Map<String, Object>> out = new ArrayList<>();
    objects.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            out.add(value);
          }
        });
    return out;
  }

  private static String key(String resource, String namespace, String name) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(name, "name");
    return resource + "/" + (namespace == null ? "" : namespace + "/") + name;
  }

  private static Answer failure(Failure failure, Route route) {
    String reason =
        switch (failure.status()) {
          case 401 -> "Unauthorized";
          case 403 -> "Forbidden";
          case 404 -> "NotFound";
          case 409 -> "Conflict";
          case 422 -> "Invalid";
          case 429 -> "TooManyRequests";
          case 503 -> "ServiceUnavailable";
          default -> "InternalError";
        };
    String message =
        failure
            .message()
            .orElseGet(
                () ->
                    failure.status() == 403 && route != null
                        ? route.forbidden()
                        : "injected failure " + failure.status());
    return status(failure.status(), reason, message);
  }

  private static Answer status(int code, String reason, String message) {
    return new Answer(code, statusBody(code, "Failure", reason, message));
  }

  private static Map<String, Object> statusBody(
      int code, String status, String reason, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "Status");
    body.put("apiVersion", "v1");
    body.put("metadata", Map.of());
    body.put("status", status);
    body.put("message", message);
    if (reason != null) {
      body.put("reason", reason);
    }
    body.put("code", code);
    return body;
  }
}
