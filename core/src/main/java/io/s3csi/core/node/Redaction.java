package io.s3csi.core.node;

import io.s3csi.core.volume.VolumeContext;
import java.util.Map;
import java.util.TreeMap;

/** Hides service-account tokens in a volume context before it is shown. */
final class Redaction {
  private Redaction() {}

  static Map<String, String> redactContext(Map<String, String> context) {
    Map<String, String> shown = new TreeMap<>(context);
    shown.computeIfPresent(VolumeContext.SERVICE_ACCOUNT_TOKENS, (k, v) -> "***");
    return shown;
  }
}
