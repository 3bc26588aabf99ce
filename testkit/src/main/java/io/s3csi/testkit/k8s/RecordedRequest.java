package io.s3csi.testkit.k8s;

import java.util.Objects;
import java.util.Optional;

/**
 * One request the {@link FakeKubernetesApi} received.
 *
 * @param method the HTTP method ({@code GET}, {@code POST}, {@code PATCH}, ...)
 * @param path the request path, such as {@code /api/v1/nodes/n1}
 * @param query the raw query string, empty when there is none
 * @param contentType the request's {@code Content-Type}, empty when there is none
 * @param body the request body, empty for none
 * @param status the status code the fake answered with
 */
public record RecordedRequest(
    String method,
    String path,
    Optional<String> query,
    Optional<String> contentType,
    String body,
    int status) {

  /** Checks for nulls. */
  public RecordedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** Returns {@code "METHOD path"}, the form tests usually compare. */
  public String line() {
    return method + " " + path;
  }
}
