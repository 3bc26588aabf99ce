package io.s3csi.k8s;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds the official client's {@link ApiClient}: from the pod's in-cluster service account (what
 * the DaemonSet and the Deployment use), from a kubeconfig file (running the driver outside the
 * cluster), or from a plain URL (tests against {@code FakeKubernetesApi}). Every client gets short
 * connect and read timeouts, so an unreachable API server fails a publish with {@code UNAVAILABLE}
 * instead of hanging it.
 */
public final class KubernetesClients {
  /** The connect and read timeout of every client built here. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private KubernetesClients() {}

  /**
   * A client for the cluster the driver runs in: the API server from {@code
   * KUBERNETES_SERVICE_HOST}/{@code _PORT} and the token and CA of the pod's service account.
   *
   * @return the client
   * @throws IOException if the service account's token or CA cannot be read
   */
  public static ApiClient inCluster() throws IOException {
    return withTimeouts(ClientBuilder.cluster().build());
  }

  /**
   * A client from a kubeconfig file (its current context).
   *
   * @param kubeconfig the file
   * @return the client
   * @throws IOException if the file cannot be read or parsed
   */
  public static ApiClient fromKubeconfig(Path kubeconfig) throws IOException {
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    try (Reader reader = Files.newBufferedReader(kubeconfig, StandardCharsets.UTF_8)) {
      KubeConfig config = KubeConfig.loadKubeConfig(reader);
      Path parent = kubeconfig.toAbsolutePath().getParent();
      if (parent != null) {
        config.setFile(parent.resolve(kubeconfig.getFileName()).toFile());
      }
      return withTimeouts(ClientBuilder.kubeconfig(config).build());
    }
  }

  /**
   * A client for a plain URL, without authentication (tests, or {@code kubectl proxy}).
   *
   * @param url the API server's base URL, such as {@code http://127.0.0.1:8001}
   * @return the client
   */
  public static ApiClient fromUrl(String url) {
    Objects.requireNonNull(url, "url");
    return withTimeouts(new ClientBuilder().setBasePath(url).build());
  }

  private static ApiClient withTimeouts(ApiClient client) {
    int millis = (int) TIMEOUT.toMillis();
    client.setConnectTimeout(millis);
    client.setReadTimeout(millis);
    client.setWriteTimeout(millis);
    return client;
  }
}
