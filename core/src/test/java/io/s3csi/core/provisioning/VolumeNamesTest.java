package io.s3csi.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeNamesTest {
  /** Lowercase letters, digits, single hyphens; starts and ends with a letter or digit. */
  private static final Pattern SAFE_BUCKET = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  @ParameterizedTest
  @CsvSource({
    "'', pvc-0f9e2c9c-8a7d-4c1b-9d55-2f1f9a0e5b61, pvc-0f9e2c9c-8a7d-4c1b-9d55-2f1f9a0e5b61",
    "team-, pvc-1, team-pvc-1",
    "team, 42, team42",
    "'', abc, abc"
  })
  void bucketName_validInput_isKeptAsIs(String prefix, String name, String expected) {
    assertThat(VolumeNames.bucketName(prefix, name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "'', Team.A_data, team-a-data-",
    "'', ab, ab-",
    "'', a, a-",
    "'', --x--, x-",
    "'', sthree-bucket, v-sthree-bucket-",
    "'', amzn-s3-demo-x, v-amzn-s3-demo-x-",
    "'', data-s3alias, data-s3alias-",
    "acme-, ___, acme-"
  })
  void bucketName_changedOrShortInput_getsAHashSuffix(
      String prefix, String name, String expectedStart) {
    String bucket = VolumeNames.bucketName(prefix, name);

    assertThat(bucket).startsWith(expectedStart).matches(SAFE_BUCKET).hasSizeBetween(3, 63);
    assertThat(bucket.substring(bucket.length() - 8)).matches("[0-9a-f]{8}");
  }

  @Test
  void bucketName_sameInput_isTheSameName() {
    assertThat(VolumeNames.bucketName("team-", "My Volume"))
        .isEqualTo(VolumeNames.bucketName("team-", "My Volume"));
  }

  @Test
  void bucketName_inputsThatSanitizeAlike_stayDistinct() {
    assertThat(VolumeNames.bucketName("", "team.a"))
        .isNotEqualTo(VolumeNames.bucketName("", "team_a"));
    assertThat(VolumeNames.bucketName("", "Team-A"))
        .isNotEqualTo(VolumeNames.bucketName("", "team-a"));
  }

  @Test
  void bucketName_longNames_areCutTo63WithAHashThatKeepsThemDistinct() {
    String common = "namespace-with-a-rather-long-name-" + "x".repeat(40);
    String first = VolumeNames.bucketName("acme-", common + "-one");
    String second = VolumeNames.bucketName("acme-", common + "-two");

    assertThat(first).hasSize(63).startsWith("acme-namespace-with").matches(SAFE_BUCKET);
    assertThat(second).hasSize(63);
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void bucketName_manyGeneratedInputs_areAllValidAndDistinct() {
    Set<String> names = new HashSet<>();
    IntStream.range(0, 2000)
        .mapToObj(i -> "Namespace_" + (i % 7) + "/PVC.name-" + i + "x".repeat(i % 90))
        .forEach(
            name -> {
              String bucket = VolumeNames.bucketName("s3csi-", name);
              assertThat(bucket).matches(SAFE_BUCKET).hasSizeBetween(3, 63);
              names.add(bucket);
            });

    assertThat(names).hasSize(2000);
  }

  @ParameterizedTest
  @CsvSource({"pvc-1, pvc-1/", "team-a/data, team-a/data/", "a/b/c, a/b/c/"})
  void prefix_validInput_isKeptWithATrailingSlash(String name, String expected) {
    assertThat(VolumeNames.prefix(name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"Team A/Data, team-a/data-", "a//b, a/b-", "/a, a-", "../x, x-", "'///', ''"})
  void prefix_changedInput_getsAHashOnTheLastSegment(String name, String expectedStart) {
    String prefix = VolumeNames.prefix(name);

    assertThat(prefix).startsWith(expectedStart).endsWith("/").doesNotContain("//");
    assertThat(prefix.substring(prefix.length() - 9, prefix.length() - 1)).matches("[0-9a-f]{8}");
  }

  @Test
  void prefix_longName_isCutWithAHash() {
    String prefix = VolumeNames.prefix("a".repeat(300));

    assertThat(prefix).hasSize(257).endsWith("/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"my.bucket", "abc", "a-b.c-d", "0123456789"})
  void checkExistingBucket_validNames_pass(String name) {
    assertThat(VolumeNames.checkExistingBucket("bucketName", name)).isEqualTo(name);
  }
}
