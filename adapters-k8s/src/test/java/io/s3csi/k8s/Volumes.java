package io.s3csi.k8s;

import io.s3csi.core.credentials.CredentialRequest;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.volume.VolumeContext;
import java.util.HashMap;
import java.util.Map;

/** Volume contexts as kubelet sends them for a pod, for the tests. */
final class Volumes {
  static final String ROLE = "arn:aws:iam::123456789012:role/team-a";

  private Volumes() {}

  static String tokens(String audience, String token) {
    return "{\""
        + audience
        + "\":{\"token\":\""
        + token
        + "\",\"expirationTimestamp\":\"2030-01-01T00:00:00Z\"}}";
  }

  static Map<String, String> podAttributes(String namespace, String pod, String account) {
    Map<String, String> attrs = new HashMap<>();
    attrs.put("bucketName", "bucket-a");
    attrs.put("authenticationSource", "pod");
    attrs.put("csi.storage.k8s.io/pod.name", pod);
    attrs.put("csi.storage.k8s.io/pod.namespace", namespace);
    attrs.put("csi.storage.k8s.io/pod.uid", "uid-" + pod);
    attrs.put("csi.storage.k8s.io/serviceAccount.name", account);
    attrs.put("csi.storage.k8s.io/ephemeral", "false");
    return attrs;
  }

  static CredentialRequest request(Map<String, String> attrs) {
    return new CredentialRequest(VolumeContext.parse("vol-1", attrs), Map.of());
  }

  static CredentialRequest request(Map<String, String> attrs, Map<String, Secret> secrets) {
    return new CredentialRequest(VolumeContext.parse("vol-1", attrs), secrets);
  }
}
