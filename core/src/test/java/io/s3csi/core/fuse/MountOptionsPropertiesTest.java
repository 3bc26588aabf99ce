package io.s3csi.core.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.credentials.InstanceCredentials;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
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
 * Properties of {@link MountOptions#parse} and of the command lines built from what it keeps: no
 * spelling of a mount flag gets a denied option, a comma, a line break or a dash-led value past the
 * parser, and the argv of every client carries only the driver's own flags and the kept options.
 */
class MountOptionsPropertiesTest {

  /**
   * Options no volume may set, written out here rather than read from {@link OptionRules}, so that
   * moving one of them to an allow-list fails this test.
   */
  private static final Set<String> DENIED =
      Set.of(
          "endpoint-url",
          "url",
          "s3-endpoint",
          "host",
          "bucket",
          "profile",
          "s3-profile",
          "passwd-file",
          "credlib",
          "iam-role",
          "ecs",
          "s3-access-key-id",
          "s3-secret-access-key",
          "s3-session-token",
          "s3-env-auth",
          "s3-shared-credentials-file",
          "config",
          "cache",
          "cache-dir",
          "tmpdir",
          "log-directory",
          "log-file",
          "foreground",
          "f",
          "daemon",
          "background",
          "rc",
          "rc-addr");

  private static final List<String> ALLOWED_SAMPLE =
      List.of(
          "allow-delete",
          "allow-other",
          "allow-root",
          "uid",
          "gid",
          "dir-mode",
          "file-mode",
          "debug",
          "umask",
          "nonempty",
          "use-sse",
          "vfs-cache-mode",
          "vfs-write-back",
          "s3-chunk-size",
          "storage-class",
          "max-threads",
          "sigv2",
          "dbglevel",
          "ro",
          "rw",
          "read-only",
          "region",
          "s3-region",
          "prefix",
          "force-path-style",
          "use-path-request-style");

  private static final List<String> NASTY_FRAGMENTS =
      List.of(
          ",",
          "=",
          " ",
          "-",
          "--",
          "-o",
          "\n",
          "\r",
          "\0",
          "\t",
          "\u00a0",
          "..",
          "//",
          "/",
          "'",
          "\"",
          "\u00e9",
          "\ud83d\ude00",
          "\u2028",
          "http://evil:9000",
          "0777",
          "1000",
          "a,url=x",
          "endpoint_url=x");

  /** Flags mount-s3 receives from the driver itself. */
  private static final Set<String> MOUNT_S3_DRIVER_FLAGS =
      Set.of(
          "foreground",
          "prefix",
          "region",
          "endpoint-url",
          "force-path-style",
          "read-only",
          "allow-other",
          "gid",
          "dir-mode",
          "file-mode");

  /** {@code -o} options s3fs receives from the driver itself. */
  private static final Set<String> S3FS_DRIVER_OPTIONS =
      Set.of(
          "url",
          "endpoint",
          "use_path_request_style",
          "ro",
          "allow_other",
          "gid",
          "sigv4",
          "umask",
          "iam_role");

  /** Flags rclone receives from the driver itself. */
  private static final Set<String> RCLONE_DRIVER_FLAGS =
      Set.of(
          "config",
          "cache-dir",
          "vfs-cache-mode",
          "vfs-write-back",
          "umask",
          "read-only",
          "allow-other",
          "gid");

  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReportMode.OFF)
  void parse_anyFlags_keepsOnlySafeOptionsOrThrowsInvalidArgument(
      @ForAll FuseClient client, @ForAll("flags") List<String> flags) {
    Statistics.label("outcome").coverage(c -> c.check("parsed").percentage(p -> p > 10));
    Statistics.label("outcome").coverage(c -> c.check("invalid").percentage(p -> p > 10));
    MountOptions options;
    try {
      options = MountOptions.parse(client, flags);
    } catch (RuntimeException e) {
      assertInvalidArgument(e);
      Statistics.label("outcome").collect("invalid");
      return;
    }
    Statistics.label("outcome").collect("parsed");
    assertThat(options.client()).isEqualTo(client);
    for (MountOption option : options.options()) {
      assertThat(option.name()).matches("[a-z0-9][a-z0-9-]*").isNotIn(DENIED);
      assertThat(OptionRules.allowed(client)).containsKey(option.name());
      option
          .value()
          .ifPresent(
              value ->
                  assertThat(value)
                      .isNotEmpty()
                      .doesNotContain(",", "\n", "\r", "\0", " ")
                      .doesNotStartWith("-"));
    }
    assertThat(options.options().stream().map(MountOption::name)).doesNotHaveDuplicates();
    options.region().ifPresent(r -> assertThat(r).matches("[a-z0-9][a-z0-9-]*"));
    options
        .prefix()
        .ifPresent(
            prefix -> {
              assertThat(prefix).endsWith("/").doesNotStartWith("/");
              assertThat(prefix.substring(0, prefix.length() - 1).split("/", -1))
                  .doesNotContain("", ".", "..");
            });
  }

  @Property(tries = 1500, edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(StatisticsReportMode.OFF)
  void forSpec_parsedOptions_argvCarriesOnlyDriverFlagsAndKeptOptions(
      @ForAll FuseClient client,
      @ForAll("flags") List<String> flags,
      @ForAll("endpoints") Optional<URI> endpoint,
      @ForAll("mountGroups") Optional<String> mountGroup) {
    Statistics.label("outcome").coverage(c -> c.check("rendered").percentage(p -> p > 10));
    MountOptions options;
    try {
      options = MountOptions.parse(client, flags);
    } catch (InvalidArgumentException e) {
      Statistics.label("outcome").collect("invalid");
      return; // the first property covers rejections
    }
    Statistics.label("outcome").collect("rendered");
    MountSpec spec =
        new MountSpec(
            Specs.VOLUME,
            Specs.TARGET,
            "photos-bucket",
            options.prefix(),
            client,
            endpoint,
            options.region(),
            Optional.empty(),
            options.pathStyle(),
            options.readOnly(),
            options,
            new InstanceCredentials(),
            mountGroup);
    List<String> argv = FuseCommand.forSpec(spec, Specs.DIR).argv();

    assertThat(argv).allSatisfy(arg -> assertThat(arg).doesNotContain("\n", "\r", "\0"));
    Set<String> kept = new HashSet<>();
    options.options().forEach(o -> kept.add(o.name()));
    List<String> names =
        switch (client) {
          case MOUNT_S3 -> dashedNames(argv, List.of("mount-s3", "photos-bucket"), 3);
          case RCLONE -> dashedNames(argv, List.of("rclone", "mount"), 4);
          case S3FS -> s3fsNames(argv);
        };
    assertThat(names).doesNotHaveDuplicates();
    for (String name : names) {
      switch (client) {
        case MOUNT_S3 -> assertThat(name).isIn(union(MOUNT_S3_DRIVER_FLAGS, kept));
        case RCLONE -> assertThat(name).isIn(union(RCLONE_DRIVER_FLAGS, kept));
        case S3FS -> assertThat(name).isIn(union(S3FS_DRIVER_OPTIONS, underscored(kept)));
      }
    }
    String endpointFlag = client == FuseClient.MOUNT_S3 ? "--endpoint-url" : "--endpoint-url=";
    assertThat(argv.stream().filter(arg -> arg.startsWith(endpointFlag)))
        .containsExactlyElementsOf(
            client == FuseClient.MOUNT_S3
                ? endpoint.map(e -> "--endpoint-url=" + e).stream().toList()
                : List.of());
    if (client == FuseClient.S3FS) {
      List<String> urls = argv.stream().filter(arg -> arg.startsWith("url=")).toList();
      assertThat(urls).hasSize(1);
      endpoint.ifPresent(e -> assertThat(urls).containsExactly("url=" + e));
    }
  }

  /**
   * Returns the names of the dashed flags after the fixed leading words, checking that each
   * argument there is a {@code --name[=value]} flag and never a bare word or a short option.
   */
  private static List<String> dashedNames(List<String> argv, List<String> head, int positional) {
    assertThat(argv.subList(0, head.size())).isEqualTo(head);
    List<String> names = new ArrayList<>();
    for (String arg : argv.subList(positional, argv.size())) {
      assertThat(arg).startsWith("--");
      int eq = arg.indexOf('=');
      names.add(eq < 0 ? arg.substring(2) : arg.substring(2, eq));
    }
    return names;
  }

  /** Returns the names of s3fs's {@code -o} options, checking that none carries a comma. */
  private static List<String> s3fsNames(List<String> argv) {
    assertThat(argv.subList(0, 2)).containsExactly("s3fs", "photos-bucket");
    assertThat(argv.get(3)).isEqualTo("-f");
    List<String> names = new ArrayList<>();
    List<String> rest = argv.subList(4, argv.size());
    assertThat(rest.size() % 2).isZero();
    for (int i = 0; i < rest.size(); i += 2) {
      assertThat(rest.get(i)).isEqualTo("-o");
      String option = rest.get(i + 1);
      assertThat(option).doesNotContain(",").doesNotStartWith("-");
      int eq = option.indexOf('=');
      names.add(eq < 0 ? option : option.substring(0, eq));
    }
    return names;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static Set<String> underscored(Set<String> names) {
    Set<String> out = new HashSet<>();
    names.forEach(n -> out.add(n.replace('-', '_')));
    return out;
  }

  private static void assertInvalidArgument(Throwable thrown) {
    assertThat(thrown).isInstanceOf(InvalidArgumentException.class);
    InvalidArgumentException e = (InvalidArgumentException) thrown;
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    assertThat(e.field()).isEqualTo(MountOptions.FIELD);
    assertThat(e.reason()).isNotBlank();
  }

  @Provide
  Arbitrary<List<String>> flags() {
    return Arbitraries.frequencyOf(
            Tuple.of(6, wellFormedFlag()),
            Tuple.of(2, Combinators.combine(wellFormedFlag(), wellFormedFlag()).as(this::run)),
            Tuple.of(1, nasty()))
        .list()
        .ofMaxSize(5);
  }

  @Provide
  Arbitrary<Optional<URI>> endpoints() {
    return Arbitraries.of("https://minio.example:9000", "http://10.0.0.1:9000/path")
        .map(URI::create)
        .optional(0.5);
  }

  @Provide
  Arbitrary<Optional<String>> mountGroups() {
    return Arbitraries.of("1000", "65534").optional(0.5);
  }

  /** Two flags written as one command-line run: {@code --a x --b}, or {@code -o a,b}. */
  private String run(String first, String second) {
    String a = first.replaceFirst("^-+(o )?", "");
    String b = second.replaceFirst("^-+(o )?", "");
    return Math.floorMod(first.hashCode(), 2) == 0
        ? "--" + a.replace('=', ' ') + " --" + b
        : "-o " + a + "," + b;
  }

  /** One option in any of the spellings the parser accepts, with a hostile value sometimes. */
  private Arbitrary<String> wellFormedFlag() {
    Arbitrary<String> names =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.of(ALLOWED_SAMPLE)),
            Tuple.of(2, Arbitraries.of(DENIED)),
            Tuple.of(1, Arbitraries.strings().withChars("abz-_").ofMinLength(1).ofMaxLength(8)));
    Arbitrary<String> spelled =
        Combinators.combine(
                names,
                Arbitraries.of("", "-", "--", "-o "),
                Arbitraries.of(false, true),
                Arbitraries.of(false, true))
            .as(
                (name, dash, underscores, upper) -> {
                  String n = underscores ? name.replace('-', '_') : name;
                  return dash + (upper ? n.toUpperCase(Locale.ROOT) : n);
                });
    Arbitrary<String> values =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.of("1000", "0777", "us-east-1", "a/b/", "true", "0", "x.y")),
            Tuple.of(2, nasty()),
            Tuple.of(1, Arbitraries.of("", "-1", "--endpoint-url=http://evil", "a,url=x")));
    return Arbitraries.frequencyOf(
        Tuple.of(3, spelled),
        Tuple.of(3, Combinators.combine(spelled, values).as((name, value) -> name + "=" + value)),
        Tuple.of(2, Combinators.combine(spelled, values).as((name, value) -> name + " " + value)));
  }

  private static Arbitrary<String> nasty() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().all().ofMaxLength(16)),
        Tuple.of(4, Arbitraries.of(NASTY_FRAGMENTS).list().ofMaxSize(6).map(String::valueOf)),
        Tuple.of(
            4,
            Arbitraries.of(NASTY_FRAGMENTS)
                .list()
                .ofMaxSize(6)
                .map(parts -> String.join("", parts))),
        Tuple.of(
            1,
            Arbitraries.strings()
                .withChars("a-=,")
                .ofMinLength(1)
                .ofMaxLength(6)
                .map(s -> s.repeat(500))));
  }
}
