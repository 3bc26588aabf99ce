package io.s3csi.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the node plugin talks to the Kubernetes API, and what it does there: the flags {@code
 * --kubernetes}, {@code --kubeconfig}, {@code --token-audience}, {@code --startup-taint}, {@code
 * --topology}, {@code --pod-namespace}, {@code --pod-name} and {@code --container-name} of {@code
 * s3csi driver}, checked.
 *
 * @param api where the API server is, or that it is not used
 * @param tokenAudience the service-account token audience of {@code authenticationSource: pod}; one
 *     of the CSIDriver's {@code tokenRequests}
 * @param startupTaint the key of the taint the node plugin removes from its Node once it serves;
 *     empty to remove none
 * @param topology whether NodeGetInfo reports the Node's zone and region labels
 * @param driverPod the driver's own pod, named in events so a user knows where to look; empty
 *     outside a pod
 */
public record KubernetesSettings(
    Api api,
    String tokenAudience,
    Optional<String> startupTaint,
    boolean topology,
    Optional<DriverPod> driverPod) {

  /** Where the API server is. */
  public sealed interface Api {
    /** The API is not used: no pod identity, events, taint removal or topology. */
    record Off() implements Api {}

    /** The cluster the driver runs in, through its pod's service account. */
    record InCluster() implements Api {}

    /**
     * The current context of a kubeconfig file.
     *
     * @param file the file
     */
    record Kubeconfig(Path file) implements Api {}

    /**
     * A plain URL, without authentication: {@code kubectl proxy}, or an API fake in tests.
     *
     * @param url the API server's base URL
     */
    record Url(URI url) implements Api {}
  }

  /**
   * The pod the driver runs in.
   *
   * @param namespace its namespace
   * @param name its name
   * @param container the driver's container in it
   */
  public record DriverPod(String namespace, String name, String container) {}

  /** The environment variable the API server's address comes from in a pod. */
  static final String SERVICE_HOST_VARIABLE = "KUBERNETES_SERVICE_HOST";

  /** Checks for nulls and that the settings agree with each other. */
  public KubernetesSettings {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(tokenAudience, "tokenAudience");
    Objects.requireNonNull(startupTaint, "startupTaint");
    Objects.requireNonNull(driverPod, "driverPod");
    if (tokenAudience.isBlank()) {
      throw new IllegalArgumentException("--token-audience: must not be empty");
    }
    if (topology && api instanceof Api.Off) {
      throw new IllegalArgumentException(
          "--topology: reads the Node's labels from the Kubernetes API, which --kubernetes off"
              + " turns off");
    }
  }

  /** No Kubernetes API: what the demo, bare hosts and tests outside a cluster use. */
  public static KubernetesSettings off() {
    return new KubernetesSettings(
        new Api.Off(), "sts.amazonaws.com", Optional.empty(), false, Optional.empty());
  }

  /** Whether the API is used at all. */
  public boolean enabled() {
    return !(api instanceof Api.Off);
  }

  /**
   * Parses {@code --kubernetes} and {@code --kubeconfig}.
   *
   * @param value {@code auto} (in-cluster when {@value #SERVICE_HOST_VARIABLE} is set, off
   *     otherwise), {@code in-cluster}, {@code off}, or an {@code http(s)://} URL
   * @param kubeconfig a kubeconfig file, or {@code null}; only with {@code auto}
   * @param serviceHost the value of {@value #SERVICE_HOST_VARIABLE}, or {@code null}
   * @return where the API server is
   * @throws IllegalArgumentException naming the flag
   */
  static Api parseApi(String value, String kubeconfig, String serviceHost) {
    String mode = value == null ? "auto" : value.strip();
    if (kubeconfig != null) {
      if (!mode.equalsIgnoreCase("auto")) {
        throw new IllegalArgumentException(
            "--kubeconfig: cannot be combined with --kubernetes " + value);
      }
      if (kubeconfig.isBlank()) {
        throw new IllegalArgumentException("--kubeconfig: must not be empty");
      }
      return new Api.Kubeconfig(Path.of(kubeconfig).toAbsolutePath().normalize());
    }
    switch (mode.toLowerCase(Locale.ROOT)) {
      case "auto":
        return serviceHost == null || serviceHost.isBlank() ? new Api.Off() : new Api.InCluster();
      case "in-cluster":
        return new Api.InCluster();
      case "off":
        return new Api.Off();
      default:
        return new Api.Url(url(mode));
    }
  }

  private static URI url(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // the message below says what is accepted
    }
    throw new IllegalArgumentException(
        "--kubernetes: must be auto, in-cluster, off or an http(s):// URL of the API server, got '"
            + value
            + "'");
  }

  /**
   * The driver pod from {@code --pod-namespace}, {@code --pod-name} and {@code --container-name}:
   * present when both the namespace and the name are known.
   */
  static Optional<DriverPod> driverPod(String namespace, String name, String container) {
    boolean hasNamespace = namespace != null && !namespace.isBlank();
    boolean hasName = name != null && !name.isBlank();
    if (hasNamespace != hasName) {
      throw new IllegalArgumentException(
          (hasNamespace ? "--pod-name" : "--pod-namespace")
              + ": must be set together with "
              + (hasNamespace ? "--pod-namespace" : "--pod-name")
              + " (the downward API's metadata.name and metadata.namespace)");
    }
    if (container == null || container.isBlank()) {
      throw new IllegalArgumentException("--container-name: must not be empty");
    }
    return hasName
        ? Optional.of(new DriverPod(namespace.strip(), name.strip(), container.strip()))
        : Optional.empty();
  }
}
