package io.s3csi.s3;

import io.s3csi.core.identity.ReadinessCheck;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether an S3 endpoint can be reached, for the CSI Probe of the controller: a {@code HEAD /}
 * without credentials, within a timeout. Any HTTP answer counts as reachable ({@code 403 Access
 * Denied} is what S3 says to an anonymous caller); a refused connection, a TLS failure or silence
 * until the timeout is not ready, with a reason that names the endpoint.
 *
 * <pre>{@code
 * ReadinessCheck s3 =
 *     S3ReadinessCheck.forEndpoint(config.s3EndpointUrl(), config.s3Region(),
 *         S3ReadinessCheck.DEFAULT_TIMEOUT);
 * }</pre>
 *
 * <p>No credential is sent, so none can leak; the check says nothing about whether the driver's
 * identity is allowed in, only that S3 answers.
 */
public final class S3ReadinessCheck implements ReadinessCheck {
  /** The default for how long a check waits for S3's answer. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

  private final URI endpoint;
  private final Duration timeout;
  private final HttpClient http;

  private S3ReadinessCheck(URI endpoint, Duration timeout) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    ProxySelector proxies = ProxySelector.getDefault();
    if (proxies != null) {
      builder.proxy(proxies);
    }
    this.http = builder.build();
  }

  /**
   * Returns a check of the endpoint volumes use when they name none.
   *
   * @param endpoint the driver's default endpoint; empty for AWS S3
   * @param region the driver's default region, which picks the AWS S3 endpoint when {@code
   *     endpoint} is empty ({@code us-east-1} when empty too)
   * @param timeout how long a check may take
   * @return the check
   * @throws IllegalArgumentException if the endpoint is not an absolute http(s) URI or the timeout
   *     is not positive
   */
  public static S3ReadinessCheck forEndpoint(
      Optional<URI> endpoint, Optional<String> region, Duration timeout) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: must be positive, got " + timeout);
    }
    URI uri = endpoint.orElseGet(() -> awsEndpoint(region.orElse(S3Clients.DEFAULT_REGION)));
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "endpoint: must be an http or https URL with a host, got '" + uri + "'");
    }
    return new S3ReadinessCheck(uri.resolve("/"), timeout);
  }

  /** The regional AWS S3 endpoint. */
  static URI awsEndpoint(String region) {
    return URI.create("https://s3." + region + ".amazonaws.com/");
  }

  /** Returns the URL the check asks. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public Optional<String> notReadyReason() {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .timeout(timeout)
            .build();
    try {
      send(request);
      return Optional.empty();
    } catch (HttpTimeoutException e) {
      return Optional.of(
          "S3 at " + endpoint + " did not answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return Optional.of("cannot reach S3 at " + endpoint + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking S3 at " + endpoint);
    }
  }

  /**
   * Sends the request; an I/O failure is tried once more, on a new connection: the first may have
   * gone out on a kept-alive connection that S3 (or a load balancer) closed since the last check.
   */
  private void send(HttpRequest request) throws IOException, InterruptedException {
    try {
      http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (HttpTimeoutException e) {
      throw e;
    } catch (IOException e) {
      http.send(request, HttpResponse.BodyHandlers.discarding());
    }
  }

  @Override
  public String toString() {
    return "S3ReadinessCheck[" + endpoint + "]";
  }

  /** The failure's type and the first message of its chain, such as {@code ConnectException}. */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return e.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }
}
