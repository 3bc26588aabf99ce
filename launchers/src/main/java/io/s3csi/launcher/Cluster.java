package io.s3csi.launcher;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.s3csi.core.credentials.CredentialProvider;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.node.NodeObserver;
import io.s3csi.core.node.PublishOutcome;
import io.s3csi.k8s.EventSource;
import io.s3csi.k8s.KubernetesClients;
import io.s3csi.k8s.KubernetesEvents;
import io.s3csi.k8s.KubernetesNodeInfo;
import io.s3csi.k8s.PodIdentityCredentialProvider;
import io.s3csi.k8s.StartupTaintRemover;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node plugin's use of the Kubernetes API, built from {@link KubernetesSettings}: the pod
 * identity provider, events on failed mounts, the Node's topology, and the removal of the startup
 * taint. The client is built, and events and the taint run, on a background thread of their own, so
 * none of them slows an RPC nor the start: building the client loads the Kubernetes client's JSON
 * model and OkHttp, which takes longer than starting to serve CSI. What needs the client waits for
 * it; {@link #awaitConnected} says whether it could be built.
 */
final class Cluster implements AutoCloseable {
  /** How many times the startup taint removal tries while the API is unreachable. */
  static final int TAINT_ATTEMPTS = 30;

  /** The pause between those attempts. */
  static final Duration TAINT_BACKOFF = Duration.ofSeconds(2);

  private static final Logger LOG = System.getLogger(Cluster.class.getName());

  private final KubernetesSettings settings;
  private final CompletableFuture<ApiClient> client = new CompletableFuture<>();
  private final CompletableFuture<CoreV1Api> api = client.thenApply(CoreV1Api::new);
  private final ExecutorService background;
  private volatile boolean closing;

  private Cluster(KubernetesSettings settings) {
    this.settings = settings;
    this.background =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "s3csi-kubernetes");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts connecting to the API the settings name, on the background thread.
   *
   * @param settings the settings; their API must not be off
   * @return the connection, usable at once
   * @throws IllegalArgumentException if the settings' API is off
   */
  static Cluster connect(KubernetesSettings settings) {
    if (settings.api() instanceof KubernetesSettings.Api.Off) {
      throw new IllegalArgumentException("the Kubernetes API is off");
    }
    Cluster cluster = new Cluster(settings);
    cluster.runInBackground(
        () -> {
          try {
            cluster.client.complete(client(settings.api()));
          } catch (RuntimeException | LinkageError e) {
            cluster.client.completeExceptionally(e);
          }
        });
    return cluster;
  }

  private static ApiClient client(KubernetesSettings.Api where) {
    try {
      if (where instanceof KubernetesSettings.Api.InCluster) {
        return KubernetesClients.inCluster();
      } else if (where instanceof KubernetesSettings.Api.Kubeconfig kubeconfig) {
        return KubernetesClients.fromKubeconfig(kubeconfig.file());
      } else if (where instanceof KubernetesSettings.Api.Url url) {
        return KubernetesClients.fromUrl(url.url().toString());
      }
      throw new IllegalArgumentException("the Kubernetes API is off");
    } catch (IOException e) {
      throw new ConfigurationException(
          "--kubernetes: cannot read the Kubernetes API credentials: " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the client is built.
   *
   * @throws ConfigurationException if the in-cluster account or the kubeconfig cannot be read
   */
  void awaitConnected() {
    try {
      client.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }

  /**
   * The provider of {@code authenticationSource: pod}.
   *
   * @param defaultRegion the driver's {@code --s3-region}, the STS region of volumes that name none
   */
  CredentialProvider podIdentity(Optional<String> defaultRegion) {
    CompletableFuture<CredentialProvider> provider =
        api.thenApply(
            client ->
                new PodIdentityCredentialProvider(client, settings.tokenAudience(), defaultRegion));
    return request -> provider.join().credentialsFor(request);
  }

  /**
   * Records a Warning event on the workload pod of each failed publish, in the background. A busy
   * volume ({@code ABORTED}) is not a failed mount: kubelet retries it, and it says nothing to the
   * user.
   *
   * @param driverName the reporting component
   * @param nodeName the node
   * @return the observer, or {@link NodeObserver#NONE} when the driver's pod is unknown
   */
  NodeObserver events(String driverName, String nodeName) {
    if (settings.driverPod().isEmpty()) {
      LOG.log(
          Level.WARNING,
          "the driver pod is unknown (--pod-namespace/--pod-name, or POD_NAMESPACE/POD_NAME);"
              + " failed mounts are not recorded as events on the workload pods");
      return NodeObserver.NONE;
    }
    KubernetesSettings.DriverPod pod = settings.driverPod().get();
    CompletableFuture<KubernetesEvents> events =
        api.thenApply(
            client ->
                new KubernetesEvents(
                    client,
                    new EventSource(
                        driverName, nodeName, pod.namespace(), pod.name(), pod.container()),
                    Clock.systemUTC()));
    return outcome -> {
      if (outcome.failure().isPresent()
          && outcome.failure().get().kind() != ErrorKind.ABORTED
          && outcome.pod().name().isPresent()) {
        runInBackground(() -> record(events.join(), outcome));
      }
    };
  }

  private static void record(KubernetesEvents events, PublishOutcome outcome) {
    DriverException failure = outcome.failure().orElseThrow();
    events.mountFailed(outcome.pod(), outcome.volumeId(), outcome.bucket().orElse(null), failure);
  }

  /**
   * The Node's topology for NodeGetInfo, when {@code --topology} asks for it.
   *
   * @param nodeName the Node
   * @return reads the zone and region labels on each call; empty when not asked
   */
  Supplier<Map<String, String>> topology(String nodeName) {
    if (!settings.topology()) {
      return Map::of;
    }
    CompletableFuture<KubernetesNodeInfo> info =
        api.thenApply(client -> new KubernetesNodeInfo(client, nodeName));
    return () -> info.join().topology();
  }

  /**
   * Removes the startup taint from the Node in the background, retrying while the API is
   * unreachable.
   *
   * @param nodeName the Node
   * @return the outcome: empty when no taint is configured; completes exceptionally when the taint
   *     cannot be removed (also logged)
   */
  CompletableFuture<Optional<StartupTaintRemover.Outcome>> removeStartupTaint(String nodeName) {
    if (settings.startupTaint().isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletableFuture<Optional<StartupTaintRemover.Outcome>> result = new CompletableFuture<>();
    runInBackground(
        () -> {
          try {
            StartupTaintRemover remover =
                new StartupTaintRemover(
                    api.join(),
                    nodeName,
                    settings.startupTaint().get(),
                    TAINT_ATTEMPTS,
                    TAINT_BACKOFF);
            result.complete(Optional.of(remover.removeTaint()));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
            if (closing) {
              LOG.log(Level.DEBUG, "startup taint removal stopped with the driver");
              return;
            }
            LOG.log(
                Level.ERROR,
                "cannot remove the startup taint {0} from node {1}; pods that need S3 volumes"
                    + " will not be scheduled there until it is removed: {2}",
                settings.startupTaint().get(),
                nodeName,
                e.getMessage());
          }
        });
    return result;
  }

  private void runInBackground(Runnable task) {
    try {
      background.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.log(Level.DEBUG, "the Kubernetes background thread has stopped; task dropped");
    }
  }

  /** Lets background work (an event being recorded) end briefly, then releases the client. */
  @Override
  public void close() {
    closing = true;
    background.shutdown();
    try {
      if (!background.awaitTermination(2, TimeUnit.SECONDS)) {
        background.shutdownNow();
      }
    } catch (InterruptedException e) {
      background.shutdownNow();
      Thread.currentThread().interrupt();
    }
    client.thenAccept(
        built -> {
          built.getHttpClient().dispatcher().executorService().shutdown();
          built.getHttpClient().connectionPool().evictAll();
        });
  }

  @Override
  public String toString() {
    return "Cluster{"
        + (client.isDone() && !client.isCompletedExceptionally()
            ? client.join().getBasePath()
            : settings.api())
        + "}";
  }
}
