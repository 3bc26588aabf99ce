package io.s3csi.core.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;

/**
 * Properties of {@link VolumeContext#parse} over hostile attributes: unicode, control characters,
 * NUL, line breaks, {@code ..} and {@code //}, very long values, separators and unknown keys.
 */
class VolumeContextPropertiesTest {

  /** Never produced by the parser itself, so a message that contains it echoes the token. */
  private static final String TOKEN_MARKER = "\u00a7sa-token\u00a7";

  private static final List<String> KEYS =
      List.of(
          VolumeContext.BUCKET_NAME,
          VolumeContext.PREFIX,
          VolumeContext.AUTHENTICATION_SOURCE,
          VolumeContext.REGION,
          VolumeContext.STS_REGION,
          VolumeContext.ENDPOINT_URL,
          VolumeContext.PATH_STYLE,
          VolumeContext.FUSE_CLIENT,
          VolumeContext.YANDEX_BUCKET,
          VolumeContext.YANDEX_MOUNTER,
          VolumeContext.YANDEX_OPTIONS,
          "capacity",
          "cache",
          "csi.storage.k8s.io/pod.name",
          "csi.storage.k8s.io/pod.namespace",
          "csi.storage.k8s.io/pod.uid",
          "csi.storage.k8s.io/serviceAccount.name",
          "csi.storage.k8s.io/ephemeral",
          "storage.kubernetes.io/csiProvisionerIdentity");

  private static final List<String> FRAGMENTS =
      List.of(
          "..",
          "//",
          "/",
          ".",
          "=",
          ",",
          " ",
          "-",
          "--",
          "\n",
          "\r",
          "\0",
          "\t",
          "\u00a0",
          "\u2028",
          "\u00e9",
          "\ud83d\ude00",
          "\ud800",
          "a",
          "photos",
          "photos-bucket",
          "x.y",
          "us-east-1",
          "http://",
          "https://",
          "user:pw@",
          "minio:9000",
          "?q=1",
          "#f",
          "%2e%2e",
          "true",
          "FALSE",
          "s3fs",
          "rclone",
          "mount-s3",
          "secret",
          "pod",
          "arn:aws:s3:",
          "123456789012:accesspoint/ap");

  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReportMode.OFF)
  void parse_anyAttributes_returnsAValidContextOrInvalidArgument(
      @ForAll("volumeIds") String volumeId,
      @ForAll("attributes") Map<String, String> attributes,
      @ForAll("tokens") String token) {
    Map<String, String> attrs = new HashMap<>(attributes);
    attrs.put(VolumeContext.SERVICE_ACCOUNT_TOKENS, token);
    Statistics.label("outcome").coverage(c -> c.check("parsed").percentage(p -> p > 5));
    Statistics.label("outcome").coverage(c -> c.check("invalid").percentage(p -> p > 5));

    VolumeContext context;
    try {
      context = VolumeContext.parse(volumeId, attrs);
    } catch (RuntimeException e) {
      assertInvalidArgument(e);
      assertThat(e.getMessage()).doesNotContain(TOKEN_MARKER).doesNotContain(token.strip());
      Statistics.label("outcome").collect("invalid");
      return;
    }
    Statistics.label("outcome").collect("parsed");
    context
        .prefix()
        .ifPresent(
            prefix -> {
              assertThat(prefix).endsWith("/").doesNotStartWith("/");
              assertThat(prefix.substring(0, prefix.length() - 1).split("/", -1))
                  .doesNotContain("", ".", "..");
              assertThat(prefix.chars()).noneMatch(c -> c < 0x20 || c == 0x7f);
            });
    context
        .endpointUrl()
        .ifPresent(
            endpoint -> {
              assertThat(endpoint.getRawUserInfo()).isNull();
              assertThat(endpoint.getUserInfo()).isNull();
              assertThat(endpoint.getScheme().toLowerCase(Locale.ROOT)).isIn("http", "https");
              assertThat(endpoint.getHost()).isNotEmpty();
              assertThat(endpoint.toString()).doesNotContain(",");
            });
    assertThat(context.bucket()).isEqualTo(context.bucket().strip());
    assertThat(context.bucket().chars()).noneMatch(c -> c < 0x21 || c > 0x7e);
    if (!context.bucket().startsWith("arn:")) {
      assertThat(context.bucket()).doesNotContain("/", "..");
    }
    assertThat(String.join("", context.extraMountOptions())).doesNotContain("\0", "\n", "\r");
    context.region().ifPresent(r -> assertThat(r).matches("[a-z0-9][a-z0-9-]*"));
    assertThat(context.toString()).doesNotContain(TOKEN_MARKER);
  }

  @Property(tries = 1000)
  @StatisticsReport(StatisticsReportMode.OFF)
  void endpoint_anyValue_hasNoUserInfoOrIsRejected(@ForAll("endpoints") String value) {
    Statistics.label("outcome").coverage(c -> c.check("parsed").percentage(p -> p > 5));
    Statistics.label("outcome").coverage(c -> c.check("invalid").percentage(p -> p > 5));
    try {
      VolumeContext.endpoint(VolumeContext.ENDPOINT_URL, value)
          .map(URI::getRawUserInfo)
          .ifPresent(userInfo -> assertThat(userInfo).isNull());
      Statistics.label("outcome").collect("parsed");
    } catch (RuntimeException e) {
      assertInvalidArgument(e);
      assertThat(((InvalidArgumentException) e).field()).isEqualTo(VolumeContext.ENDPOINT_URL);
      Statistics.label("outcome").collect("invalid");
    }
  }

  static void assertInvalidArgument(Throwable thrown) {
    assertThat(thrown).isInstanceOf(InvalidArgumentException.class);
    InvalidArgumentException e = (InvalidArgumentException) thrown;
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    assertThat(e.field()).isNotBlank();
    assertThat(e.reason()).isNotBlank();
    assertThat(e.getMessage()).isEqualTo(e.field() + ": " + e.reason());
  }

  @Provide
  Arbitrary<String> volumeIds() {
    Arbitrary<String> handles =
        Combinators.combine(buckets(), nasty())
            .as((bucket, prefix) -> bucket + "/" + prefix)
            .edgeCases(edges -> edges.add("photos-bucket/a/../b"));
    return Arbitraries.oneOf(buckets(), handles, nasty(), Arbitraries.of("", " ", "/", "//"));
  }

  @Provide
  Arbitrary<Map<String, String>> attributes() {
    Arbitrary<String> keys =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.of(KEYS)),
            Tuple.of(1, nasty()),
            Tuple.of(1, Arbitraries.of("", " ", "\n", "csi.storage.k8s.io/x")));
    Arbitrary<Map<String, String>> hostile = Arbitraries.maps(keys, values()).ofMaxSize(6);
    Arbitrary<Map<String, String>> spoiled =
        Combinators.combine(plausible(), Arbitraries.maps(keys, values()).ofMaxSize(1))
            .as(
                (good, bad) -> {
                  Map<String, String> merged = new HashMap<>(good);
                  merged.putAll(bad);
                  return merged;
                });
    return Arbitraries.frequencyOf(
        Tuple.of(4, plausible()), Tuple.of(3, hostile), Tuple.of(3, spoiled));
  }

  /** Known attributes with values of their own kind, some of them malformed. */
  private Arbitrary<Map<String, String>> plausible() {
    Arbitrary<String> paths =
        Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("a", "b", "\u00e9t\u00e9", " x", "a..b", "%2e%2e")),
                Tuple.of(1, Arbitraries.of("..", ".", "", "\t", "\0")))
            .list()
            .ofMaxSize(4)
            .map(parts -> String.join("/", parts));
    Map<String, Arbitrary<String>> byKey =
        Map.ofEntries(
            Map.entry(VolumeContext.BUCKET_NAME, buckets()),
            Map.entry(
                VolumeContext.PREFIX, Arbitraries.oneOf(paths, paths.map(p -> "/" + p + "/"))),
            Map.entry(
                VolumeContext.REGION,
                Arbitraries.of("us-east-1", " eu-west-1 ", "ap-south-2", "", "US")),
            Map.entry(
                VolumeContext.STS_REGION, Arbitraries.of("us-west-2", "eu-central-1", "", "-x")),
            Map.entry(
                VolumeContext.ENDPOINT_URL,
                Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.of("https://minio:9000", "http://10.0.0.1:9000/")),
                    Tuple.of(1, endpoints()))),
            Map.entry(
                VolumeContext.PATH_STYLE, Arbitraries.of("true", "FALSE", "", " True ", "yes")),
            Map.entry(
                VolumeContext.FUSE_CLIENT,
                Arbitraries.of("s3fs", "rclone", "Mountpoint", " mount-s3", "goofys")),
            Map.entry(
                VolumeContext.AUTHENTICATION_SOURCE, Arbitraries.of("driver", "secret", "pod")),
            Map.entry(
                VolumeContext.YANDEX_OPTIONS,
                Arbitraries.oneOf(Arbitraries.of("--dir-mode 0777\n --debug", "-o a,b"), nasty())),
            Map.entry("csi.storage.k8s.io/pod.name", nasty()),
            Map.entry(
                "csi.storage.k8s.io/ephemeral", Arbitraries.of("true", "false", "", "maybe")));
    return Arbitraries.subsetOf(byKey.keySet())
        .map(List::copyOf)
        .flatMap(
            keys ->
                Combinators.combine(keys.stream().map(byKey::get).toList())
                    .as(
                        values -> {
                          Map<String, String> attrs = new HashMap<>();
                          for (int i = 0; i < keys.size(); i++) {
                            attrs.put(keys.get(i), values.get(i));
                          }
                          return attrs;
                        }));
  }

  @Provide
  Arbitrary<String> tokens() {
    Arbitrary<String> hostile = nasty().map(s -> s + TOKEN_MARKER);
    return Arbitraries.oneOf(hostile, Combinators.combine(nasty(), hostile).as(String::concat));
  }

  @Provide
  Arbitrary<String> endpoints() {
    Arbitrary<String> hosts = Arbitraries.of("minio:9000", "s3.example", "10.0.0.1", "[::1]:80");
    Arbitrary<String> userInfo = Arbitraries.of("", "", "user@", "user:pw@", "@", ":@", "%40@");
    Arbitrary<String> schemes = Arbitraries.of("http://", "https://", "HTTPS://", "ftp://", "//");
    return Arbitraries.oneOf(
        Combinators.combine(schemes, userInfo, hosts, nasty())
            .as((s, u, h, tail) -> s + u + h + (tail.length() < 8 ? "/" + tail : "")),
        nasty());
  }

  private Arbitrary<String> values() {
    return Arbitraries.oneOf(
        nasty(),
        buckets(),
        Arbitraries.of(
            "secret", "driver", "pod", "s3fs", "Mountpoint", "true", "us-east-1", "", " "),
        endpoints());
  }

  private static Arbitrary<String> buckets() {
    Arbitrary<String> valid =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("abc019").ofMinLength(3).ofMaxLength(63),
            Arbitraries.of(
                "photos-bucket", "data.2024", "arn:aws:s3:us-east-1:123456789012:accesspoint/ap"));
    Arbitrary<String> malformed =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("abc019.-").ofMinLength(2).ofMaxLength(64),
            Arbitraries.of("a..b", "192.168.0.1", "Photos", " ab", "ab\n", "arn:aws:s3:::x"));
    return Arbitraries.frequencyOf(Tuple.of(3, valid), Tuple.of(1, malformed));
  }

  private static Arbitrary<String> nasty() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.strings().all().ofMaxLength(24)),
        Tuple.of(6, Arbitraries.strings().withChars("a/.,= -\n\r\0\t:@%\u00e9").ofMaxLength(32)),
        Tuple.of(
            6, Arbitraries.of(FRAGMENTS).list().ofMaxSize(8).map(parts -> String.join("", parts))),
        Tuple.of(
            1,
            Arbitraries.strings()
                .withChars("ab/.-")
                .ofMinLength(1)
                .ofMaxLength(8)
                .map(s -> s.repeat(700))));
  }
}
