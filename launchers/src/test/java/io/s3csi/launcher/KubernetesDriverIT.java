package io.s3csi.launcher;

import static io.s3csi.launcher.FuseHost.clientProcesses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.csi.v1.NodeGetInfoRequest;
import io.s3csi.grpc.csi.v1.NodeGetInfoResponse;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeUnpublishVolumeRequest;
import io.s3csi.k8s.StartupTaintRemover;
import io.s3csi.testkit.junit.S3ServerExtension;
import io.s3csi.testkit.k8s.FakeKubernetesApi;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node plugin with the Kubernetes API: the real driver in this JVM on a real unix socket, real
 * FUSE clients (rclone, s3fs) against an embedded S3 server, and {@link FakeKubernetesApi} as the
 * API server. Covers each authentication source that involves the cluster, events on the workload
 * pod, the startup taint and NodeGetInfo's topology. Needs root, {@code /dev/fuse}, s3fs and
 * rclone.
 *
 * <p>The embedded S3 server has no STS, so a pod-identity mount cannot read data here; what is
 * checked is everything s3csi owns: the client runs with the pod's role and its own token file, and
 * a republish rotates that file under the live mount.
 */
@ExtendWith(S3ServerExtension.class)
class KubernetesDriverIT {
  private static final String NODE = DriverDirectory.NODE_ID;
  private static final String AUDIENCE = "sts.amazonaws.com";
  private static final String ROLE_A = "arn:aws:iam::111122223333:role/team-a-reader";
  private static final String ROLE_B = "arn:aws:iam::111122223333:role/team-b-writer";
  private static final String OTHER_TAINT =
      "{\"key\":\"node.kubernetes.io/unschedulable\",\"effect\":\"NoSchedule\"}";
  private static final String STARTUP_TAINT =
      "{\"key\":\"" + StartupTaintRemover.DEFAULT_TAINT_KEY + "\",\"effect\":\"NoExecute\"}";
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static EmbeddedS3Server s3;

  @TempDir Path dir;
  private final FakeKubernetesApi api = FakeKubernetesApi.start();
  private InJvmDriver driver;
  private CsiClient csi;
  private final List<NodeUnpublishVolumeRequest> published = new ArrayList<>();

  @BeforeAll
  static void server(EmbeddedS3Server server) {
    s3 = server;
  }

  @BeforeEach
  void seed() {
    api.put(
        "nodes",
        null,
        NODE,
        "{\"metadata\":{\"labels\":{\"topology.kubernetes.io/zone\":\"eu-west-1b\","
            + "\"topology.kubernetes.io/region\":\"eu-west-1\",\"kubernetes.io/os\":\"linux\"}},"
            + "\"spec\":{\"taints\":["
            + OTHER_TAINT
            + ","
            + STARTUP_TAINT
            + "]}}");
    serviceAccount("team-a", "reader", ROLE_A);
    serviceAccount("team-b", "writer", ROLE_B);
  }

  @AfterEach
  void stop() {
    for (NodeUnpublishVolumeRequest request : published) {
      try {
        csi.node().nodeUnpublishVolume(request);
      } catch (RuntimeException e) {
        // the test failed already; the driver's close unmounts what is left
      }
    }
    if (driver != null) {
      driver.close();
    }
    api.close();
  }

  @Test
  void start_removesTheStartupTaintOnceServingAndKeepsOtherTaints() throws Exception {
    start();

    assertThat(driver.driver().startupTaint().get(30, TimeUnit.SECONDS))
        .contains(StartupTaintRemover.Outcome.REMOVED);
    String node = api.get("nodes", null, NODE).orElseThrow();
    assertThat(node)
        .doesNotContain(StartupTaintRemover.DEFAULT_TAINT_KEY)
        .contains("node.kubernetes.io/unschedulable");
  }

  @Test
  void nodeGetInfo_topology_reportsTheNodesZoneAndRegionLabels() {
    start("--topology");

    NodeGetInfoResponse info = csi.node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance());

    assertThat(info.getNodeId()).isEqualTo(NODE);
    assertThat(info.getAccessibleTopology().getSegmentsMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "topology.kubernetes.io/zone", "eu-west-1b",
                "topology.kubernetes.io/region", "eu-west-1"));
  }

  @Test
  void nodeGetInfo_withoutTopologyFlag_reportsNoneAndReadsNoNode() {
    start("--startup-taint", "");

    NodeGetInfoResponse info = csi.node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance());

    assertThat(info.hasAccessibleTopology()).isFalse();
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void publish_secretSource_mountsWithTheVolumesOwnSecret() throws IOException {
    start();
    String bucket = bucket();
    s3.putObject(bucket, "a.txt", "from the secret".getBytes(StandardCharsets.UTF_8));
    Path target = target("pv-secret");
    Map<String, String> context = pod("team-a", "web-0", "reader");
    context.put("bucketName", bucket);
    context.put("authenticationSource", "secret");

    publish(
        request(bucket, target, context)
            .putSecrets("aws_access_key_id", s3.accessKeyId())
            .putSecrets("aws_secret_access_key", s3.secretAccessKey())
            .build());

    assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("from the secret");
  }

  @Test
  void republish_podIdentity_rewritesTheTokenFileUnderTheLiveMount() throws IOException {
    start();
    Path target = target("pv-pod");
    String bucket = bucket();

    publish(podIdentityRequest(bucket, target, "team-a", "web-0", "reader", "token-one"));
    long pid = onlyClient(target);
    String mountId = mountId(target);
    Path tokenFile = privateDirectory(target).resolve("web-identity-token");
    assertThat(Files.readString(tokenFile)).isEqualTo("token-one");
    assertThat(environment(pid))
        .containsEntry("AWS_ROLE_ARN", ROLE_A)
        .containsEntry("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString());

    publish(podIdentityRequest(bucket, target, "team-a", "web-0", "reader", "token-two"));

    assertThat(Files.readString(tokenFile)).isEqualTo("token-two");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
        .isEqualTo("rw-------");
    assertThat(clientProcesses(target)).containsExactly(pid);
    assertThat(mountId(target)).isEqualTo(mountId);
  }

  @Test
  void publish_twoPodsWithTwoServiceAccounts_runWithTwoIdentitiesAndShareNoFile()
      throws IOException {
    start();
    String bucket = bucket();
    Path first = target("pv-shared");
    Path second = target("pv-shared");

    publish(podIdentityRequest(bucket, first, "team-a", "web-0", "reader", "token-of-a"));
    publish(podIdentityRequest(bucket, second, "team-b", "job-0", "writer", "token-of-b"));

    Map<String, String> envA = environment(onlyClient(first));
    Map<String, String> envB = environment(onlyClient(second));
    assertThat(envA.get("AWS_ROLE_ARN")).isEqualTo(ROLE_A);
    assertThat(envB.get("AWS_ROLE_ARN")).isEqualTo(ROLE_B);
    Path dirA = privateDirectory(first);
    Path dirB = privateDirectory(second);
    assertThat(dirA).isNotEqualTo(dirB);
    assertThat(Files.readString(dirA.resolve("web-identity-token"))).isEqualTo("token-of-a");
    assertThat(Files.readString(dirB.resolve("web-identity-token"))).isEqualTo("token-of-b");
    for (Map<String, String> env : List.of(envA, envB)) {
      Path own = env == envA ? dirA : dirB;
      for (String variable :
          List.of(
              "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")) {
        assertThat(Path.of(env.get(variable))).startsWith(own);
      }
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dirA)))
        .isEqualTo("rwx------");
  }

  @Test
  void publish_podIdentityDeniedByRbac_isPermissionDeniedNamingThePermission() {
    start("--startup-taint", "");
    api.failNext(403, "serviceaccounts \"reader\" is forbidden");
    Path target = target("pv-denied");

    assertThatThrownBy(
            () ->
                publish(podIdentityRequest(bucket(), target, "team-a", "web-0", "reader", "token")))
        .satisfies(
            e -> {
              Status status = ((StatusRuntimeException) e).getStatus();
              assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(status.getDescription()).contains("get serviceaccounts");
            });
    assertThat(clientProcesses(target)).isEmpty();
  }

  @Test
  void publish_failedMount_recordsAWarningEventOnTheWorkloadPod() {
    start();
    Path target = target("pv-missing");
    Map<String, String> context = pod("team-a", "web-0", "reader");
    context.put("bucketName", "no-such-bucket");
    context.put("authenticationSource", "secret");
    context.put("mounter", "s3fs");

    assertThatThrownBy(
            () ->
                publish(
                    request("pv-missing", target, context)
                        .putSecrets("accessKeyId", s3.accessKeyId())
                        .putSecrets("secretAccessKey", s3.secretAccessKey())
                        .build()))
        .isInstanceOf(StatusRuntimeException.class);

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(api.list("events", "team-a"))
                    .singleElement()
                    .asString()
                    .contains("\"reason\":\"S3MountFailed\"")
                    .contains("\"type\":\"Warning\"")
                    .contains("\"name\":\"web-0\"")
                    .contains("mounting bucket no-such-bucket (volume pv-missing) failed")
                    .contains("kubectl logs -n s3csi s3csi-node-it -c s3csi")
                    .doesNotContain(s3.secretAccessKey()));
  }

  @Test
  void start_unreadableKubeconfig_failsNamingTheFlagAndLeavesNoSocket() {
    // the client is built while the socket comes up; a failure must still stop the start
    Path socket = dir.resolve("bad-kubeconfig.sock");

    assertThatThrownBy(
            () ->
                Driver.start(
                    DriverConfig.fromFlags(
                        "--endpoint",
                        "unix://" + socket,
                        "--node-id",
                        NODE,
                        "--mode",
                        "node",
                        "--mounter",
                        "process",
                        "--kubelet-dir",
                        dir.resolve("kubelet").toString(),
                        "--state-dir",
                        dir.resolve("state").toString(),
                        "--kubeconfig",
                        dir.resolve("no-such-kubeconfig").toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("--kubernetes: cannot read the Kubernetes API credentials: ")
        .hasMessageContaining("no-such-kubeconfig");
    assertThat(socket).doesNotExist();
  }

  // --- helpers ---

  private void start(String... extra) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--kubernetes",
                api.url(),
                "--pod-namespace",
                "s3csi",
                "--pod-name",
                "s3csi-node-it"));
    flags.addAll(List.of(extra));
    driver = InJvmDriver.start(dir, s3, "node", FuseClient.RCLONE, flags.toArray(String[]::new));
    csi = driver.csi();
  }

  private void serviceAccount(String namespace, String name, String role) {
    api.put(
        "serviceaccounts",
        namespace,
        name,
        "{\"metadata\":{\"annotations\":{\"eks.amazonaws.com/role-arn\":\"" + role + "\"}}}");
  }

  private static String bucket() {
    String bucket = "k8s-bucket-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket);
    return bucket;
  }

  private Path target(String pv) {
    return driver.directory().target(pv);
  }

  private static Map<String, String> pod(String namespace, String name, String account) {
    Map<String, String> context = new HashMap<>();
    context.put("csi.storage.k8s.io/pod.name", name);
    context.put("csi.storage.k8s.io/pod.namespace", namespace);
    context.put("csi.storage.k8s.io/pod.uid", UUID.randomUUID().toString());
    context.put("csi.storage.k8s.io/serviceAccount.name", account);
    context.put("csi.storage.k8s.io/ephemeral", "false");
    return context;
  }

  private static NodePublishVolumeRequest.Builder request(
      String volumeId, Path target, Map<String, String> context) {
    return CsiRequests.publish(volumeId, target, CsiRequests.multiWriter())
        .putAllVolumeContext(context);
  }

  private static NodePublishVolumeRequest podIdentityRequest(
      String bucket, Path target, String namespace, String pod, String account, String token) {
    Map<String, String> context = pod(namespace, pod, account);
    context.put("bucketName", bucket);
    context.put("authenticationSource", "pod");
    context.put("stsRegion", "eu-west-1");
    context.put(
        "csi.storage.k8s.io/serviceAccount.tokens",
        "{\""
            + AUDIENCE
            + "\":{\"token\":\""
            + token
            + "\",\"expirationTimestamp\":\"2030-01-01T00:00:00Z\"}}");
    return request(bucket, target, context).build();
  }

  private void publish(NodePublishVolumeRequest request) {
    published.add(CsiRequests.unpublish(request.getVolumeId(), Path.of(request.getTargetPath())));
    csi.node().nodePublishVolume(request);
  }

  private Path privateDirectory(Path target) {
    return driver.directory().privateDirectory(target);
  }

  private static long onlyClient(Path target) {
    List<Long> pids = clientProcesses(target);
    assertThat(pids).hasSize(1);
    return pids.get(0);
  }

  /** The FUSE client's environment, from /proc. */
  private static Map<String, String> environment(long pid) throws IOException {
    String raw =
        Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    for (String entry : raw.split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  /** The kernel's id of the mount at the target (the first field of its mountinfo line). */
  private static String mountId(Path target) throws IOException {
    Optional<String> line =
        Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
            .filter(l -> l.split(" ")[4].equals(target.toString()))
            .findFirst();
    assertThat(line).as("a mount at " + target).isPresent();
    return line.get().split(" ")[0];
  }
}
