package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1CSIDriver;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.Yaml;
import io.s3csi.core.identity.DriverInfo;
import io.s3csi.k8s.Permission;
import io.s3csi.k8s.PodIdentityCredentialProvider;
import io.s3csi.k8s.RequiredPermissions;
import io.s3csi.k8s.StartupTaintRemover;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Loads every plain manifest under {@code deploy/manifests} with the official client's model
 * classes and checks what the driver relies on: flags the launcher accepts, RBAC that allows every
 * API call the adapters make (and no more), the CSIDriver fields, and the node's host mounts.
 */
class DeployManifestsTest {
  private static final Path MANIFESTS = Path.of("deploy", "manifests");
  private static final Path CHART = Path.of("deploy", "helm", "s3csi");
  private static final List<Object> OBJECTS = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException {
    try (Stream<Path> files = Files.list(MANIFESTS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        OBJECTS.addAll(Yaml.loadAll(file.toFile()));
      }
    }
  }

  private static <T> List<T> all(Class<T> type) {
    return OBJECTS.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T> T one(Class<T> type) {
    List<T> found = all(type);
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private static V1Container container(V1PodSpec pod, String name) {
    return pod.getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  private static DriverConfig parseDriverArgs(V1Container driver) {
    List<String> args =
        driver.getArgs().stream().map(a -> a.replace("$(NODE_NAME)", "node-1")).toList();
    CommandLine commandLine = S3csi.commandLine();
    ParseResult result = commandLine.parseArgs(args.toArray(String[]::new));
    assertThat(result.subcommand()).as("subcommand of %s", args).isNotNull();
    Object command = result.subcommand().commandSpec().userObject();
    assertThat(command).isInstanceOf(DriverCommand.class);
    return ((DriverCommand) command).config();
  }

  private static V1VolumeMount mount(V1Container container, String path) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + path));
  }

  private static V1Volume volume(V1PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  @Test
  void manifests_everyDocument_isAKnownModel() {
    assertThat(OBJECTS).isNotEmpty().doesNotContainNull();
  }

  @Test
  void csiDriver_fields_matchWhatTheDriverExpects() {
    V1CSIDriver driver = one(V1CSIDriver.class);

    assertThat(driver.getMetadata().getName()).isEqualTo(DriverInfo.DEFAULT_NAME);
    assertThat(driver.getSpec().getAttachRequired()).isFalse();
    assertThat(driver.getSpec().getPodInfoOnMount()).isTrue();
    assertThat(driver.getSpec().getRequiresRepublish()).isTrue();
    // NodeGetCapabilities advertises no VOLUME_MOUNT_GROUP: kubelet must not apply fsGroup
    assertThat(driver.getSpec().getFsGroupPolicy()).isEqualTo("None");
    assertThat(driver.getSpec().getTokenRequests())
        .extracting(t -> t.getAudience())
        .contains(PodIdentityCredentialProvider.DEFAULT_AUDIENCE);
  }

  @Test
  void daemonSet_driverArgs_areAcceptedAndServeTheNodeWithSystemd() {
    V1PodSpec pod = one(V1DaemonSet.class).getSpec().getTemplate().getSpec();

    DriverConfig config = parseDriverArgs(container(pod, "s3csi"));

    assertThat(config.mode()).isEqualTo(DriverMode.NODE);
    assertThat(config.mounter()).isEqualTo(MounterKind.SYSTEMD);
    assertThat(config.nodeId()).isEqualTo("node-1");
  }

  @Test
  void daemonSet_kubernetesArgs_useTheClusterAndAnAudienceTheCsiDriverRequests() {
    V1PodSpec pod = one(V1DaemonSet.class).getSpec().getTemplate().getSpec();

    KubernetesSettings kubernetes = parseDriverArgs(container(pod, "s3csi")).kubernetes();

    assertThat(kubernetes.api()).isEqualTo(new KubernetesSettings.Api.InCluster());
    assertThat(one(V1CSIDriver.class).getSpec().getTokenRequests())
        .extracting(t -> t.getAudience())
        .contains(kubernetes.tokenAudience());
    assertThat(kubernetes.startupTaint()).contains(StartupTaintRemover.DEFAULT_TAINT_KEY);
    // the node plugin must run on the nodes its own startup taint keeps others away from
    assertThat(pod.getTolerations())
        .anySatisfy(
            t ->
                assertThat(
                        "Exists".equals(t.getOperator()) && t.getKey() == null
                            || StartupTaintRemover.DEFAULT_TAINT_KEY.equals(t.getKey()))
                    .isTrue());
    // events name the driver pod, which the downward API provides
    assertThat(container(pod, "s3csi").getEnv())
        .extracting(e -> e.getName())
        .contains("POD_NAME", "POD_NAMESPACE");
  }

  @Test
  void deployment_driverArgs_areAcceptedAndServeTheController() {
    V1PodSpec pod = one(V1Deployment.class).getSpec().getTemplate().getSpec();

    DriverConfig config = parseDriverArgs(container(pod, "s3csi"));

    assertThat(config.mode()).isEqualTo(DriverMode.CONTROLLER);
    assertThat(container(pod, "csi-provisioner").getArgs()).contains("--extra-create-metadata");
    assertThat(pod.getContainers()).extracting(V1Container::getName).contains("liveness-probe");
  }

  @Test
  void daemonSet_hostMounts_matchTheDriverFlags() {
    V1PodSpec pod = one(V1DaemonSet.class).getSpec().getTemplate().getSpec();
    V1Container driver = container(pod, "s3csi");
    DriverConfig config = parseDriverArgs(driver);

    V1VolumeMount kubelet = mount(driver, config.nodeConfig().kubeletRoot().toString());
    assertThat(kubelet.getMountPropagation()).isEqualTo("Bidirectional");
    assertThat(volume(pod, kubelet.getName()).getHostPath().getPath())
        .isEqualTo(config.nodeConfig().kubeletRoot().toString());
    // systemd units run on the host: the state directory must have the same path on both sides
    String stateDir = config.mountsDir().getParent().toString();
    assertThat(volume(pod, mount(driver, stateDir).getName()).getHostPath().getPath())
        .isEqualTo(stateDir);
    assertThat(volume(pod, mount(driver, "/run/systemd").getName()).getHostPath().getPath())
        .isEqualTo("/run/systemd");
    assertThat(volume(pod, mount(driver, "/dev/fuse").getName()).getHostPath().getType())
        .isEqualTo("CharDevice");
    assertThat(driver.getSecurityContext().getPrivileged()).isTrue();
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getTolerations())
        .anySatisfy(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
  }

  @Test
  void daemonSet_registrar_registersTheDriverSocket() {
    V1PodSpec pod = one(V1DaemonSet.class).getSpec().getTemplate().getSpec();
    V1Container driver = container(pod, "s3csi");
    DriverConfig config = parseDriverArgs(driver);
    String socket = config.endpoint().toString().replaceFirst("^unix://", "");
    String socketDir = socket.substring(0, socket.lastIndexOf('/'));
    String hostDir = volume(pod, mount(driver, socketDir).getName()).getHostPath().getPath();

    assertThat(container(pod, "node-driver-registrar").getArgs())
        .contains(
            "--csi-address=" + socket,
            "--kubelet-registration-path=" + hostDir + socket.substring(socketDir.length()));
    assertThat(hostDir).isEqualTo("/var/lib/kubelet/plugins/" + DriverInfo.DEFAULT_NAME);
  }

  @Test
  void nodeRbac_allowsExactlyTheCallsTheAdaptersMake() {
    String account =
        one(V1DaemonSet.class).getSpec().getTemplate().getSpec().getServiceAccountName();
    Set<String> granted = new HashSet<>();
    for (V1ClusterRoleBinding binding : all(V1ClusterRoleBinding.class)) {
      boolean bound =
          binding.getSubjects().stream()
              .anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(account));
      if (!bound) {
        continue;
      }
      V1ClusterRole role =
          all(V1ClusterRole.class).stream()
              .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()))
              .findFirst()
              .orElseThrow();
      for (V1PolicyRule rule : role.getRules()) {
        assertThat(rule.getApiGroups()).as("rule %s", rule).containsExactly("");
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            granted.add(verb + " " + resource);
          }
        }
      }
    }

    assertThat(granted)
        .containsExactlyInAnyOrderElementsOf(
            RequiredPermissions.NODE.stream().map(Permission::toString).toList());
  }

  @Test
  void controllerRbac_grantsTheDriverNothingBeyondTheProvisionerRules() {
    assertThat(RequiredPermissions.CONTROLLER).isEmpty();
    String account =
        one(V1Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
    assertThat(all(V1ClusterRoleBinding.class))
        .anySatisfy(
            b ->
                assertThat(b.getSubjects())
                    .anySatisfy(s -> assertThat(s.getName()).isEqualTo(account)));
  }

  @Test
  @SuppressWarnings("unchecked")
  void helmValues_defaults_matchTheManifests() throws IOException {
    Map<String, Object> values =
        new org.yaml.snakeyaml.Yaml().load(Files.readString(CHART.resolve("values.yaml")));

    List<Map<String, Object>> tokens = (List<Map<String, Object>>) values.get("tokenRequests");
    assertThat(tokens)
        .extracting(t -> t.get("audience"))
        .containsExactly(PodIdentityCredentialProvider.DEFAULT_AUDIENCE);
    Map<String, Object> node = (Map<String, Object>) values.get("node");
    assertThat(node)
        .containsEntry("mounter", "systemd")
        .containsEntry("kubeletDir", "/var/lib/kubelet");
  }

  @Test
  void helmNodeRbac_rules_areTheManifestRules() throws IOException {
    assertThat(rules(CHART.resolve("templates/rbac-node.yaml")))
        .isEqualTo(rules(MANIFESTS.resolve("rbac-node.yaml")));
  }

  /** The text of the ClusterRole's rules block, which the chart does not template. */
  private static String rules(Path file) throws IOException {
    String text = Files.readString(file);
    int start = text.indexOf("rules:");
    int end = text.indexOf("---", start);
    return text.substring(start, end).strip();
  }
}
