package io.s3csi.k8s;

import static io.s3csi.k8s.Volumes.ROLE;
import static io.s3csi.k8s.Volumes.podAttributes;
import static io.s3csi.k8s.Volumes.request;
import static io.s3csi.k8s.Volumes.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.WebIdentityCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.testkit.k8s.FakeKubernetesApi;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodIdentityCredentialProviderIT {
  private static final String STS = PodIdentityCredentialProvider.DEFAULT_AUDIENCE;

  private final FakeKubernetesApi api = FakeKubernetesApi.start();
  private final PodIdentityCredentialProvider provider =
      new PodIdentityCredentialProvider(
          new CoreV1Api(KubernetesClients.fromUrl(api.url())), STS, Optional.of("eu-west-1"));

  @BeforeEach
  void seed() {
    annotate("team-a", "app", ROLE);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private void annotate(String namespace, String account, String role) {
    api.put(
        "serviceaccounts",
        namespace,
        account,
        "{\"metadata\":{\"annotations\":{\"eks.amazonaws.com/role-arn\":\"" + role + "\"}}}");
  }

  private Map<String, String> volume(String token) {
    Map<String, String> attrs = podAttributes("team-a", "web-0", "app");
    attrs.put("csi.storage.k8s.io/serviceAccount.tokens", tokens(STS, token));
    return attrs;
  }

  @Test
  void credentialsFor_annotatedServiceAccount_returnsRoleAndToken() {
    Credentials credentials = provider.credentialsFor(request(volume("tok-1")));

    assertThat(credentials)
        .isEqualTo(new WebIdentityCredentials(ROLE, Secret.of("tok-1"), Optional.of("eu-west-1")));
    assertThat(api.requests())
        .extracting(r -> r.line())
        .containsExactly("GET /api/v1/namespaces/team-a/serviceaccounts/app");
  }

  @Test
  void credentialsFor_stsRegionSet_winsOverRegionAndDefault() {
    Map<String, String> attrs = volume("tok-1");
    attrs.put("stsRegion", "us-east-2");
    attrs.put("region", "us-west-1");

    WebIdentityCredentials credentials =
        (WebIdentityCredentials) provider.credentialsFor(request(attrs));

    assertThat(credentials.stsRegion()).contains("us-east-2");
  }

  @Test
  void credentialsFor_onlyRegionSet_usesVolumeRegion() {
    Map<String, String> attrs = volume("tok-1");
    attrs.put("region", "us-west-1");

    WebIdentityCredentials credentials =
        (WebIdentityCredentials) provider.credentialsFor(request(attrs));

    assertThat(credentials.stsRegion()).contains("us-west-1");
  }

  @Test
  void credentialsFor_tokensInSecrets_areUsed() {
    Map<String, String> attrs = podAttributes("team-a", "web-0", "app");

    Credentials credentials =
        provider.credentialsFor(
            request(
                attrs,
                Map.of(
                    "csi.storage.k8s.io/serviceAccount.tokens", Secret.of(tokens(STS, "tok-s")))));

    assertThat(((WebIdentityCredentials) credentials).token()).isEqualTo(Secret.of("tok-s"));
  }

  @Test
  void credentialsFor_republishWithFreshToken_returnsTheFreshToken() {
    provider.credentialsFor(request(volume("tok-1")));

    Credentials rotated = provider.credentialsFor(request(volume("tok-2")));

    assertThat(((WebIdentityCredentials) rotated).token()).isEqualTo(Secret.of("tok-2"));
  }

  @Test
  void credentialsFor_twoPodsTwoServiceAccounts_getTheirOwnIdentityAndDirectory() {
    String otherRole = "arn:aws:iam::123456789012:role/team-b";
    annotate("team-b", "batch", otherRole);
    Map<String, String> b = podAttributes("team-b", "job-0", "batch");
    b.put("csi.storage.k8s.io/serviceAccount.tokens", tokens(STS, "tok-b"));

    WebIdentityCredentials first =
        (WebIdentityCredentials) provider.credentialsFor(request(volume("tok-a")));
    WebIdentityCredentials second = (WebIdentityCredentials) provider.credentialsFor(request(b));

    assertThat(first.roleArn()).isEqualTo(ROLE);
    assertThat(second.roleArn()).isEqualTo(otherRole);
    assertThat(first.token()).isNotEqualTo(second.token());
    // each publish target gets its own private directory for the token file
    PrivateDirectories directories = new PrivateDirectories(Path.of("/var/lib/s3csi/mounts"));
    Path targetA = Path.of("/var/lib/kubelet/pods/uid-web-0/volumes/kubernetes.io~csi/pv-a/mount");
    Path targetB = Path.of("/var/lib/kubelet/pods/uid-job-0/volumes/kubernetes.io~csi/pv-a/mount");
    assertThat(directories.directoryFor(targetA)).isNotEqualTo(directories.directoryFor(targetB));
  }

  @Test
  void credentialsFor_noTokens_isInvalidArgumentAskingForTokenRequests() {
    assertThatThrownBy(
            () -> provider.credentialsFor(request(podAttributes("team-a", "web-0", "app"))))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e -> assertThat(e.field()).isEqualTo("csi.storage.k8s.io/serviceAccount.tokens"))
        .hasMessage(
            "csi.storage.k8s.io/serviceAccount.tokens: authenticationSource is pod but kubelet"
                + " passed no service-account token; set tokenRequests with audience"
                + " \"sts.amazonaws.com\" on the CSIDriver (and requiresRepublish: true to rotate it)");
  }

  @Test
  void credentialsFor_otherAudienceOnly_namesTheAudiencesPresent() {
    Map<String, String> attrs = podAttributes("team-a", "web-0", "app");
    attrs.put("csi.storage.k8s.io/serviceAccount.tokens", tokens("vault", "secret-token-value"));

    assertThatThrownBy(() -> provider.credentialsFor(request(attrs)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(
            "csi.storage.k8s.io/serviceAccount.tokens: has no token for audience"
                + " \"sts.amazonaws.com\" (it has [vault]); add that audience to the CSIDriver's"
                + " tokenRequests")
        .message()
        .doesNotContain("secret-token-value");
  }

  @Test
  void credentialsFor_malformedTokens_isInvalidArgumentWithoutTheValue() {
    Map<String, String> attrs = podAttributes("team-a", "web-0", "app");
    attrs.put("csi.storage.k8s.io/serviceAccount.tokens", "[\"secret-token-value\"]");

    assertThatThrownBy(() -> provider.credentialsFor(request(attrs)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(
            "csi.storage.k8s.io/serviceAccount.tokens: is not a JSON object of audience to"
                + " {\"token\", \"expirationTimestamp\"}");
  }

  @Test
  void credentialsFor_noPodNamespace_asksForPodInfoOnMount() {
    Map<String, String> attrs = volume("tok-1");
    attrs.remove("csi.storage.k8s.io/pod.namespace");

    assertThatThrownBy(() -> provider.credentialsFor(request(attrs)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(
            "csi.storage.k8s.io/pod.namespace: authenticationSource is pod but kubelet did not"
                + " pass the pod's identity; set podInfoOnMount: true on the CSIDriver");
  }

  @Test
  void credentialsFor_noAnnotation_isFailedPreconditionNamingAccountAndAnnotation() {
    api.put("serviceaccounts", "team-a", "app", "{}");

    assertThatThrownBy(() -> provider.credentialsFor(request(volume("tok-1"))))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessageStartingWith(
            "service account team-a/app has no eks.amazonaws.com/role-arn annotation;");
  }

  @Test
  void credentialsFor_malformedAnnotation_isFailedPreconditionNamingTheAnnotation() {
    annotate("team-a", "app", "not-an-arn");

    assertThatThrownBy(() -> provider.credentialsFor(request(volume("tok-1"))))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessage(
            "the annotation eks.amazonaws.com/role-arn of service account team-a/app must look"
                + " like arn:aws:iam::123456789012:role/NAME");
  }

  @Test
  void credentialsFor_serviceAccountMissing_isFailedPrecondition() {
    Map<String, String> attrs = volume("tok-1");
    attrs.put("csi.storage.k8s.io/serviceAccount.name", "ghost");

    assertThatThrownBy(() -> provider.credentialsFor(request(attrs)))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessage("service account team-a/ghost of the pod does not exist");
  }

  @Test
  void credentialsFor_rbacDenied_isPermissionDeniedNamingThePermission() {
    api.failNext(403);

    assertThatThrownBy(() -> provider.credentialsFor(request(volume("tok-1"))))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED))
        .hasMessage(
            "the Kubernetes API denied the driver's request to read the service account"
                + " team-a/app (HTTP 403): the driver's service account needs permission to \"get"
                + " serviceaccounts\" in namespace team-a; check the driver's ClusterRole");
  }

  @Test
  void credentialsFor_apiUnreachable_isUnavailable() {
    api.stop();

    assertThatThrownBy(() -> provider.credentialsFor(request(volume("tok-1"))))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
        .hasMessageStartingWith(
            "cannot reach the Kubernetes API server to read the service account team-a/app:");
  }

  @Test
  void credentialsFor_apiServerError_isUnavailable() {
    api.failNext(503);

    assertThatThrownBy(() -> provider.credentialsFor(request(volume("tok-1"))))
        .isInstanceOfSatisfying(
            DriverException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
        .hasMessage(
            "the Kubernetes API server failed to read the service account team-a/app (HTTP 503);"
                + " retry");
  }

  @Test
  void toString_neverShowsTokens() {
    assertThat(provider).hasToString("PodIdentityCredentialProvider[audience=sts.amazonaws.com]");
    assertThat(provider.credentialsFor(request(volume("tok-secret"))).toString())
        .doesNotContain("tok-secret");
  }
}
