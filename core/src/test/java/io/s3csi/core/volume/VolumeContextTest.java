package io.s3csi.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.fuse.FuseClient;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeContextTest {

  private static final String BAD_BUCKET =
      "' is not a valid S3 bucket name (3-63 characters: lowercase letters, digits, dots and"
          + " hyphens, starting and ending with a letter or digit)";

  private static final String KNOWN =
      "authenticationSource, bucket, bucketName, cache, cacheEmptyDirMedium,"
          + " cacheEmptyDirSizeLimit, cacheEphemeralStorageClassName,"
          + " cacheEphemeralStorageResourceRequest, capacity, endpointUrl, fuseClient, mounter,"
          + " mountpointContainerResourcesLimitsCpu, mountpointContainerResourcesLimitsMemory,"
          + " mountpointContainerResourcesRequestsCpu, mountpointContainerResourcesRequestsMemory,"
          + " mountpointPodServiceAccountName, mountpointPriorityClassName, options, pathStyle,"
          + " prefix, region, stsRegion and csi.storage.k8s.io/*";

  private static Map<String, String> attrs(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static void assertInvalid(
      String volumeId, Map<String, String> attributes, String field, String message) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> VolumeContext.parse(volumeId, attributes))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @Test
  void parse_bucketNameOnly_appliesDefaults() {
    VolumeContext volume = VolumeContext.parse("pv-1", attrs("bucketName", "my-bucket"));

    assertThat(volume)
        .isEqualTo(
            new VolumeContext(
                "pv-1",
                "my-bucket",
                Optional.empty(),
                AuthenticationSource.DRIVER,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                PodInfo.NONE,
                Set.of()));
  }

  static Stream<Arguments> handles() {
    return Stream.of(
        arguments("my-bucket", Map.of(), "my-bucket", Optional.empty()),
        arguments("my-bucket/", Map.of(), "my-bucket", Optional.empty()),
        arguments("my-bucket/pvc-1234", Map.of(), "my-bucket", Optional.of("pvc-1234/")),
        arguments("my-bucket/a/b/c/", Map.of(), "my-bucket", Optional.of("a/b/c/")),
        arguments("my-bucket", Map.of("prefix", "/data/"), "my-bucket", Optional.of("data/")),
        // an explicit bucket wins: the handle is then only an id
        arguments(
            "Not A Bucket/x",
            Map.of("bucketName", "other-bucket"),
            "other-bucket",
            Optional.empty()),
        arguments(
            "pv-1",
            Map.of("bucketName", "other-bucket", "prefix", "p"),
            "other-bucket",
            Optional.of("p/")));
  }

  @ParameterizedTest
  @MethodSource("handles")
  void parse_volumeHandle_yieldsBucketAndPrefix(
      String volumeId, Map<String, String> attributes, String bucket, Optional<String> prefix) {
    VolumeContext volume = VolumeContext.parse(volumeId, attributes);

    assertThat(volume.bucket()).isEqualTo(bucket);
    assertThat(volume.prefix()).isEqualTo(prefix);
    assertThat(volume.volumeId()).isEqualTo(volumeId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PV_1", "pv_1/prefix", "ab", "ab/prefix", "-bucket/x", "/x", "Bucket"})
  void parse_noBucketAttributeAndHandleIsNoBucket_requiresBucketName(String volumeId) {
    assertInvalid(
        volumeId,
        Map.of(),
        "bucketName",
        "bucketName: required: set volumeAttributes.bucketName or use a volume handle of the form"
            + " bucket/prefix");
  }

  @Test
  void parse_handlePrefixAndPrefixAttribute_rejectsBoth() {
    assertInvalid(
        "my-bucket/a",
        attrs("prefix", "b"),
        "prefix",
        "prefix: set either a prefix attribute or a volume handle bucket/prefix, not both");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t"})
  void parse_blankVolumeId_isRejected(String volumeId) {
    assertInvalid(
        volumeId, attrs("bucketName", "b-1"), "volume_id", "volume_id: must not be empty");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a|a/",
        "a/|a/",
        "/a|a/",
        "//a//|a/",
        "'  /a/b/c/ '|a/b/c/",
        "team-1/data.2024/|team-1/data.2024/",
        "a..b/c|a..b/c/",
        "..a/.b|..a/.b/"
      })
  void parse_prefix_isNormalized(String raw, String normalized) {
    VolumeContext volume =
        VolumeContext.parse("pv", attrs("bucketName", "my-bucket", "prefix", raw));

    assertThat(volume.prefix()).contains(normalized);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "/", "///"})
  void parse_emptyPrefix_meansNone(String raw) {
    VolumeContext volume =
        VolumeContext.parse("pv", attrs("bucketName", "my-bucket", "prefix", raw));

    assertThat(volume.prefix()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a//b", "a/../b", "..", "../a", "a/..", "./a", "a/./b", "a/.", "."})
  void parse_prefixWithDotOrEmptySegments_isRejected(String raw) {
    assertInvalid(
        "pv",
        attrs("bucketName", "my-bucket", "prefix", raw),
        "prefix",
        "prefix: must not contain empty, '.' or '..' path segments");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\tb", "a\nb", "a\u0000b", "a\u007fb", "a/\u001b[31m/b"})
  void parse_prefixWithControlCharacters_isRejected(String raw) {
    assertInvalid(
        "pv",
        attrs("bucketName", "my-bucket", "prefix", raw),
        "prefix",
        "prefix: must not contain control characters");
  }

  @Test
  void parse_handlePrefixWithDotDot_namesTheVolumeId() {
    assertInvalid(
        "my-bucket/a/../b",
        Map.of(),
        "volume_id",
        "volume_id: must not contain empty, '.' or '..' path segments");
  }

  @Test
  void parse_prefixOf1023Bytes_isAccepted() {
    String raw = "a".repeat(1023);

    assertThat(VolumeContext.parse("pv", attrs("bucketName", "b-1", "prefix", raw)).prefix())
        .contains(raw + "/");
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 2000})
  void parse_prefixOf1024BytesOrMore_isRejected(int length) {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "prefix", "a".repeat(length)),
        "prefix",
        "prefix: must be shorter than 1024 bytes");
  }

  @Test
  void parse_prefixOfFewCharactersButManyUtf8Bytes_isRejected() {
    // 512 characters, 1024 bytes: S3 limits keys in bytes
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "prefix", "\u00e9".repeat(512)),
        "prefix",
        "prefix: must be shorter than 1024 bytes");
  }

  @Test
  void parse_awsMountpointPersistentVolume_worksUnchanged() {
    VolumeContext volume =
        VolumeContext.parse(
            "s3-csi-driver-volume",
            attrs(
                "bucketName", "amzn-s3-demo-bucket",
                "authenticationSource", "pod",
                "stsRegion", "us-west-2",
                "cache", "emptyDir",
                "cacheEmptyDirSizeLimit", "1Gi",
                "cacheEmptyDirMedium", "Memory",
                "mountpointPodServiceAccountName", "s3-mounter",
                "mountpointContainerResourcesRequestsCpu", "100m"));

    assertThat(volume.bucket()).isEqualTo("amzn-s3-demo-bucket");
    assertThat(volume.authenticationSource()).isEqualTo(AuthenticationSource.POD);
    assertThat(volume.stsRegion()).contains("us-west-2");
    assertThat(volume.region()).isEmpty();
    assertThat(volume.ignoredAttributes())
        .containsExactlyInAnyOrder(
            "cache",
            "cacheEmptyDirSizeLimit",
            "cacheEmptyDirMedium",
            "mountpointPodServiceAccountName",
            "mountpointContainerResourcesRequestsCpu");
  }

  @ParameterizedTest
  @CsvSource({"driver, DRIVER", "pod, POD", "secret, SECRET", "Pod, POD", "' DRIVER ', DRIVER"})
  void parse_authenticationSource_isParsed(String raw, AuthenticationSource expected) {
    VolumeContext volume =
        VolumeContext.parse("pv", attrs("bucketName", "b-1", "authenticationSource", raw));

    assertThat(volume.authenticationSource()).isEqualTo(expected);
  }

  @Test
  void parse_unknownAuthenticationSource_listsTheChoices() {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "authenticationSource", "irsa"),
        "authenticationSource",
        "authenticationSource: must be one of driver, secret, pod (was 'irsa')");
  }

  @Test
  void parse_yandexSpellings_mapToTheSameFields() {
    VolumeContext volume =
        VolumeContext.parse(
            "yandex-bucket/pvc-0a1b",
            attrs(
                "bucket", "yandex-bucket",
                "mounter", "rclone",
                "options", "--dir-mode 0777 --debug",
                "capacity", "1073741824"));

    assertThat(volume.bucket()).isEqualTo("yandex-bucket");
    assertThat(volume.prefix()).isEmpty();
    assertThat(volume.fuseClient()).contains(FuseClient.RCLONE);
    assertThat(volume.extraMountOptions()).containsExactly("--dir-mode 0777 --debug");
    assertThat(volume.ignoredAttributes()).containsExactly("capacity");
  }

  @Test
  void parse_yandexDynamicVolume_takesBucketAndPrefixFromHandle() {
    VolumeContext volume =
        VolumeContext.parse(
            "shared-bucket/pvc-7f3e", attrs("mounter", "s3fs", "options", "-o allow_other"));

    assertThat(volume.bucket()).isEqualTo("shared-bucket");
    assertThat(volume.prefix()).contains("pvc-7f3e/");
    assertThat(volume.fuseClient()).contains(FuseClient.S3FS);
    assertThat(volume.extraMountOptions()).containsExactly("-o allow_other");
  }

  @Test
  void parse_multiLineOptions_areOneCommandLine() {
    VolumeContext volume =
        VolumeContext.parse(
            "pv", attrs("bucketName", "b-1", "options", "  --dir-mode 0777\n\t--debug\r\n "));

    assertThat(volume.extraMountOptions()).containsExactly("--dir-mode 0777 --debug");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void parse_blankOptions_areNone(String raw) {
    assertThat(VolumeContext.parse("pv", attrs("bucketName", "b-1", "options", raw)))
        .extracting(VolumeContext::extraMountOptions)
        .isEqualTo(List.of());
  }

  @Test
  void parse_optionsWithNul_isRejected() {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "options", "--debug\u0000--x"),
        "options",
        "options: must not contain a NUL character");
  }

  @ParameterizedTest
  @CsvSource({
    "mount-s3, MOUNT_S3",
    "mountpoint, MOUNT_S3",
    "Mountpoint-S3, MOUNT_S3",
    "s3fs, S3FS",
    "RCLONE, RCLONE"
  })
  void parse_fuseClient_isParsed(String raw, FuseClient expected) {
    assertThat(
            VolumeContext.parse("pv", attrs("bucketName", "b-1", "fuseClient", raw)).fuseClient())
        .contains(expected);
  }

  @Test
  void parse_unknownMounter_namesTheYandexAttribute() {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "mounter", "geesefs"),
        "mounter",
        "mounter: unknown FUSE client 'geesefs'; supported: mount-s3, s3fs, rclone");
  }

  @Test
  void parse_unknownFuseClient_namesTheAttribute() {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "fuseClient", "goofys"),
        "fuseClient",
        "fuseClient: unknown FUSE client 'goofys'; supported: mount-s3, s3fs, rclone");
  }

  static Stream<Arguments> conflictingAliases() {
    return Stream.of(
        arguments(
            attrs("bucketName", "bucket-a", "bucket", "bucket-b"),
            "bucketName",
            "bucketName: set either bucketName or bucket, they disagree"),
        arguments(
            attrs("bucketName", "b-1", "fuseClient", "s3fs", "mounter", "rclone"),
            "fuseClient",
            "fuseClient: set either fuseClient or mounter, they disagree"));
  }

  @ParameterizedTest
  @MethodSource("conflictingAliases")
  void parse_conflictingAliases_areRejected(
      Map<String, String> attributes, String field, String message) {
    assertInvalid("pv", attributes, field, message);
  }

  @Test
  void parse_agreeingAliases_areAccepted() {
    VolumeContext volume =
        VolumeContext.parse(
            "pv",
            attrs("bucketName", "b-1", "bucket", "b-1", "fuseClient", "s3fs", "mounter", "s3fs"));

    assertThat(volume.bucket()).isEqualTo("b-1");
    assertThat(volume.fuseClient()).contains(FuseClient.S3FS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bucketname", "BucketName", "endpoint", "mountOptions", "readOnly"})
  void parse_unknownAttribute_listsTheKnownOnes(String key) {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", key, "x"),
        key,
        key + ": unknown volume attribute; known attributes are " + KNOWN);
  }

  @Test
  void parse_unknownAttributeWithControlCharacters_isEchoedWithoutThem() {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "evil\nINFO forged line", "x"),
        "evil?INFO forged line",
        "evil?INFO forged line: unknown volume attribute; known attributes are " + KNOWN);
  }

  @Test
  void knownAttributes_listsOwnAndForeignAttributesSorted() {
    assertThat(VolumeContext.knownAttributes()).isEqualTo(KNOWN);
  }

  @Test
  void parse_unknownKubernetesKeys_areIgnoredWithoutError() {
    VolumeContext volume =
        VolumeContext.parse(
            "pv",
            attrs(
                "bucketName", "b-1",
                "csi.storage.k8s.io/some.future.key", "x",
                "storage.kubernetes.io/csiProvisionerIdentity",
                    "1700000000000-8081-s3.csi.s3csi.io"));

    assertThat(volume.ignoredAttributes()).isEmpty();
    assertThat(volume.pod()).isEqualTo(PodInfo.NONE);
  }

  @Test
  void parse_podInfo_isParsedWithTokensAsSecret() {
    String tokens =
        "{\"sts.amazonaws.com\":{\"token\":\"eyJhbGciOi.tok\",\"expirationTimestamp\":\"x\"}}";
    VolumeContext volume =
        VolumeContext.parse(
            "pv",
            attrs(
                "bucketName", "b-1",
                "csi.storage.k8s.io/pod.name", "web-0",
                "csi.storage.k8s.io/pod.namespace", "shop",
                "csi.storage.k8s.io/pod.uid", "0f9a7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
                "csi.storage.k8s.io/serviceAccount.name", "web",
                "csi.storage.k8s.io/ephemeral", "true",
                "csi.storage.k8s.io/serviceAccount.tokens", tokens));

    assertThat(volume.pod())
        .isEqualTo(
            new PodInfo(
                Optional.of("web-0"),
                Optional.of("shop"),
                Optional.of("0f9a7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"),
                Optional.of("web"),
                true,
                Optional.of(Secret.of(tokens))));
    assertThat(volume.pod().serviceAccountTokens().orElseThrow().reveal()).isEqualTo(tokens);
  }

  @Test
  void parse_blankPodInfo_isAbsent() {
    VolumeContext volume =
        VolumeContext.parse(
            "pv",
            attrs(
                "bucketName", "b-1",
                "csi.storage.k8s.io/pod.name", " ",
                "csi.storage.k8s.io/serviceAccount.tokens", "",
                "csi.storage.k8s.io/ephemeral", "false"));

    assertThat(volume.pod()).isEqualTo(PodInfo.NONE);
  }

  @Test
  void parse_badEphemeralFlag_namesTheKey() {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "csi.storage.k8s.io/ephemeral", "maybe"),
        "csi.storage.k8s.io/ephemeral",
        "csi.storage.k8s.io/ephemeral: must be true or false");
  }

  @ParameterizedTest
  @CsvSource({
    "https://s3.example.com, https://s3.example.com",
    "http://minio.storage.svc:9000, http://minio.storage.svc:9000",
    "' http://10.0.0.5:9000/ ', http://10.0.0.5:9000/",
    "HTTPS://storage.yandexcloud.net, HTTPS://storage.yandexcloud.net",
    "http://[::1]:9000, http://[::1]:9000"
  })
  void parse_endpointUrl_isAccepted(String raw, String expected) {
    assertThat(VolumeContext.parse("pv", attrs("bucketName", "b-1", "endpointUrl", raw)))
        .extracting(VolumeContext::endpointUrl)
        .isEqualTo(Optional.of(URI.create(expected)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp://s3.example.com|endpointUrl: must be an http:// or https:// URL",
        "s3.example.com|endpointUrl: must be an http:// or https:// URL",
        "file:///etc/passwd|endpointUrl: must be an http:// or https:// URL",
        "http://|endpointUrl: is not a valid URL: Expected authority",
        "http://exa mple.com|endpointUrl: is not a valid URL: Illegal character in authority",
        "http:///bucket|endpointUrl: must name a host",
        "http://admin:hunter2@minio:9000|endpointUrl: must not carry credentials; use a"
            + " node-publish secret or the driver's identity",
        "https://minio:9000/?X-Amz-Security-Token=abc|endpointUrl: must not have a query or"
            + " fragment",
        "https://minio:9000/#x|endpointUrl: must not have a query or fragment",
        "https://minio:9000/a,passwd_file=/etc/x|endpointUrl: must not contain a comma"
      })
  void parse_badEndpointUrl_isRejected(String raw, String message) {
    assertInvalid("pv", attrs("bucketName", "b-1", "endpointUrl", raw), "endpointUrl", message);
  }

  @Test
  void parse_endpointUrlWithCredentials_neverEchoesThem() {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(
            () ->
                VolumeContext.parse(
                    "pv",
                    attrs("bucketName", "b-1", "endpointUrl", "http://admin:hunter2@minio:9000")))
        .withMessageNotContaining("hunter2");
  }

  @ParameterizedTest
  @CsvSource({"true, true", "TRUE, true", "' false ', false", "False, false"})
  void parse_pathStyle_isParsed(String raw, boolean expected) {
    assertThat(VolumeContext.parse("pv", attrs("bucketName", "b-1", "pathStyle", raw)).pathStyle())
        .contains(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "1", "on", "truee"})
  void parse_badPathStyle_isRejected(String raw) {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "pathStyle", raw),
        "pathStyle",
        "pathStyle: must be true or false");
  }

  @Test
  void parse_blankPathStyle_isUnset() {
    assertThat(VolumeContext.parse("pv", attrs("bucketName", "b-1", "pathStyle", " ")).pathStyle())
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-east-1", "eu-central-2", "ru-central1", "garage", "us-gov-west-1"})
  void parse_region_isAccepted(String region) {
    VolumeContext volume =
        VolumeContext.parse(
            "pv", attrs("bucketName", "b-1", "region", region, "stsRegion", region));

    assertThat(volume.region()).contains(region);
    assertThat(volume.stsRegion()).contains(region);
  }

  @ParameterizedTest
  @ValueSource(strings = {"US-EAST-1", "us_east_1", "-us-east-1", "us east 1", "us.east.1"})
  void parse_badRegion_isRejected(String region) {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "region", region),
        "region",
        "region: must be a region name such as us-east-1 (lowercase letters, digits, hyphens)");
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "stsRegion", region),
        "stsRegion",
        "stsRegion: must be a region name such as us-east-1 (lowercase letters, digits, hyphens)");
  }

  @Test
  void parse_tooLongRegion_isRejected() {
    assertInvalid(
        "pv",
        attrs("bucketName", "b-1", "region", "a".repeat(64)),
        "region",
        "region: must be a region name such as us-east-1 (lowercase letters, digits, hyphens)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "my-bucket",
        "my.bucket.name",
        "1bucket2",
        "a1-b2.c3",
        "192.168.1.1x",
        "arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point",
        "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01ac5d28a6a232904/accesspoint/ap1",
        "arn:aws-cn:s3-object-lambda:cn-north-1:123456789012:accesspoint/olap"
      })
  void parse_validBucket_isAccepted(String bucket) {
    assertThat(VolumeContext.parse("pv", attrs("bucketName", bucket)).bucket()).isEqualTo(bucket);
  }

  @Test
  void parse_bucketOf63Characters_isAccepted() {
    String bucket = "b" + "-".repeat(61) + "b";

    assertThat(VolumeContext.parse("pv", attrs("bucketName", bucket)).bucket()).isEqualTo(bucket);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ab",
        "MyBucket",
        "my_bucket",
        "192.168.1.1",
        "my..bucket",
        "my.-bucket",
        "my-.bucket",
        "-bucket",
        "bucket-",
        ".bucket",
        "bucket.",
        "bucket/with/slash",
        "arn:aws:iam::123456789012:role/not-a-bucket"
      })
  void parse_invalidBucketName_isRejected(String bucket) {
    assertInvalid(
        "pv", attrs("bucketName", bucket), "bucketName", "bucketName: '" + bucket + BAD_BUCKET);
  }

  @Test
  void parse_bucketOf64Characters_isRejected() {
    String bucket = "b".repeat(64);

    assertInvalid(
        "pv", attrs("bucketName", bucket), "bucketName", "bucketName: '" + bucket + BAD_BUCKET);
  }

  @Test
  void parse_emptyBucketName_isRejected() {
    assertInvalid("pv", attrs("bucketName", " "), "bucketName", "bucketName: must not be empty");
  }

  @Test
  void parse_invalidYandexBucket_namesTheYandexAttribute() {
    assertInvalid(
        "pv", attrs("bucket", "Bad_Bucket"), "bucket", "bucket: 'Bad_Bucket" + BAD_BUCKET);
  }

  @Test
  void parse_bucketName_isStripped() {
    assertThat(VolumeContext.parse("pv", attrs("bucketName", "  my-bucket ")).bucket())
        .isEqualTo("my-bucket");
  }

  @Test
  void constructor_copiesCollections() {
    List<String> options = new java.util.ArrayList<>(List.of("--debug"));
    Set<String> ignored = new java.util.HashSet<>(Set.of("cache"));
    VolumeContext volume =
        new VolumeContext(
            "pv",
            "b-1",
            Optional.empty(),
            AuthenticationSource.DRIVER,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            options,
            PodInfo.NONE,
            ignored);
    options.add("--other");
    ignored.add("capacity");

    assertThat(volume.extraMountOptions()).containsExactly("--debug");
    assertThat(volume.ignoredAttributes()).containsExactly("cache");
  }
}
