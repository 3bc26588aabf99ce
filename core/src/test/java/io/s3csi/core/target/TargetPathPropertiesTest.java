package io.s3csi.core.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.List;
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
 * Properties of {@link TargetPath#parse} over hostile paths: {@code ..}, {@code .}, {@code //},
 * control characters, NUL, unpaired surrogates and other unicode, very long paths, relative paths
 * and paths beside or above the kubelet root.
 */
class TargetPathPropertiesTest {

  private static final List<String> SEGMENTS =
      List.of(
          "var",
          "lib",
          "kubelet",
          "kubelet2",
          "pods",
          "0f9a7c1e-aa",
          "volumes",
          "kubernetes.io~csi",
          "pv-photos",
          "mount",
          "x y",
          "\u00e9t\u00e9",
          "\ud83d\ude00",
          "a..b",
          "..",
          ".",
          "",
          " ",
          "\n",
          "\0",
          "\t",
          "\u007f",
          "\ud800",
          "\u2028",
          "\\",
          "%2e%2e");

  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReportMode.OFF)
  void parse_anyPath_isANormalizedPathStrictlyUnderTheRootOrInvalidArgument(
      @ForAll("paths") String raw, @ForAll("roots") Path root) {
    Statistics.label("outcome").coverage(c -> c.check("parsed").percentage(p -> p > 10));
    Statistics.label("outcome").coverage(c -> c.check("invalid").percentage(p -> p > 10));
    TargetPath target;
    try {
      target = TargetPath.parse("target_path", raw, root);
    } catch (RuntimeException e) {
      assertThat(e).isInstanceOf(InvalidArgumentException.class);
      InvalidArgumentException invalid = (InvalidArgumentException) e;
      assertThat(invalid.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
      assertThat(invalid.field()).isEqualTo("target_path");
      assertThat(invalid.reason()).isNotBlank();
      Statistics.label("outcome").collect("invalid");
      return;
    }
    Statistics.label("outcome").collect("parsed");
    Path path = target.path();
    assertThat(path.isAbsolute()).isTrue();
    assertThat(path).isEqualTo(path.normalize());
    assertThat(path.startsWith(root.normalize())).isTrue();
    assertThat(path).isNotEqualTo(root.normalize());
    assertThat(target.kubeletRoot()).isEqualTo(root.normalize());
    assertThat(path.toString()).doesNotContain("\0", "\n", "//").isEqualTo(target.toString());
    target.podUid().ifPresent(uid -> assertThat(uid).matches("[0-9a-fA-F-]+"));
    target.volumeName().ifPresent(name -> assertThat(name).doesNotContain("/", ".."));
  }

  @Provide
  Arbitrary<Path> roots() {
    return Arbitraries.of(
        Path.of("/var/lib/kubelet"),
        Path.of("/var/lib/kubelet/"),
        Path.of("/var/lib/../lib/kubelet"),
        Path.of("/data/k8s/kubelet/./"));
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> underRoot =
        Combinators.combine(
                Arbitraries.of(
                    "/var/lib/kubelet", "/var/lib/kubelet/", "/data/k8s/kubelet", "/var/lib", ""),
                Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.of(SEGMENTS.subList(0, 14))),
                        Tuple.of(1, Arbitraries.of(SEGMENTS.subList(14, SEGMENTS.size()))),
                        Tuple.of(1, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8)))
                    .list()
                    .ofMaxSize(7),
                Arbitraries.of("", "", "/", "//"))
            .as((head, segments, tail) -> head + "/" + String.join("/", segments) + tail);
    Arbitrary<String> kubeletLayout =
        Combinators.combine(
                Arbitraries.of("0f9a7c1e-0000-4000-8000-00000000abcd", "xyz", ".."),
                Arbitraries.of("pv-photos", "-dash", "a b", "\u00e9"))
            .as(
                (uid, name) ->
                    "/var/lib/kubelet/pods/"
                        + uid
                        + "/volumes/kubernetes.io~csi/"
                        + name
                        + "/mount");
    return Arbitraries.frequencyOf(
        Tuple.of(5, underRoot),
        Tuple.of(2, kubeletLayout),
        Tuple.of(2, Arbitraries.strings().all().ofMaxLength(24)),
        Tuple.of(
            1,
            // around PATH_MAX, counted in UTF-8 bytes: "\u00e9" takes two
            Combinators.combine(
                    Arbitraries.of("ab/", "\u00e9\u00e9/", "a"),
                    Arbitraries.integers().between(3900, 4200))
                .as(
                    (segment, length) ->
                        "/var/lib/kubelet/" + segment.repeat(length / segment.length()) + "x")));
  }
}
