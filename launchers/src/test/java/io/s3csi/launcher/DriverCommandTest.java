package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.identity.DriverInfo;
import io.s3csi.launcher.metrics.MetricsAddress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DriverCommandTest {
  private static final String[] REQUIRED = {
    "--endpoint", "unix:///run/s3csi/csi.sock", "--node-id", "node-1"
  };

  @Test
  void fromFlags_everyFlag_parsesIntoTheConfig() {
    DriverConfig config =
        DriverConfig.fromFlags(
            "--endpoint",
            "unix:///csi/csi.sock",
            "--node-id",
            " worker-7 ",
            "--mode",
            "ALL",
            "--kubelet-dir",
            "/var/lib/k0s/kubelet/",
            "--mounter",
            "process",
            "--fuse-client",
            "rclone",
            "--s3-endpoint-url",
            "https://minio.example:9000",
            "--s3-region",
            "eu-west-3",
            "--s3-path-style",
            "--state-dir",
            "/srv/s3csi",
            "--max-volumes-per-node",
            "40",
            "--driver-name",
            "s3.example.com",
            "--sweep-interval",
            "5m",
            "--metrics-address",
            ":8080",
            "--log-format",
            "JSON",
            "--log-level",
            "debug");

    assertThat(config.endpoint().socketPath()).isEqualTo(Path.of("/csi/csi.sock"));
    assertThat(config.nodeId()).isEqualTo("worker-7");
    assertThat(config.mode()).isEqualTo(DriverMode.ALL);
    assertThat(config.kubeletDir()).isEqualTo(Path.of("/var/lib/k0s/kubelet"));
    assertThat(config.mounter()).isEqualTo(MounterKind.PROCESS);
    assertThat(config.fuseClient()).isEqualTo(FuseClient.RCLONE);
    assertThat(config.s3EndpointUrl()).contains(URI.create("https://minio.example:9000"));
    assertThat(config.s3Region()).contains("eu-west-3");
    assertThat(config.s3PathStyle()).isTrue();
    assertThat(config.stateDir()).isEqualTo(Path.of("/srv/s3csi"));
    assertThat(config.mountsDir()).isEqualTo(Path.of("/srv/s3csi/mounts"));
    assertThat(config.maxVolumesPerNode()).isEqualTo(40);
    assertThat(config.driverName()).isEqualTo("s3.example.com");
    assertThat(config.sweepInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.metricsAddress()).contains(new MetricsAddress("", 8080));
    assertThat(config.logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(config.logLevel()).isEqualTo(LogLevel.DEBUG);
  }

  @ParameterizedTest
  @MethodSource("durations")
  void fromFlags_sweepInterval_takesAUnitOrIsoOrZero(String value, Duration expected) {
    assertThat(
            DriverConfig.fromFlags(with("--sweep-interval", value).toArray(String[]::new))
                .sweepInterval())
        .isEqualTo(expected);
  }

  static Stream<Arguments> durations() {
    return Stream.of(
        Arguments.of("60s", Duration.ofSeconds(60)),
        Arguments.of("500ms", Duration.ofMillis(500)),
        Arguments.of("2m", Duration.ofMinutes(2)),
        Arguments.of("1h", Duration.ofHours(1)),
        Arguments.of("PT90S", Duration.ofSeconds(90)),
        Arguments.of("0", Duration.ZERO),
        Arguments.of("0s", Duration.ZERO));
  }

  @Test
  void fromFlags_requiredFlagsOnly_usesTheDefaults() {
    DriverConfig config = DriverConfig.fromFlags(REQUIRED);

    assertThat(config.mode()).isEqualTo(DriverMode.NODE);
    assertThat(config.kubeletDir()).isEqualTo(Path.of("/var/lib/kubelet"));
    assertThat(config.mounter()).isEqualTo(MounterKind.SYSTEMD);
    assertThat(config.systemdAddress()).isEqualTo("unix:path=/run/systemd/private");
    assertThat(config.fuseClient()).isEqualTo(FuseClient.MOUNT_S3);
    assertThat(config.s3EndpointUrl()).isEmpty();
    assertThat(config.s3Region()).isEmpty();
    assertThat(config.s3PathStyle()).isFalse();
    assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/s3csi"));
    assertThat(config.maxVolumesPerNode()).isZero();
    assertThat(config.driverName()).isEqualTo(DriverInfo.DEFAULT_NAME);
    assertThat(config.sweepInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.metricsAddress()).isEmpty();
    assertThat(config.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(config.logLevel()).isEqualTo(LogLevel.INFO);
  }

  @Test
  void fromFlags_kubernetesFlags_parseIntoTheSettings() {
    KubernetesSettings kubernetes =
        DriverConfig.fromFlags(
                with(
                        "--kubernetes",
                        "http://127.0.0.1:8001",
                        "--token-audience",
                        "s3.example.com",
                        "--startup-taint",
                        "example.com/s3-not-ready",
                        "--topology",
                        "--pod-namespace",
                        "kube-system",
                        "--pod-name",
                        "s3csi-node-x2k9",
                        "--container-name",
                        "driver")
                    .toArray(String[]::new))
            .kubernetes();

    assertThat(kubernetes.api())
        .isEqualTo(new KubernetesSettings.Api.Url(URI.create("http://127.0.0.1:8001")));
    assertThat(kubernetes.enabled()).isTrue();
    assertThat(kubernetes.tokenAudience()).isEqualTo("s3.example.com");
    assertThat(kubernetes.startupTaint()).contains("example.com/s3-not-ready");
    assertThat(kubernetes.topology()).isTrue();
    assertThat(kubernetes.driverPod())
        .contains(new KubernetesSettings.DriverPod("kube-system", "s3csi-node-x2k9", "driver"));
  }

  @Test
  void fromFlags_kubernetesDefaults_areTheStsAudienceAndTheDocumentedTaint() {
    KubernetesSettings kubernetes =
        DriverConfig.fromFlags(with("--kubernetes", "in-cluster").toArray(String[]::new))
            .kubernetes();

    assertThat(kubernetes.api()).isEqualTo(new KubernetesSettings.Api.InCluster());
    assertThat(kubernetes.tokenAudience()).isEqualTo("sts.amazonaws.com");
    assertThat(kubernetes.startupTaint()).contains("s3.csi.s3csi.io/agent-not-ready");
    assertThat(kubernetes.topology()).isFalse();
  }

  @Test
  void fromFlags_emptyStartupTaint_removesNone() {
    assertThat(
            DriverConfig.fromFlags(with("--startup-taint", "").toArray(String[]::new))
                .kubernetes()
                .startupTaint())
        .isEmpty();
  }

  @Test
  void parseApi_auto_isInClusterOnlyInsideAPod() {
    assertThat(KubernetesSettings.parseApi("auto", null, null))
        .isEqualTo(new KubernetesSettings.Api.Off());
    assertThat(KubernetesSettings.parseApi("auto", null, ""))
        .isEqualTo(new KubernetesSettings.Api.Off());
    assertThat(KubernetesSettings.parseApi("auto", null, "10.96.0.1"))
        .isEqualTo(new KubernetesSettings.Api.InCluster());
    assertThat(KubernetesSettings.parseApi("OFF", null, "10.96.0.1"))
        .isEqualTo(new KubernetesSettings.Api.Off());
  }

  @Test
  void parseApi_kubeconfig_isMadeAbsolute() {
    assertThat(KubernetesSettings.parseApi("auto", "kube/config", null))
        .isEqualTo(
            new KubernetesSettings.Api.Kubeconfig(
                Path.of("kube/config").toAbsolutePath().normalize()));
  }

  @Test
  void nodeConfig_fromFlags_carriesTheVolumeDefaults() {
    var node =
        DriverConfig.fromFlags(
                "--endpoint",
                "/csi/csi.sock",
                "--node-id",
                "n",
                "--fuse-client",
                "s3fs",
                "--s3-endpoint-url",
                "http://127.0.0.1:9000",
                "--s3-region",
                "us-east-1",
                "--s3-path-style",
                "--max-volumes-per-node",
                "3")
            .nodeConfig();

    assertThat(node.nodeId()).isEqualTo("n");
    assertThat(node.kubeletRoot()).isEqualTo(Path.of("/var/lib/kubelet"));
    assertThat(node.defaultClient()).isEqualTo(FuseClient.S3FS);
    assertThat(node.defaultEndpoint()).contains(URI.create("http://127.0.0.1:9000"));
    assertThat(node.defaultRegion()).isEqualTo(Optional.of("us-east-1"));
    assertThat(node.defaultPathStyle()).isTrue();
    assertThat(node.maxVolumesPerNode()).isEqualTo(3);
  }

  @Test
  void fromFlags_badFlag_throwsNamingTheFlag() {
    assertThatThrownBy(() -> DriverConfig.fromFlags("--endpoint", "tcp://h:1", "--node-id", "n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--endpoint must be a unix socket");
  }

  static Stream<Arguments> badFlags() {
    return Stream.of(
        Arguments.of(List.of("--node-id", "n"), "Missing required option: '--endpoint"),
        Arguments.of(List.of("--endpoint", "/csi.sock"), "Missing required option: '--node-id"),
        Arguments.of(
            List.of("--endpoint", "tcp://127.0.0.1:10000", "--node-id", "n"),
            "--endpoint must be a unix socket"),
        Arguments.of(
            List.of("--endpoint", "csi/csi.sock", "--node-id", "n"),
            "--endpoint must be unix:///absolute"),
        Arguments.of(
            List.of("--endpoint", "/csi.sock", "--node-id", " "), "--node-id: must not be empty"),
        Arguments.of(
            with("--node-id", "other"), "option '--node-id' (NAME) should be specified only once"),
        Arguments.of(with("--mode", "worker"), "--mode: unknown mode 'worker'"),
        Arguments.of(
            with("--kubelet-dir", "var/lib/kubelet"), "--kubelet-dir: must be an absolute"),
        Arguments.of(with("--mounter", "docker"), "--mounter: unknown mounter 'docker'"),
        Arguments.of(with("--fuse-client", "goofys"), "--fuse-client: unknown FUSE client"),
        Arguments.of(with("--s3-endpoint-url", "ftp://s3.local"), "--s3-endpoint-url: must be an"),
        Arguments.of(with("--s3-endpoint-url", "http:// bad"), "--s3-endpoint-url: is not a valid"),
        Arguments.of(with("--s3-region", "US_EAST_1"), "--s3-region: must be a region name"),
        Arguments.of(with("--state-dir", "state"), "--state-dir: must be an absolute path"),
        Arguments.of(with("--state-dir", ""), "--state-dir: must not be empty"),
        Arguments.of(with("--max-volumes-per-node", "-1"), "--max-volumes-per-node: must be 0"),
        Arguments.of(
            with("--max-volumes-per-node", "many"),
            "Invalid value for option '--max-volumes-per-node'"),
        Arguments.of(with("--driver-name", "S3_Driver"), "--driver-name: must be a lowercase"),
        Arguments.of(
            with("--kubernetes", "ftp://api:6443"),
            "--kubernetes: must be auto, in-cluster, off or an http(s):// URL of the API server,"
                + " got 'ftp://api:6443'"),
        Arguments.of(
            with("--kubernetes", "off", "--kubeconfig", "/root/.kube/config"),
            "--kubeconfig: cannot be combined with --kubernetes off"),
        Arguments.of(
            with("--kubernetes", "off", "--topology"),
            "--topology: reads the Node's labels from the Kubernetes API, which --kubernetes off"
                + " turns off"),
        Arguments.of(
            with("--pod-namespace", "", "--pod-name", "s3csi-node-x"),
            "--pod-namespace: must be set together with --pod-name"),
        Arguments.of(with("--token-audience", " "), "--token-audience: must not be empty"),
        Arguments.of(
            with("--sweep-interval", "often"),
            "--sweep-interval: must be a duration such as 60s, 5m or 500ms, or 0 for off; got"
                + " 'often'"),
        Arguments.of(with("--sweep-interval", "-5s"), "--sweep-interval: must be a duration"),
        Arguments.of(with("--sweep-interval", "PT-5S"), "--sweep-interval: must be 0 (off)"),
        Arguments.of(with("--sweep-interval", "10"), "--sweep-interval: must be a duration"),
        Arguments.of(
            with("--metrics-address", "8080"), "--metrics-address: must be HOST:PORT, :PORT"),
        Arguments.of(
            with("--metrics-address", ":70000"), "--metrics-address: the port must be 0 to 65535"),
        Arguments.of(
            with("--log-format", "xml"),
            "--log-format: unknown log format 'xml'; supported: text, json"),
        Arguments.of(
            with("--log-level", "verbose"),
            "--log-level: unknown log level 'verbose'; supported: error, warn, info, debug, trace"),
        Arguments.of(with("--no-such-flag"), "Unknown option: '--no-such-flag'"));
  }

  @ParameterizedTest
  @MethodSource("badFlags")
  void execute_badFlag_exitsTwoWithOneLineNamingTheFlag(List<String> flags, String message) {
    Run run = run("driver", flags);

    assertThat(run.exitCode).isEqualTo(S3csi.EXIT_USAGE);
    assertThat(run.err.lines()).hasSize(1);
    assertThat(run.err)
        .startsWith("s3csi driver: ")
        .contains(message)
        .contains("(see 's3csi driver --help')")
        .doesNotContain("Exception");
    assertThat(run.out).isEmpty();
  }

  @Test
  void execute_endpointWithCredentials_neverEchoesThem() {
    Run run = run("driver", with("--s3-endpoint-url", "http://admin:hunter2@minio:9000"));

    assertThat(run.exitCode).isEqualTo(S3csi.EXIT_USAGE);
    assertThat(run.err)
        .contains("--s3-endpoint-url: must not carry credentials")
        .doesNotContain("hunter2");
  }

  @Test
  void fromFlags_noMounter_isSystemdForTheNodePluginAndProcessOtherwise() {
    assertThat(DriverConfig.fromFlags(with("--mode", "node").toArray(String[]::new)).mounter())
        .isEqualTo(MounterKind.SYSTEMD);
    assertThat(DriverConfig.fromFlags(with("--mode", "all").toArray(String[]::new)).mounter())
        .isEqualTo(MounterKind.PROCESS);
    assertThat(
            DriverConfig.fromFlags(with("--mode", "controller").toArray(String[]::new)).mounter())
        .isEqualTo(MounterKind.PROCESS);
    assertThat(
            DriverConfig.fromFlags(
                    with("--mode", "all", "--mounter", "systemd").toArray(String[]::new))
                .mounter())
        .isEqualTo(MounterKind.SYSTEMD);
  }

  @Test
  void fromFlags_systemdAddress_takesTheSystemBusOrAUnixAddress() {
    assertThat(
            DriverConfig.fromFlags(with("--systemd-address", "system").toArray(String[]::new))
                .systemdAddress())
        .isEqualTo("system");
    assertThat(
            DriverConfig.fromFlags(
                    with("--systemd-address", "unix:path=/host/run/systemd/private")
                        .toArray(String[]::new))
                .systemdAddress())
        .isEqualTo("unix:path=/host/run/systemd/private");
  }

  @Test
  void execute_badSystemdAddress_exitsTwoNamingTheFlag() {
    Run run = run("driver", with("--systemd-address", "tcp:host=10.0.0.1,port=1"));

    assertThat(run.exitCode).isEqualTo(S3csi.EXIT_USAGE);
    assertThat(run.err.strip())
        .isEqualTo(
            "s3csi driver: --systemd-address: must be 'system' or a unix D-Bus address such as"
                + " unix:path=/run/systemd/private, got 'tcp:host=10.0.0.1,port=1' (see 's3csi"
                + " driver --help')");
  }

  @Test
  void execute_driverHelp_printsEveryFlagAndExitsZero() {
    Run run = run("driver", List.of("--help"));

    assertThat(run.exitCode).isEqualTo(S3csi.EXIT_OK);
    assertThat(run.out)
        .contains("Usage: s3csi driver")
        .contains(
            "--endpoint",
            "--node-id",
            "--mode",
            "--kubelet-dir",
            "--mounter",
            "--systemd-address",
            "--fuse-client",
            "--s3-endpoint-url",
            "--s3-region",
            "--s3-path-style",
            "--state-dir",
            "--max-volumes-per-node",
            "--driver-name",
            "--kubernetes",
            "--kubeconfig",
            "--token-audience",
            "--startup-taint",
            "--topology",
            "--pod-namespace",
            "--pod-name",
            "--container-name",
            "--sweep-interval");
    assertThat(run.err).isEmpty();
  }

  private static List<String> with(String... extra) {
    List<String> flags = new ArrayList<>(List.of(REQUIRED));
    flags.addAll(List.of(extra));
    return flags;
  }

  static Run run(String command, List<String> flags) {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.addAll(flags);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        S3csi.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(exitCode, out.toString(), err.toString());
  }

  record Run(int exitCode, String out, String err) {}
}
