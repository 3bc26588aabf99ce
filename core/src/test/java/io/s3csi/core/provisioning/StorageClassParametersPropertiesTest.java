package io.s3csi.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.util.HashMap;
import java.util.List;
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
 * Properties of {@link StorageClassParameters#parse} and {@link StorageClassParameters#location}
 * over hostile parameters and volume names: every outcome is typed parameters and a valid bucket or
 * prefix, or an {@link InvalidArgumentException} naming a field.
 */
class StorageClassParametersPropertiesTest {

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
          "${",
          "}",
          "${pv.name}",
          "${pvc.name}",
          "${pvc.namespace}",
          "${x}",
          "xn--",
          "sthree-",
          "-s3alias",
          "A",
          "data",
          "https://");

  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReportMode.OFF)
  void parse_anyParameters_givesAValidLocationOrInvalidArgument(
      @ForAll("parameters") Map<String, String> parameters, @ForAll("names") String volumeName) {
    Statistics.label("outcome").coverage(c -> c.check("located").percentage(p -> p > 10));
    Statistics.label("outcome").coverage(c -> c.check("invalid").percentage(p -> p > 10));
    Location location;
    try {
      location = StorageClassParameters.parse(parameters).location(volumeName);
    } catch (RuntimeException e) {
      assertThat(e).isInstanceOf(InvalidArgumentException.class);
      InvalidArgumentException invalid = (InvalidArgumentException) e;
      assertThat(invalid.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
      assertThat(invalid.field()).isNotBlank();
      assertThat(invalid.reason()).isNotBlank();
      Statistics.label("outcome").collect("invalid");
      return;
    }
    Statistics.label("outcome").collect("located");
    assertThat(location.bucket())
        .hasSizeBetween(3, 63)
        .matches("[a-z0-9][a-z0-9.-]*[a-z0-9]")
        .doesNotContain("..", ".-", "-.")
        .doesNotStartWith("xn--")
        .doesNotEndWith("-s3alias");
    location
        .prefix()
        .ifPresent(
            prefix -> {
              assertThat(prefix).endsWith("/").doesNotStartWith("/");
              assertThat(prefix.substring(0, prefix.length() - 1).split("/", -1))
                  .doesNotContain("", ".", "..");
              assertThat(prefix.chars()).allMatch(c -> c > 0x20 && c < 0x7f);
            });
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("pvc-0f9a7c1e-aa", "pvc-1", "PVC_Upper", "x")),
        Tuple.of(2, nasty().filter(name -> !name.isEmpty())));
  }

  @Provide
  Arbitrary<Map<String, String>> parameters() {
    Map<String, Arbitrary<String>> byKey =
        Map.ofEntries(
            Map.entry(
                StorageClassParameters.PROVISIONING_MODE,
                Arbitraries.of("bucket", "prefix", "Prefix", " ", "buckets")),
            Map.entry(
                StorageClassParameters.BUCKET_NAME,
                Arbitraries.of("shared-bucket", "shared.bucket", "a..b", "Shared", "")),
            Map.entry(
                StorageClassParameters.BUCKET_NAME_PREFIX,
                Arbitraries.of("team-a-", "t", "xn--", "sthree-", "-a", "a--b", "")),
            Map.entry(
                StorageClassParameters.NAME_TEMPLATE,
                Arbitraries.frequencyOf(
                    Tuple.of(
                        3,
                        Arbitraries.of(
                            "${pv.name}",
                            "${pvc.namespace}/${pvc.name}",
                            "${ pvc.name }-data",
                            "x/${pv.name}/../y")),
                    Tuple.of(2, nasty()))),
            Map.entry(
                StorageClassParameters.DELETE_POLICY,
                Arbitraries.of("retain", "delete", "deleteIfEmpty", "DELETE", "purge")),
            Map.entry("endpointUrl", Arbitraries.of("https://minio:9000", "ftp://x", "http://u@h")),
            Map.entry("region", Arbitraries.of("us-east-1", "US")),
            Map.entry("pathStyle", Arbitraries.of("true", "no")),
            Map.entry("fuseClient", Arbitraries.of("s3fs", "goofys")),
            Map.entry("authenticationSource", Arbitraries.of("driver", "Secret", "web")),
            Map.entry("stsRegion", Arbitraries.of("us-west-2", "")),
            Map.entry(StorageClassParameters.PV_NAME_KEY, Arbitraries.oneOf(nasty(), names())),
            Map.entry(StorageClassParameters.PVC_NAME_KEY, Arbitraries.oneOf(nasty(), names())),
            Map.entry(
                StorageClassParameters.PVC_NAMESPACE_KEY, Arbitraries.oneOf(nasty(), names())));
    Arbitrary<Map<String, String>> known =
        Arbitraries.subsetOf(byKey.keySet())
            .map(List::copyOf)
            .flatMap(
                keys ->
                    Combinators.combine(keys.stream().map(byKey::get).toList())
                        .as(
                            values -> {
                              Map<String, String> params = new HashMap<>();
                              for (int i = 0; i < keys.size(); i++) {
                                params.put(keys.get(i), values.get(i));
                              }
                              return params;
                            }));
    Arbitrary<String> strangeKeys =
        Arbitraries.oneOf(
            nasty(),
            Arbitraries.of("", " ", "csi.storage.k8s.io/provisioner-secret-name", "bucketname"));
    Arbitrary<Map<String, String>> strange = Arbitraries.maps(strangeKeys, nasty()).ofMaxSize(3);
    return Arbitraries.frequencyOf(
        Tuple.of(6, known),
        Tuple.of(
            1,
            Combinators.combine(known, strange)
                .as(
                    (a, b) -> {
                      Map<String, String> merged = new HashMap<>(a);
                      merged.putAll(b);
                      return merged;
                    })));
  }

  private static Arbitrary<String> nasty() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.strings().all().ofMaxLength(16)),
        Tuple.of(
            3, Arbitraries.of(FRAGMENTS).list().ofMaxSize(6).map(parts -> String.join("", parts))),
        Tuple.of(
            1,
            Arbitraries.strings()
                .withChars("ab-/.")
                .ofMinLength(1)
                .ofMaxLength(6)
                .map(s -> s.repeat(600))));
  }
}
