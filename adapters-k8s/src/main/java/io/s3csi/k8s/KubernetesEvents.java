package io.s3csi.k8s;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.volume.PodInfo;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records a Warning event on the workload pod when a mount fails, with a message a user can act on:
 * what failed, the bucket and volume, and the next command to run ({@code systemctl status} of the
 * FUSE client's unit when the failure names one, else {@code kubectl logs} of the driver on that
 * node). kubelet's own {@code FailedMount} event carries the raw error; this one adds where to
 * look.
 *
 * <p>Recording is best-effort: a failure to record is logged and never changes the outcome of the
 * RPC that failed.
 */
public final class KubernetesEvents {
  /** The reason of a failed-mount event. */
  public static final String MOUNT_FAILED = "S3MountFailed";

  /** The API server rejects longer event messages. */
  static final int MAX_MESSAGE = 1024;

  private static final Logger LOG = System.getLogger(KubernetesEvents.class.getName());
  private static final Pattern UNIT = Pattern.compile("s3csi-[A-Za-z0-9_.\\\\-]+\\.service");

  private final CoreV1Api api;
  private final EventSource source;
  private final Clock clock;

  /**
   * Creates the recorder.
   *
   * @param api the core/v1 API of the cluster
   * @param source the driver pod and node
   * @param clock the time stamps of the events
   */
  public KubernetesEvents(CoreV1Api api, EventSource source, Clock clock) {
    this.api = Objects.requireNonNull(api, "api");
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records a failed mount on the workload pod. Never throws.
   *
   * @param pod the workload pod, from the volume context (nothing is recorded without its name and
   *     namespace)
   * @param volumeId the volume
   * @param bucket the bucket, when the volume context could be parsed
   * @param failure why the mount failed; its message never contains secrets
   * @return whether an event was recorded
   */
  public boolean mountFailed(PodInfo pod, String volumeId, String bucket, DriverException failure) {
    if (pod.name().isEmpty() || pod.namespace().isEmpty()) {
      LOG.log(Level.DEBUG, "no pod info for volume {0}; no event recorded", volumeId);
      return false;
    }
    String namespace = pod.namespace().get();
    String name = pod.name().get();
    OffsetDateTime now = OffsetDateTime.now(clock);
    CoreV1Event event =
        new CoreV1Event()
            .metadata(new V1ObjectMeta().generateName(name + ".").namespace(namespace))
            .involvedObject(
                new V1ObjectReference()
                    .apiVersion("v1")
                    .kind("Pod")
                    .name(name)
                    .namespace(namespace)
                    .uid(pod.uid().orElse(null)))
            .type("Warning")
            .reason(MOUNT_FAILED)
            .message(message(volumeId, bucket, failure))
            .source(new V1EventSource().component(source.component()).host(source.nodeName()))
            .reportingComponent(source.component())
            .reportingInstance(source.nodeName())
            .firstTimestamp(now)
            .lastTimestamp(now)
            .count(1);
    try {
      api.createNamespacedEvent(namespace, event).execute();
      return true;
    } catch (ApiException e) {
      LOG.log(
          Level.WARNING,
          "cannot record event {0} on pod {1}/{2}: {3}",
          MOUNT_FAILED,
          namespace,
          name,
          KubernetesFailures.map(
                  e,
                  RequiredPermissions.CREATE_EVENTS,
                  "in namespace " + namespace,
                  "record an event on pod " + namespace + "/" + name)
              .getMessage());
      return false;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot record event on pod " + namespace + "/" + name, e);
      return false;
    }
  }

  String message(String volumeId, String bucket, DriverException failure) {
    Matcher unit = UNIT.matcher(String.valueOf(failure.getMessage()));
    String next =
        unit.find()
            ? "systemctl status " + unit.group() + " on node " + source.nodeName() + ", or "
            : "";
    String head =
        "mounting bucket "
            + (bucket == null ? "(unknown)" : bucket)
            + " (volume "
            + volumeId
            + ") failed: "
            + failure.kind()
            + ": ";
    String tail = ". Next: " + next + source.logsCommand();
    String reason = String.valueOf(failure.getMessage());
    int room = MAX_MESSAGE - head.length() - tail.length();
    if (reason.length() > room) {
      // keep the next step whole: shorten what failed instead
      reason = reason.substring(0, Math.max(0, room - 3)) + "...";
    }
    return head + reason + tail;
  }
}
