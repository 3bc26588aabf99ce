package io.s3csi.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.volume.VolumeContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
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
 * Properties of {@link StaticCredentials} and {@link SecretCredentialProvider} over random secret
 * maps: they build credentials or throw {@link InvalidArgumentException}, and neither the exception
 * nor any {@code toString()} ever shows a secret value.
 */
class SecretCredentialsPropertiesTest {

  /**
   * Put into every non-blank secret value; no message or {@code toString()} produces it by itself,
   * so finding the value there means it was echoed.
   */
  private static final String MARKER = "\u00a7";

  private static final VolumeContext VOLUME =
      VolumeContext.parse("photos-bucket", Map.of(VolumeContext.AUTHENTICATION_SOURCE, "secret"));

  private static final List<String> KEYS =
      Stream.of(
              SecretCredentialProvider.ACCESS_KEY_ID,
              SecretCredentialProvider.SECRET_ACCESS_KEY,
              SecretCredentialProvider.SESSION_TOKEN)
          .flatMap(List::stream)
          .toList();

  private static final List<String> FRAGMENTS =
      List.of(
          "AKIAIOSFODNN7EXAMPLE",
          "wJalrXUtnFEMI/K7MDENG",
          "+",
          "/",
          "=",
          ":",
          ",",
          " ",
          "-",
          "\n",
          "\r",
          "\0",
          "\t",
          "\u00a0",
          "\u2028",
          "\u00e9",
          "\ud83d\ude00",
          "\ud800",
          "..",
          "//");

  private final SecretCredentialProvider provider = new SecretCredentialProvider();

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReportMode.OFF)
  void credentialsFor_anySecrets_returnsKeysOrInvalidArgumentWithoutTheirValues(
      @ForAll("secretMaps") Map<String, String> values) {
    Statistics.label("outcome").coverage(c -> c.check("parsed").percentage(p -> p > 10));
    Statistics.label("outcome").coverage(c -> c.check("invalid").percentage(p -> p > 10));
    Map<String, Secret> secrets = new HashMap<>();
    values.forEach((key, value) -> secrets.put(key, Secret.of(value)));
    CredentialRequest request = new CredentialRequest(VOLUME, secrets);
    assertThat(request.toString()).doesNotContain(MARKER);

    Credentials credentials;
    try {
      credentials = provider.credentialsFor(request);
    } catch (RuntimeException e) {
      assertInvalidArgumentWithoutSecrets(e);
      Statistics.label("outcome").collect("invalid");
      return;
    }
    Statistics.label("outcome").collect("parsed");
    assertThat(credentials).isInstanceOf(StaticCredentials.class);
    StaticCredentials keys = (StaticCredentials) credentials;
    assertThat(keys.accessKeyId()).matches("[A-Za-z0-9+/=._-]{1,128}");
    assertThat(keys.secretAccessKey().reveal()).isNotBlank().doesNotContain("\n", "\r", "\0");
    keys.sessionToken()
        .ifPresent(t -> assertThat(t.reveal()).isNotBlank().doesNotContain("\n", "\r", "\0"));
    assertThat(keys.toString()).doesNotContain(MARKER);
  }

  @Property(tries = 1500, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReportMode.OFF)
  void staticCredentials_anyParts_areBuiltOrInvalidArgumentWithoutTheirValues(
      @ForAll("accessKeyIds") String accessKeyId,
      @ForAll("secretValues") String secretAccessKey,
      @ForAll("optionalSecretValues") Optional<String> sessionToken) {
    StaticCredentials keys;
    try {
      keys =
          new StaticCredentials(
              accessKeyId, Secret.of(secretAccessKey), sessionToken.map(Secret::of));
    } catch (RuntimeException e) {
      assertInvalidArgumentWithoutSecrets(e);
      return;
    }
    assertThat(keys.accessKeyId()).isNotBlank().doesNotContain(":", " ", "\n", "\0");
    assertThat(keys.secretAccessKey().reveal()).doesNotContain("\n", "\r", "\0");
    assertThat(keys.toString()).doesNotContain(MARKER);
  }

  private static void assertInvalidArgumentWithoutSecrets(Throwable thrown) {
    assertThat(thrown).isInstanceOf(InvalidArgumentException.class);
    InvalidArgumentException e = (InvalidArgumentException) thrown;
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    assertThat(e.field()).isNotBlank();
    assertThat(e.reason()).isNotBlank();
    assertThat(e.getMessage()).doesNotContain(MARKER);
  }

  @Provide
  Arbitrary<Map<String, String>> secretMaps() {
    Arbitrary<String> keys =
        Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(KEYS)),
                Tuple.of(1, Arbitraries.of("", " ", "accesskeyid", "secret", "token")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)))
            .filter(key -> !key.contains(MARKER));
    Arbitrary<Map<String, String>> random = Arbitraries.maps(keys, secretValues()).ofMaxSize(5);
    Arbitrary<Map<String, String>> complete =
        Combinators.combine(
                Arbitraries.of(SecretCredentialProvider.ACCESS_KEY_ID),
                accessKeyIds(),
                Arbitraries.of(SecretCredentialProvider.SECRET_ACCESS_KEY),
                secretValues(),
                random)
            .as(
                (idKey, id, secretKey, secret, extra) -> {
                  Map<String, String> map = new HashMap<>(extra);
                  map.put(idKey, id);
                  map.put(secretKey, secret);
                  return map;
                });
    return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(2, complete));
  }

  /** Access key ids: not secret, so never marked; {@code toString()} shows their tail. */
  @Provide
  Arbitrary<String> accessKeyIds() {
    return Arbitraries.frequencyOf(
        Tuple.of(
            4,
            Arbitraries.strings()
                .withChars("AKIA0123456789+/=._-")
                .ofMinLength(1)
                .ofMaxLength(24)
                .map(id -> "AKIA" + id)),
        Tuple.of(2, hostileText().filter(id -> !id.contains(MARKER))),
        Tuple.of(
            1,
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4).map(s -> s.repeat(300))));
  }

  /** Blank values, or values of hostile text around the marker. */
  @Provide
  Arbitrary<String> secretValues() {
    Arbitrary<String> text = hostileText();
    Arbitrary<String> marked =
        Combinators.combine(text, text).as((before, after) -> before + MARKER + after);
    Arbitrary<String> clean =
        Combinators.combine(Arbitraries.of("", " ", "\n"), Arbitraries.of("", " ", "\n"))
            .as((before, after) -> before + "wJalrXUtnFEMI" + MARKER + "K7MDENG" + after);
    return Arbitraries.frequencyOf(
        Tuple.of(4, marked),
        Tuple.of(4, clean),
        Tuple.of(1, Arbitraries.of("", " ", "\n", "\t\r\n", "\u00a0")));
  }

  private static Arbitrary<String> hostileText() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.strings().all().ofMaxLength(16)),
        Tuple.of(
            3, Arbitraries.of(FRAGMENTS).list().ofMaxSize(5).map(parts -> String.join("", parts))),
        Tuple.of(
            1,
            Arbitraries.strings()
                .ascii()
                .ofMinLength(1)
                .ofMaxLength(8)
                .map(s -> s.repeat(4000 / s.length()))));
  }

  @Provide
  Arbitrary<Optional<String>> optionalSecretValues() {
    return secretValues().optional(0.6);
  }
}
