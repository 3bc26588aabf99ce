package io.s3csi.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.s3csi.core.credentials.CredentialProvider;
import io.s3csi.core.credentials.CredentialRequest;
import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.credentials.WebIdentityCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.MountOption;
import io.s3csi.core.fuse.MountOptions;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.volume.AccessMode;
import io.s3csi.core.volume.VolumeCapability;
import io.s3csi.core.volume.VolumeContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeServiceTest {

  private static final String VOLUME = "pv-photos";
  private static final String OTHER_VOLUME = "pv-other";
  private static final String UID = "0f9a7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
  private static final Map<String, String> CONTEXT = Map.of("bucketName", "photos-bucket");
  private static final VolumeCapability WRITER = capability(AccessMode.SINGLE_NODE_WRITER);
  private static final Credentials IDENTITY =
      new StaticCredentials("AKIANODE", Secret.of("node-secret"), Optional.empty());

  @TempDir Path temp;

  private Path kubelet;
  private String target;
  private Path targetPath;
  private final InMemoryMounter mounter = new InMemoryMounter();
  private final VolumeLocks locks = new VolumeLocks();
  private final List<CredentialRequest> credentialRequests = new CopyOnWriteArrayList<>();
  private final CredentialProvider credentials =
      request -> {
        credentialRequests.add(request);
        return IDENTITY;
      };
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private NodeService service;

  @BeforeEach
  void setUp() throws IOException {
    kubelet = Files.createDirectories(temp.resolve("kubelet"));
    target = targetFor(VOLUME);
    targetPath = Path.of(target);
    service = new NodeService(config(), mounter, credentials, locks);
  }

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
  }

  private NodeConfig config() {
    return new NodeConfig(
        "node-1", kubelet, FuseClient.MOUNT_S3, Optional.empty(), Optional.empty(), false, 0);
  }

  private String targetFor(String volumeName) {
    return kubelet + "/pods/" + UID + "/volumes/kubernetes.io~csi/" + volumeName + "/mount";
  }

  private static VolumeCapability capability(AccessMode mode, String... flags) {
    return new VolumeCapability(mode, List.of(flags), Optional.empty());
  }

  private static PublishRequest request(
      String volumeId, String target, VolumeCapability capability, Map<String, String> context) {
    return new PublishRequest(volumeId, target, capability, false, context, Map.of());
  }

  private PublishRequest request() {
    return request(VOLUME, target, WRITER, CONTEXT);
  }

  private PublishRequest request(VolumeCapability capability, Map<String, String> context) {
    return request(VOLUME, target, capability, context);
  }

  private MountSpec mountedSpec() {
    return mounter.mounted(targetPath).orElseThrow();
  }

  private static Map<String, String> context(String... keysAndValues) {
    Map<String, String> map = new HashMap<>(CONTEXT);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static void assertInvalid(Runnable call, String field, String message) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(call::run)
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  private static void assertKind(Runnable call, ErrorKind kind, String message) {
    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(call::run)
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(kind);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  // --- publish ---

  @Test
  void publish_newVolume_mountsAndCreatesTheTarget() {
    PublishResult result = service.publish(request());

    assertThat(result).isEqualTo(PublishResult.MOUNTED);
    assertThat(targetPath).isDirectory();
    assertThat(mountedSpec())
        .isEqualTo(
            new MountSpec(
                VOLUME,
                targetPath,
                "photos-bucket",
                Optional.empty(),
                FuseClient.MOUNT_S3,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                false,
                MountOptions.none(FuseClient.MOUNT_S3),
                IDENTITY,
                Optional.empty()));
    assertThat(mounter.calls()).containsExactly("state " + target, "mount " + target);
    assertThat(locks.held()).isZero();
  }

  @Test
  void publish_calledTwice_isAlreadyMountedAndMountsOnce() {
    PublishResult first = service.publish(request());
    PublishResult second = service.publish(request());

    assertThat(first).isEqualTo(PublishResult.MOUNTED);
    assertThat(second).isEqualTo(PublishResult.ALREADY_MOUNTED);
    assertThat(mounter.calls())
        .containsExactly("state " + target, "mount " + target, "state " + target);
    assertThat(credentialRequests).hasSize(1);
  }

  @Test
  void publish_otherVolumeAtMountedTarget_isAlreadyExists() {
    service.publish(request());

    assertKind(
        () -> service.publish(request(OTHER_VOLUME, target, WRITER, CONTEXT)),
        ErrorKind.ALREADY_EXISTS,
        "target_path "
            + target
            + " already has volume pv-photos (read-write); cannot publish volume pv-other"
            + " read-write there");
    assertThat(mountedSpec().volumeId()).isEqualTo(VOLUME);
  }

  @Test
  void publish_sameVolumeWithOtherAccess_isAlreadyExists() {
    service.publish(request());

    assertKind(
        () -> service.publish(request(capability(AccessMode.SINGLE_NODE_READER_ONLY), CONTEXT)),
        ErrorKind.ALREADY_EXISTS,
        "target_path "
            + target
            + " already has volume pv-photos (read-write); cannot publish volume pv-photos"
            + " read-only there");
  }

  @Test
  void publish_foreignMountAtTarget_isAlreadyExists() {
    mounter.mountForeign(targetPath, "tmpfs", true);

    assertKind(
        () -> service.publish(request()),
        ErrorKind.ALREADY_EXISTS,
        "target_path "
            + target
            + " already has a mount s3csi did not make (read-only); cannot publish volume"
            + " pv-photos read-write there");
  }

  static Stream<Arguments> readOnlySources() {
    return Stream.of(
        arguments("request flag", true, AccessMode.SINGLE_NODE_WRITER, List.of(), Map.of()),
        arguments("single reader", false, AccessMode.SINGLE_NODE_READER_ONLY, List.of(), Map.of()),
        arguments("multi reader", false, AccessMode.MULTI_NODE_READER_ONLY, List.of(), Map.of()),
        arguments("ro flag", false, AccessMode.MULTI_NODE_MULTI_WRITER, List.of("ro"), Map.of()),
        arguments(
            "read-only flag",
            false,
            AccessMode.SINGLE_NODE_WRITER,
            List.of("--read-only"),
            Map.of()),
        arguments(
            "options attribute",
            false,
            AccessMode.SINGLE_NODE_WRITER,
            List.of(),
            Map.of("options", "-o ro")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readOnlySources")
  void publish_readOnlyFromAnySource_mountsReadOnly(
      String source,
      boolean requestFlag,
      AccessMode mode,
      List<String> flags,
      Map<String, String> extra) {
    Map<String, String> context = new HashMap<>(CONTEXT);
    context.putAll(extra);
    PublishRequest request =
        new PublishRequest(
            VOLUME,
            target,
            new VolumeCapability(mode, flags, Optional.empty()),
            requestFlag,
            context,
            Map.of());

    service.publish(request);

    assertThat(mountedSpec().readOnly()).isTrue();
    assertThat(mountedSpec().options().options()).isEmpty();
    assertThat(service.publish(request)).isEqualTo(PublishResult.ALREADY_MOUNTED);
  }

  @Test
  void publish_writerWithoutReadOnlyHints_mountsReadWrite() {
    service.publish(request(capability(AccessMode.MULTI_NODE_MULTI_WRITER), CONTEXT));

    assertThat(mountedSpec().readOnly()).isFalse();
  }

  @Test
  void publish_deadMountOfTheVolume_isUnmountedAndRemounted() {
    service.publish(request());
    mounter.kill(targetPath);

    PublishResult result = service.publish(request());

    assertThat(result).isEqualTo(PublishResult.REMOUNTED);
    assertThat(mounter.calls())
        .containsExactly(
            "state " + target,
            "mount " + target,
            "state " + target,
            "unmount " + target,
            "mount " + target);
    assertThat(mounter.mounts().get(targetPath).dead()).isFalse();
  }

  @Test
  void publish_deadMountOfAnotherVolume_isAlreadyExists() {
    service.publish(request(OTHER_VOLUME, target, WRITER, CONTEXT));
    mounter.kill(targetPath);

    assertKind(
        () -> service.publish(request()),
        ErrorKind.ALREADY_EXISTS,
        "target_path " + target + " holds a dead mount of volume pv-other");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void publish_missingVolumeId_isInvalid(String volumeId) {
    assertInvalid(
        () -> service.publish(request(volumeId, target, WRITER, CONTEXT)),
        "volume_id",
        "volume_id: must not be empty");
    assertThat(mounter.calls()).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void publish_missingTargetPath_isInvalid(String targetPath) {
    assertInvalid(
        () -> service.publish(request(VOLUME, targetPath, WRITER, CONTEXT)),
        "target_path",
        "target_path: must not be empty");
    assertThat(mounter.calls()).isEmpty();
  }

  @Test
  void publish_missingCapability_isInvalid() {
    assertInvalid(
        () -> service.publish(request(VOLUME, target, null, CONTEXT)),
        "volume_capability",
        "volume_capability: must be set");
    assertThat(mounter.calls()).isEmpty();
  }

  @Test
  void publish_targetOutsideTheKubeletRoot_isInvalid() {
    assertInvalid(
        () -> service.publish(request(VOLUME, "/etc/cron.d", WRITER, CONTEXT)),
        "target_path",
        "target_path: must be a directory under the kubelet root "
            + kubelet
            + " (was '/etc/cron.d')");
    assertThat(mounter.calls()).isEmpty();
  }

  @Test
  void publish_targetThroughASymlinkOutside_isInvalidAndTouchesNothing() throws IOException {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(kubelet.resolve("pods"), outside);

    assertInvalid(
        () -> service.publish(request()),
        "target_path",
        "target_path: resolves through a symbolic link to "
            + outside.toRealPath()
            + ", outside "
            + kubelet.toRealPath());
    assertThat(mounter.calls()).isEmpty();
    try (Stream<Path> children = Files.list(outside)) {
      assertThat(children).isEmpty();
    }
    assertThat(locks.held()).isZero();
  }

  @Test
  void publish_badVolumeContext_isInvalidBeforeAnythingIsTouched() {
    assertInvalid(
        () -> service.publish(request(WRITER, Map.of("bucketName", "photos-bucket", "typo", "x"))),
        "typo",
        "typo: unknown volume attribute; known attributes are " + VolumeContext.knownAttributes());
    assertThat(mounter.calls()).isEmpty();
    assertThat(targetPath).doesNotExist();
  }

  @Test
  void publish_deniedMountOption_isInvalid() {
    assertInvalid(
        () ->
            service.publish(
                request(
                    capability(AccessMode.SINGLE_NODE_WRITER, "--endpoint-url=http://x"), CONTEXT)),
        "mountOptions",
        "mountOptions: option 'endpoint-url' is not allowed: changes where data goes; set the"
            + " endpointUrl volume attribute or the driver's --s3-endpoint-url instead");
    assertThat(mounter.calls()).isEmpty();
  }

  @Test
  void publish_secondPublishWhileTheFirstIsInFlight_isAbortedAndTheLockIsReleasedAfter()
      throws Exception {
    InMemoryMounter.Gate gate = mounter.holdNextMount();
    Future<PublishResult> first = executor.submit(() -> service.publish(request()));
    gate.awaitEntered();

    String busy =
        "an operation on volume pv-photos at "
            + target
            + " is already in progress; retry when it has finished";
    assertKind(() -> service.publish(request()), ErrorKind.ABORTED, busy);
    assertKind(
        () -> service.unpublish(new UnpublishRequest(VOLUME, target)), ErrorKind.ABORTED, busy);
    // another target of the same volume is not blocked
    assertThat(service.unpublish(new UnpublishRequest(VOLUME, targetFor("pv-photos-2"))))
        .isEqualTo(UnpublishResult.NOT_MOUNTED);
    assertThat(locks.held()).isEqualTo(1);

    gate.open();

    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(PublishResult.MOUNTED);
    assertThat(locks.held()).isZero();
    assertThat(service.publish(request())).isEqualTo(PublishResult.ALREADY_MOUNTED);
  }

  @Test
  void publish_mountFailingWhileAnotherWaits_releasesTheLock() throws Exception {
    InMemoryMounter.Gate gate = mounter.holdNextMount();
    Future<PublishResult> first = executor.submit(() -> service.publish(request()));
    gate.awaitEntered();
    assertKind(
        () -> service.publish(request()),
        ErrorKind.ABORTED,
        "an operation on volume pv-photos at "
            + target
            + " is already in progress; retry when it has finished");

    DriverException failure = DriverException.internal("mount-s3 exited with status 1", null);
    gate.openWithFailure(failure);

    assertThatExceptionOfType(ExecutionException.class)
        .isThrownBy(() -> first.get(30, TimeUnit.SECONDS))
        .havingCause()
        .isSameAs(failure);
    assertThat(locks.held()).isZero();
    assertThat(service.publish(request())).isEqualTo(PublishResult.MOUNTED);
  }

  @Test
  void publish_mountFailure_propagatesAndReleasesTheLock() {
    DriverException failure =
        DriverException.internal("mount-s3 exited with status 1: bucket not found", null);
    mounter.failNextMount(failure);

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(() -> service.publish(request()))
        .isSameAs(failure);
    assertThat(locks.held()).isZero();
    assertThat(mounter.mounts()).isEmpty();
    assertThat(service.publish(request())).isEqualTo(PublishResult.MOUNTED);
  }

  @Test
  void publish_observer_hearsTheResultWithPodBucketAndClient() {
    List<PublishOutcome> heard = new CopyOnWriteArrayList<>();
    NodeService observed =
        new NodeService(
            config(), mounter, credentials, locks, NodeObserver.all(List.of(heard::add)));

    observed.publish(
        request(
            WRITER,
            context(
                "csi.storage.k8s.io/pod.name", "web-0",
                "csi.storage.k8s.io/pod.namespace", "shop",
                "mounter", "s3fs")));

    assertThat(heard).hasSize(1);
    PublishOutcome outcome = heard.get(0);
    assertThat(outcome.result()).contains(PublishResult.MOUNTED);
    assertThat(outcome.failure()).isEmpty();
    assertThat(outcome.volumeId()).isEqualTo(VOLUME);
    assertThat(outcome.targetPath()).isEqualTo(target);
    assertThat(outcome.pod().name()).contains("web-0");
    assertThat(outcome.pod().namespace()).contains("shop");
    assertThat(outcome.bucket()).contains("photos-bucket");
    assertThat(outcome.client()).contains(FuseClient.S3FS);
  }

  @Test
  void publish_observerOfAFailure_hearsTheSameExceptionTheCallerGets() {
    List<PublishOutcome> heard = new CopyOnWriteArrayList<>();
    NodeService observed = new NodeService(config(), mounter, credentials, locks, heard::add);
    DriverException failure = DriverException.unavailable("endpoint down", null);
    mounter.failNextMount(failure);

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(() -> observed.publish(request()))
        .isSameAs(failure);

    assertThat(heard)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.failure()).containsSame(failure);
              assertThat(o.result()).isEmpty();
              assertThat(o.bucket()).contains("photos-bucket");
              assertThat(o.client()).contains(FuseClient.MOUNT_S3);
            });
  }

  @Test
  void publish_observerOfBadInput_hearsThePodEvenWhenTheContextIsMalformed() {
    List<PublishOutcome> heard = new CopyOnWriteArrayList<>();
    NodeService observed = new NodeService(config(), mounter, credentials, locks, heard::add);
    Map<String, String> bad =
        Map.of(
            "csi.storage.k8s.io/pod.name", "web-0",
            "csi.storage.k8s.io/pod.namespace", "shop",
            "csi.storage.k8s.io/ephemeral", "maybe");

    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> observed.publish(request(WRITER, bad)));

    assertThat(heard)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.failure()).isPresent();
              assertThat(o.pod().name()).contains("web-0");
              assertThat(o.bucket()).isEmpty();
              assertThat(o.client()).isEmpty();
            });
  }

  @Test
  void publish_throwingObserver_doesNotChangeTheOutcome() {
    NodeService observed =
        new NodeService(
            config(),
            mounter,
            credentials,
            locks,
            outcome -> {
              throw new IllegalStateException("observer broke");
            });

    assertThat(observed.publish(request())).isEqualTo(PublishResult.MOUNTED);
  }

  @Test
  void publish_republishOfAPodIdentityVolume_rewritesTheTokenWithoutARemount() {
    NodeService pods =
        new NodeService(
            config(),
            mounter,
            request ->
                new WebIdentityCredentials(
                    "arn:aws:iam::111122223333:role/photos",
                    request.volume().pod().serviceAccountTokens().orElseThrow(),
                    Optional.empty()),
            locks);
    Map<String, String> first =
        context("authenticationSource", "pod", VolumeContext.SERVICE_ACCOUNT_TOKENS, "token-1");
    Map<String, String> second =
        context("authenticationSource", "pod", VolumeContext.SERVICE_ACCOUNT_TOKENS, "token-2");

    assertThat(pods.publish(request(WRITER, first))).isEqualTo(PublishResult.MOUNTED);
    assertThat(pods.publish(request(WRITER, second))).isEqualTo(PublishResult.ALREADY_MOUNTED);

    assertThat(mounter.calls())
        .containsExactly(
            "state " + target, "mount " + target, "state " + target, "refresh " + target);
    assertThat(((WebIdentityCredentials) mountedSpec().credentials()).token().reveal())
        .isEqualTo("token-2");
  }

  @Test
  void publish_republishOfAPodIdentityVolumeWithoutATokenNow_failsAndKeepsTheMount() {
    NodeService pods =
        new NodeService(
            config(),
            mounter,
            request ->
                new WebIdentityCredentials(
                    "arn:aws:iam::111122223333:role/photos",
                    request
                        .volume()
                        .pod()
                        .serviceAccountTokens()
                        .orElseThrow(
                            () ->
                                new InvalidArgumentException(
                                    VolumeContext.SERVICE_ACCOUNT_TOKENS, "missing")),
                    Optional.empty()),
            locks);
    pods.publish(
        request(
            WRITER,
            context("authenticationSource", "pod", VolumeContext.SERVICE_ACCOUNT_TOKENS, "t")));

    assertInvalid(
        () -> pods.publish(request(WRITER, context("authenticationSource", "pod"))),
        VolumeContext.SERVICE_ACCOUNT_TOKENS,
        VolumeContext.SERVICE_ACCOUNT_TOKENS + ": missing");
    assertThat(mounter.mounts()).containsKey(targetPath);
  }

  @Test
  void publish_credentialFailure_mountsNothingAndCreatesNoTarget() {
    NodeService failing =
        new NodeService(
            config(),
            mounter,
            request -> {
              throw new InvalidArgumentException("secrets.accessKeyId", "missing or empty");
            },
            locks);

    assertInvalid(
        () -> failing.publish(request()),
        "secrets.accessKeyId",
        "secrets.accessKeyId: missing or empty");
    assertThat(mounter.calls()).containsExactly("state " + target);
    assertThat(targetPath).doesNotExist();
    assertThat(locks.held()).isZero();
  }

  @Test
  void publish_credentialProvider_getsTheVolumeAndTheRequestSecrets() {
    Map<String, Secret> secrets =
        Map.of("accessKeyId", Secret.of("AKIAUSER"), "secretAccessKey", Secret.of("user-secret"));
    Map<String, String> context = context("authenticationSource", "secret");

    service.publish(new PublishRequest(VOLUME, target, WRITER, false, context, secrets));

    assertThat(credentialRequests)
        .containsExactly(new CredentialRequest(VolumeContext.parse(VOLUME, context), secrets));
    assertThat(mountedSpec().credentials()).isSameAs(IDENTITY);
  }

  @Test
  void publish_regionAndPrefixFromOptions_areUsed() {
    service.publish(
        request(
            capability(AccessMode.SINGLE_NODE_WRITER, "region eu-west-1", "prefix /team/raw"),
            CONTEXT));

    assertThat(mountedSpec().region()).contains("eu-west-1");
    assertThat(mountedSpec().prefix()).contains("team/raw/");
    assertThat(mountedSpec().options().region()).contains("eu-west-1");
  }

  @Test
  void publish_regionAndPrefixAgreeingWithAttributes_areAccepted() {
    service.publish(
        request(
            capability(AccessMode.SINGLE_NODE_WRITER, "--region=eu-west-1", "--prefix=raw/"),
            context("region", "eu-west-1", "prefix", "/raw")));

    assertThat(mountedSpec().region()).contains("eu-west-1");
    assertThat(mountedSpec().prefix()).contains("raw/");
  }

  @Test
  void publish_prefixOptionAgreeingWithTheVolumeHandle_isAccepted() {
    // no bucketName: the handle is bucket/prefix
    service.publish(
        request(
            "photos-bucket/raw",
            target,
            capability(AccessMode.SINGLE_NODE_WRITER, "prefix raw"),
            Map.of()));

    assertThat(mountedSpec().bucket()).isEqualTo("photos-bucket");
    assertThat(mountedSpec().prefix()).contains("raw/");
  }

  @Test
  void publish_regionOptionDisagreeingWithTheAttribute_isInvalid() {
    assertInvalid(
        () ->
            service.publish(
                request(
                    capability(AccessMode.SINGLE_NODE_WRITER, "region eu-west-1"),
                    context("region", "us-east-1"))),
        "mountOptions",
        "mountOptions: option 'region' (eu-west-1) disagrees with the volume attribute region"
            + " (us-east-1)");
    assertThat(mounter.mounts()).isEmpty();
  }

  @Test
  void publish_prefixOptionDisagreeingWithTheAttribute_isInvalid() {
    assertInvalid(
        () ->
            service.publish(
                request(
                    capability(AccessMode.SINGLE_NODE_WRITER, "prefix other"),
                    context("prefix", "data"))),
        "mountOptions",
        "mountOptions: option 'prefix' (other/) disagrees with the volume attribute prefix"
            + " (data/)");
  }

  @Test
  void publish_volumeSilent_appliesTheDriverDefaults() {
    NodeService withDefaults =
        new NodeService(
            new NodeConfig(
                "node-1",
                kubelet,
                FuseClient.S3FS,
                Optional.of(URI.create("http://minio.storage.svc:9000")),
                Optional.of("us-east-1"),
                true,
                0),
            mounter,
            credentials,
            locks);

    withDefaults.publish(request());

    MountSpec spec = mountedSpec();
    assertThat(spec.client()).isEqualTo(FuseClient.S3FS);
    assertThat(spec.options()).isEqualTo(MountOptions.none(FuseClient.S3FS));
    assertThat(spec.endpoint()).contains(URI.create("http://minio.storage.svc:9000"));
    assertThat(spec.region()).contains("us-east-1");
    assertThat(spec.pathStyle()).isTrue();
  }

  @Test
  void publish_volumeAttributes_overrideTheDriverDefaults() {
    NodeService withDefaults =
        new NodeService(
            new NodeConfig(
                "node-1",
                kubelet,
                FuseClient.S3FS,
                Optional.of(URI.create("http://minio.storage.svc:9000")),
                Optional.of("us-east-1"),
                true,
                0),
            mounter,
            credentials,
            locks);

    withDefaults.publish(
        request(
            WRITER,
            context(
                "fuseClient", "rclone",
                "endpointUrl", "https://s3.example.com",
                "region", "eu-west-1",
                "pathStyle", "false",
                "stsRegion", "eu-north-1")));

    MountSpec spec = mountedSpec();
    assertThat(spec.client()).isEqualTo(FuseClient.RCLONE);
    assertThat(spec.endpoint()).contains(URI.create("https://s3.example.com"));
    assertThat(spec.region()).contains("eu-west-1");
    assertThat(spec.stsRegion()).contains("eu-north-1");
    assertThat(spec.pathStyle()).isFalse();
  }

  @Test
  void publish_regionOption_overridesTheDriverDefaultRegion() {
    NodeService withDefaults =
        new NodeService(
            new NodeConfig(
                "node-1",
                kubelet,
                FuseClient.MOUNT_S3,
                Optional.empty(),
                Optional.of("us-east-1"),
                false,
                0),
            mounter,
            credentials,
            locks);

    withDefaults.publish(
        request(
            capability(AccessMode.SINGLE_NODE_WRITER, "region eu-west-1", "--force-path-style"),
            CONTEXT));

    assertThat(mountedSpec().region()).contains("eu-west-1");
    assertThat(mountedSpec().pathStyle()).isTrue();
  }

  @Test
  void publish_yandexVolume_combinesMountFlagsAndTheOptionsAttribute() {
    service.publish(
        request(
            VOLUME,
            target,
            capability(AccessMode.MULTI_NODE_MULTI_WRITER, "uid=1000"),
            Map.of(
                "bucket", "photos-bucket",
                "mounter", "s3fs",
                "options", "-o allow_other --umask 0002",
                "capacity", "1073741824")));

    MountSpec spec = mountedSpec();
    assertThat(spec.client()).isEqualTo(FuseClient.S3FS);
    assertThat(spec.bucket()).isEqualTo("photos-bucket");
    assertThat(spec.options().options())
        .containsExactly(
            new MountOption("uid", Optional.of("1000")),
            new MountOption("allow-other", Optional.empty()),
            new MountOption("umask", Optional.of("0002")));
  }

  @Test
  void publish_bucketAndPrefixHandle_mountsThePrefix() {
    service.publish(request("photos-bucket/pvc-7f3e", target, WRITER, Map.of("mounter", "rclone")));

    MountSpec spec = mounter.mounted(targetPath).orElseThrow();
    assertThat(spec.volumeId()).isEqualTo("photos-bucket/pvc-7f3e");
    assertThat(spec.bucket()).isEqualTo("photos-bucket");
    assertThat(spec.prefix()).contains("pvc-7f3e/");
    assertThat(spec.client()).isEqualTo(FuseClient.RCLONE);
  }

  @Test
  void publish_mountGroup_reachesTheSpec() {
    service.publish(
        request(
            new VolumeCapability(AccessMode.SINGLE_NODE_WRITER, List.of(), Optional.of("2000")),
            CONTEXT));

    assertThat(mountedSpec().mountGroup()).contains("2000");
  }

  // --- unpublish ---

  @Test
  void unpublish_mountedVolume_unmountsAndRemovesTheTarget() {
    service.publish(request());

    UnpublishResult result = service.unpublish(new UnpublishRequest(VOLUME, target));

    assertThat(result).isEqualTo(UnpublishResult.UNMOUNTED);
    assertThat(targetPath).doesNotExist();
    assertThat(targetPath.getParent()).isDirectory();
    assertThat(mounter.mounts()).isEmpty();
    assertThat(locks.held()).isZero();
  }

  @Test
  void unpublish_calledTwice_isNotMountedTheSecondTime() {
    service.publish(request());

    UnpublishResult first = service.unpublish(new UnpublishRequest(VOLUME, target));
    UnpublishResult second = service.unpublish(new UnpublishRequest(VOLUME, target));

    assertThat(first).isEqualTo(UnpublishResult.UNMOUNTED);
    assertThat(second).isEqualTo(UnpublishResult.NOT_MOUNTED);
  }

  @Test
  void unpublish_targetThatNeverExisted_succeedsAndStillCleansUp() {
    UnpublishResult result = service.unpublish(new UnpublishRequest(VOLUME, target));

    assertThat(result).isEqualTo(UnpublishResult.NOT_MOUNTED);
    assertThat(mounter.calls()).containsExactly("state " + target, "unmount " + target);
    assertThat(targetPath).doesNotExist();
  }

  @Test
  void unpublish_leftoverEmptyTarget_isRemoved() throws IOException {
    Files.createDirectories(targetPath);

    assertThat(service.unpublish(new UnpublishRequest(VOLUME, target)))
        .isEqualTo(UnpublishResult.NOT_MOUNTED);
    assertThat(targetPath).doesNotExist();
  }

  @Test
  void unpublish_targetHeldByAnotherVolume_failsPreconditionAndKeepsTheMount() {
    service.publish(request());

    assertKind(
        () -> service.unpublish(new UnpublishRequest(OTHER_VOLUME, target)),
        ErrorKind.FAILED_PRECONDITION,
        "target_path " + target + " holds volume pv-photos, not pv-other");
    assertThat(mountedSpec().volumeId()).isEqualTo(VOLUME);
    assertThat(targetPath).isDirectory();
  }

  @Test
  void unpublish_deadMount_isUnmounted() {
    service.publish(request());
    mounter.kill(targetPath);

    assertThat(service.unpublish(new UnpublishRequest(VOLUME, target)))
        .isEqualTo(UnpublishResult.UNMOUNTED);
    assertThat(mounter.mounts()).isEmpty();
  }

  @Test
  void unpublish_deadMountOfAnotherVolume_failsPrecondition() {
    service.publish(request());
    mounter.kill(targetPath);

    assertKind(
        () -> service.unpublish(new UnpublishRequest(OTHER_VOLUME, target)),
        ErrorKind.FAILED_PRECONDITION,
        "target_path " + target + " holds volume pv-photos, not pv-other");
  }

  @Test
  void unpublish_targetNotEmptyAfterUnmount_isLeftInPlace() throws IOException {
    service.publish(request());
    Files.writeString(targetPath.resolve("written-while-unmounted"), "x");

    assertKind(
        () -> service.unpublish(new UnpublishRequest(VOLUME, target)),
        ErrorKind.FAILED_PRECONDITION,
        "target " + target + " is not empty after unmount; it was left in place");
    assertThat(targetPath.resolve("written-while-unmounted")).exists();
    assertThat(locks.held()).isZero();
  }

  @Test
  void unpublish_unmountFailure_propagatesAndReleasesTheLock() {
    service.publish(request());
    DriverException failure = DriverException.internal("target is busy", null);
    mounter.failNextUnmount(failure);

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(() -> service.unpublish(new UnpublishRequest(VOLUME, target)))
        .isSameAs(failure);
    assertThat(locks.held()).isZero();
    assertThat(service.unpublish(new UnpublishRequest(VOLUME, target)))
        .isEqualTo(UnpublishResult.UNMOUNTED);
  }

  @ParameterizedTest
  @NullAndEmptySource
  void unpublish_missingVolumeId_isInvalid(String volumeId) {
    assertInvalid(
        () -> service.unpublish(new UnpublishRequest(volumeId, target)),
        "volume_id",
        "volume_id: must not be empty");
    assertThat(mounter.calls()).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  void unpublish_missingTargetPath_isInvalid(String targetPath) {
    assertInvalid(
        () -> service.unpublish(new UnpublishRequest(VOLUME, targetPath)),
        "target_path",
        "target_path: must not be empty");
    assertThat(mounter.calls()).isEmpty();
  }

  @Test
  void unpublish_targetOutsideTheKubeletRoot_isInvalid() {
    assertInvalid(
        () -> service.unpublish(new UnpublishRequest(VOLUME, "/var/lib/docker")),
        "target_path",
        "target_path: must be a directory under the kubelet root "
            + kubelet
            + " (was '/var/lib/docker')");
    assertThat(mounter.calls()).isEmpty();
  }

  @Test
  void config_isExposed() {
    assertThat(service.config()).isEqualTo(config());
  }
}
