package io.s3csi.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the volume id, target path and pod UID of each CSI request the {@link CallContext} of the
 * thread that handles it, so that every log line written meanwhile (by the driver, gRPC or the AWS
 * SDK) can carry them as fields. Put it first in the interceptor list, so that the others run
 * inside it.
 *
 * <p>Only those three identifiers are read from the request; secrets and volume attributes are
 * never copied.
 */
public final class CallContextInterceptor implements ServerInterceptor {

  /** The volume attribute kubelet sets to the pod's UID when the CSIDriver asks for pod info. */
  static final String POD_UID_ATTRIBUTE = "csi.storage.k8s.io/pod.uid";

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private volatile Map<String, String> fields = Map.of();

      @Override
      public void onMessage(Q message) {
        if (fields.isEmpty() && message instanceof Message request) {
          fields = fieldsOf(request);
        }
        Map<String, String> previous = CallContext.enter(fields);
        try {
          super.onMessage(message);
        } finally {
          CallContext.restore(previous);
        }
      }

      @Override
      public void onHalfClose() {
        Map<String, String> previous = CallContext.enter(fields);
        try {
          super.onHalfClose();
        } finally {
          CallContext.restore(previous);
        }
      }

      @Override
      public void onCancel() {
        Map<String, String> previous = CallContext.enter(fields);
        try {
          super.onCancel();
        } finally {
          CallContext.restore(previous);
        }
      }

      @Override
      public void onComplete() {
        Map<String, String> previous = CallContext.enter(fields);
        try {
          super.onComplete();
        } finally {
          CallContext.restore(previous);
        }
      }
    };
  }

  /**
   * Reads the identifiers of a CSI request: its {@code volume_id} and {@code target_path} string
   * fields, and the pod UID from its volume context or its target path.
   */
  static Map<String, String> fieldsOf(Message request) {
    Map<String, String> fields = new LinkedHashMap<>();
    String volumeId = stringField(request, "volume_id");
    String targetPath = stringField(request, "target_path");
    if (!volumeId.isEmpty()) {
      fields.put(CallContext.VOLUME_ID, volumeId);
    }
    if (!targetPath.isEmpty()) {
      fields.put(CallContext.TARGET_PATH, targetPath);
    }
    String podUid =
        request instanceof NodePublishVolumeRequest publish
            ? publish.getVolumeContextOrDefault(POD_UID_ATTRIBUTE, "")
            : "";
    if (podUid.isEmpty()) {
      podUid = podUidOfTarget(targetPath);
    }
    if (!podUid.isEmpty()) {
      fields.put(CallContext.POD_UID, podUid);
    }
    return fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(fields);
  }

  /** The {@code <uid>} of a kubelet target {@code .../pods/<uid>/volumes/...}, or empty. */
  static String podUidOfTarget(String targetPath) {
    String[] segments = targetPath.split("/");
    for (int i = 0; i + 2 < segments.length; i++) {
      if (segments[i].equals("pods")
          && !segments[i + 1].isEmpty()
          && segments[i + 2].equals("volumes")) {
        return segments[i + 1];
      }
    }
    return "";
  }

  private static String stringField(Message request, String name) {
    FieldDescriptor field = request.getDescriptorForType().findFieldByName(name);
    if (field == null
        || field.isRepeated()
        || field.getJavaType() != FieldDescriptor.JavaType.STRING) {
      return "";
    }
    return (String) request.getField(field);
  }
}
