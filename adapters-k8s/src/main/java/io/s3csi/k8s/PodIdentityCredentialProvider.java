package io.s3csi.k8s;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.s3csi.core.credentials.CredentialProvider;
import io.s3csi.core.credentials.CredentialRequest;
import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.WebIdentityCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.volume.PodInfo;
import io.s3csi.core.volume.VolumeContext;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code authenticationSource: pod}: the workload pod's own identity. kubelet passes the pod's
 * service-account tokens (for the audiences of the CSIDriver's {@code tokenRequests}) as {@code
 * csi.storage.k8s.io/serviceAccount.tokens}, a JSON map of audience to {@code {"token",
 * "expirationTimestamp"}}; the role to assume is the service account's {@value
 * #ROLE_ARN_ANNOTATION} annotation, read through the API. The result is a {@link
 * WebIdentityCredentials} whose token the mounter writes to the mount's own private directory, so
 * two pods never share a token file.
 *
 * <p>With {@code requiresRepublish: true} kubelet calls NodePublishVolume again before a token
 * expires; each call reads the fresh token here.
 */
public final class PodIdentityCredentialProvider implements CredentialProvider {
  /** The service-account annotation naming the IAM role (the EKS "IRSA" convention). */
  public static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

  /** The token audience STS expects, and the default of the CSIDriver's {@code tokenRequests}. */
  public static final String DEFAULT_AUDIENCE = "sts.amazonaws.com";

  private final CoreV1Api api;
  private final String audience;
  private final Optional<String> defaultRegion;

  /**
   * Creates the provider.
   *
   * @param api the core/v1 API of the cluster
   * @param audience the token audience to use, as listed in the CSIDriver's {@code tokenRequests}
   * @param defaultRegion the STS region when the volume sets neither {@code stsRegion} nor {@code
   *     region} (the driver's {@code --s3-region})
   */
  public PodIdentityCredentialProvider(
      CoreV1Api api, String audience, Optional<String> defaultRegion) {
    this.api = Objects.requireNonNull(api, "api");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.defaultRegion = Objects.requireNonNull(defaultRegion, "defaultRegion");
    if (audience.isBlank()) {
      throw new IllegalArgumentException("audience must not be empty");
    }
  }

  @Override
  public Credentials credentialsFor(CredentialRequest request) {
    VolumeContext volume = request.volume();
    PodInfo pod = volume.pod();
    Secret token = token(pod, request.secrets());
    String namespace =
        pod.namespace()
            .orElseThrow(() -> missingPodInfo(VolumeContext.POD_INFO_PREFIX + "pod.namespace"));
    String name =
        pod.serviceAccountName()
            .orElseThrow(
                () -> missingPodInfo(VolumeContext.POD_INFO_PREFIX + "serviceAccount.name"));
    String roleArn = roleArn(namespace, name);
    Optional<String> stsRegion = volume.stsRegion().or(volume::region).or(() -> defaultRegion);
    try {
      return new WebIdentityCredentials(roleArn, token, stsRegion);
    } catch (InvalidArgumentException e) {
      if (e.field().equals("roleArn")) {
        throw DriverException.failedPrecondition(
            "the annotation "
                + ROLE_ARN_ANNOTATION
                + " of service account "
                + namespace
                + "/"
                + name
                + " "
                + e.reason());
      }
      throw new InvalidArgumentException(VolumeContext.SERVICE_ACCOUNT_TOKENS, e.reason());
    }
  }

  private Secret token(PodInfo pod, Map<String, Secret> secrets) {
    Secret tokens =
        pod.serviceAccountTokens()
            .or(() -> Optional.ofNullable(secrets.get(VolumeContext.SERVICE_ACCOUNT_TOKENS)))
            .filter(t -> !t.isBlank())
            .orElseThrow(
                () ->
                    new InvalidArgumentException(
                        VolumeContext.SERVICE_ACCOUNT_TOKENS,
                        "authenticationSource is pod but kubelet passed no service-account token;"
                            + " set tokenRequests with audience \""
                            + audience
                            + "\" on the CSIDriver (and requiresRepublish: true to rotate it)"));
    JsonObject byAudience;
    try {
      JsonElement parsed = JsonParser.parseString(tokens.reveal());
      if (!parsed.isJsonObject()) {
        throw new JsonParseException("not an object");
      }
      byAudience = parsed.getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      // never quote the value: it holds tokens
      throw new InvalidArgumentException(
          VolumeContext.SERVICE_ACCOUNT_TOKENS,
          "is not a JSON object of audience to {\"token\", \"expirationTimestamp\"}");
    }
    JsonElement entry = byAudience.get(audience);
    if (entry == null || !entry.isJsonObject()) {
      throw new InvalidArgumentException(
          VolumeContext.SERVICE_ACCOUNT_TOKENS,
          "has no token for audience \""
              + audience
              + "\" (it has "
              + new TreeSet<>(byAudience.keySet())
              + "); add that audience to the CSIDriver's tokenRequests");
    }
    JsonElement value = entry.getAsJsonObject().get("token");
    if (value == null || !value.isJsonPrimitive() || value.getAsString().isBlank()) {
      throw new InvalidArgumentException(
          VolumeContext.SERVICE_ACCOUNT_TOKENS,
          "the entry for audience \"" + audience + "\" has no token");
    }
    return Secret.of(value.getAsString().strip());
  }

  private String roleArn(String namespace, String name) {
    V1ServiceAccount account;
    try {
      account = api.readNamespacedServiceAccount(name, namespace).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        throw DriverException.failedPrecondition(
            "service account " + namespace + "/" + name + " of the pod does not exist");
      }
      throw KubernetesFailures.map(
          e,
          RequiredPermissions.GET_SERVICE_ACCOUNTS,
          "in namespace " + namespace,
          "read the service account " + namespace + "/" + name);
    }
    Map<String, String> annotations =
        account.getMetadata() == null ? null : account.getMetadata().getAnnotations();
    String role = annotations == null ? null : annotations.get(ROLE_ARN_ANNOTATION);
    if (role == null || role.isBlank()) {
      throw DriverException.failedPrecondition(
          "service account "
              + namespace
              + "/"
              + name
              + " has no "
              + ROLE_ARN_ANNOTATION
              + " annotation; annotate it with the IAM role the pod's volumes assume: kubectl"
              + " annotate serviceaccount -n "
              + namespace
              + " "
              + name
              + " "
              + ROLE_ARN_ANNOTATION
              + "=arn:aws:iam::ACCOUNT:role/NAME");
    }
    return role.strip();
  }

  private static InvalidArgumentException missingPodInfo(String attribute) {
    return new InvalidArgumentException(
        attribute,
        "authenticationSource is pod but kubelet did not pass the pod's identity; set"
            + " podInfoOnMount: true on the CSIDriver");
  }

  @Override
  public String toString() {
    return "PodIdentityCredentialProvider[audience=" + audience + "]";
  }
}
