package io.s3csi.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VolumeMarkerTest {
  private static final Location LOCATION = new Location("shared", Optional.of("pvc-1/"));

  @Test
  void toMetadata_thenFromMetadata_roundTrips() {
    VolumeMarker marker =
        new VolumeMarker(
            "pvc-1",
            new TreeMap<>(
                Map.of(
                    "bucketName", "shared",
                    "endpointUrl", "https://s3.example/a;b=c&d",
                    "deletePolicy", "delete")),
            1 << 30);

    Map<String, String> metadata = marker.toMetadata();

    assertThat(metadata)
        .containsEntry("s3csi-volume", "pvc-1")
        .containsEntry("s3csi-format", "1")
        .containsEntry("s3csi-capacity-bytes", "1073741824");
    assertThat(metadata.values()).allMatch(v -> v.chars().allMatch(c -> c > 0x20 && c < 0x7f));
    assertThat(VolumeMarker.fromMetadata(LOCATION, metadata)).hasValue(marker);
  }

  @Test
  void fromMetadata_objectWithoutS3csiMetadata_isNoMarker() {
    assertThat(VolumeMarker.fromMetadata(LOCATION, Map.of())).isEmpty();
    assertThat(VolumeMarker.fromMetadata(LOCATION, Map.of("owner", "someone"))).isEmpty();
  }

  @Test
  void fromMetadata_damagedMarker_isFailedPrecondition() {
    Map<String, String> metadata =
        new HashMap<>(new VolumeMarker("pvc-1", new TreeMap<>(), 0).toMetadata());
    metadata.put("s3csi-capacity-bytes", "lots");

    assertThatThrownBy(() -> VolumeMarker.fromMetadata(LOCATION, metadata))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
        .hasMessage(
            "the s3csi marker pvc-1/ in bucket shared is damaged (For input string: \"lots\");"
                + " repair or remove it by hand");
  }

  @Test
  void differingParameters_listsChangedAddedAndRemovedKeys() {
    VolumeMarker before =
        new VolumeMarker("v", new TreeMap<>(Map.of("a", "1", "b", "2", "c", "3")), 0);
    VolumeMarker after =
        new VolumeMarker("v", new TreeMap<>(Map.of("a", "1", "b", "9", "d", "4")), 0);

    assertThat(before.differingParameters(after)).containsExactly("b", "c", "d");
    assertThat(before.differingParameters(before)).isEmpty();
  }
}
