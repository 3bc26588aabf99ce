package io.s3csi.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.InvalidArgumentException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeIdTest {
  private static final String NAME = "pvc-0f9e2c9c-8a7d-4c1b-9d55-2f1f9a0e5b61";

  @Test
  void format_bucketOnAws_isShortAndReadable() {
    VolumeId id =
        VolumeId.of(
            NAME,
            DeletePolicy.DELETE,
            new Location(NAME, Optional.empty()),
            Optional.empty(),
            Optional.of("eu-west-1"),
            false);

    assertThat(id.format())
        .matches("s3csi:1:delete:[0-9a-f]{12}:" + NAME + ";region=eu-west-1")
        .hasSizeLessThan(128);
  }

  @Test
  void format_thenParse_roundTripsEveryPart() {
    VolumeId id =
        VolumeId.of(
            NAME,
            DeletePolicy.DELETE_IF_EMPTY,
            new Location("shared.bucket", Optional.of("team-a/data/")),
            Optional.of(URI.create("http://minio.minio.svc:9000/s3;x=1")),
            Optional.of("us-east-1"),
            true);

    String text = id.format();

    assertThat(text)
        .startsWith("s3csi:1:deleteIfEmpty:")
        .endsWith(
            ":shared.bucket/team-a/data;endpoint=http://minio.minio.svc:9000/s3%3Bx%3D1"
                + ";region=us-east-1;pathStyle=true");
    assertThat(VolumeId.parse(text)).hasValue(id);
    assertThat(id.belongsTo(NAME)).isTrue();
    assertThat(id.belongsTo(NAME + "x")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"my-bucket", "my-bucket/some/prefix", "pvc-1", ""})
  void parse_staticVolumeHandles_areNotS3csiIds(String handle) {
    assertThat(VolumeId.parse(handle)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "s3csi:1:delete|expected s3csi:1:<deletePolicy>:<hash>:<bucket>[/<prefix>][;...]",
        "s3csi:2:delete:0123456789ab:b-1|version 2 is not known to this driver; upgrade it",
        "s3csi:1:purge:0123456789ab:b-1|must be one of retain, deleteIfEmpty, delete (was"
            + " 'purge')",
        "s3csi:1:delete:xyz:b-1|nameHash must be 12 hex digits: xyz",
        "s3csi:1:delete:0123456789ab:B_1|'B_1' is not a valid S3 bucket name (3-63 characters:"
            + " lowercase letters, digits, dots and hyphens, starting and ending with a letter or"
            + " digit)",
        "s3csi:1:delete:0123456789ab:b-1;colour=red|unknown option 'colour'",
        "s3csi:1:delete:0123456789ab:b-1;endpoint=ftp://x|must be an http:// or https:// URL",
        "s3csi:1:delete:0123456789ab:b-1;region=%zz|malformed escape at position 0"
      })
  void parse_malformedS3csiId_isInvalidArgumentOnVolumeId(String id, String reason) {
    assertThatThrownBy(() -> VolumeId.parse(id))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("volume_id"))
        .hasMessage("volume_id: '" + id + "' is not a valid s3csi volume id: " + reason);
  }
}
