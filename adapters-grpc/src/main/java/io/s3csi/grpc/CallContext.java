package io.s3csi.grpc;

import java.util.Map;

/**
 * What the CSI call being handled on the current thread is about, for log lines written while it is
 * handled: {@value #VOLUME_ID}, {@value #TARGET_PATH} and {@value #POD_UID}, each only when the
 * request names it. {@link CallContextInterceptor} sets it for the duration of each step of a call;
 * a log formatter reads it with {@link #fields()}.
 *
 * <p>It only ever holds these three identifiers, never a secret, a volume attribute or a token.
 */
public final class CallContext {

  /** The field of the request's {@code volume_id}. */
  public static final String VOLUME_ID = "volume_id";

  /** The field of the request's {@code target_path}. */
  public static final String TARGET_PATH = "target_path";

  /**
   * The field of the workload pod's UID: kubelet's {@code csi.storage.k8s.io/pod.uid} attribute, or
   * the {@code pods/<uid>} segment of a kubelet target path.
   */
  public static final String POD_UID = "pod_uid";

  private static final ThreadLocal<Map<String, String>> CURRENT = ThreadLocal.withInitial(Map::of);

  private CallContext() {}

  /**
   * Returns the fields of the call the current thread handles, in the order volume id, target path,
   * pod uid; empty outside a CSI call.
   *
   * @return the fields, never {@code null}
   */
  public static Map<String, String> fields() {
    return CURRENT.get();
  }

  /** Sets the current thread's fields and returns the ones they replace. */
  static Map<String, String> enter(Map<String, String> fields) {
    Map<String, String> previous = CURRENT.get();
    CURRENT.set(fields);
    return previous;
  }

  /** Restores what {@link #enter} replaced. */
  static void restore(Map<String, String> previous) {
    if (previous.isEmpty()) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }
}
