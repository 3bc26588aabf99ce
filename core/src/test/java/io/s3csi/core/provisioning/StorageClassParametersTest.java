package io.s3csi.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.volume.AuthenticationSource;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StorageClassParametersTest {

  @Test
  void parse_noParameters_isBucketModeRetainWithTheDefaultTemplate() {
    StorageClassParameters params = StorageClassParameters.parse(Map.of());

    assertThat(params.mode()).isEqualTo(ProvisioningMode.BUCKET);
    assertThat(params.deletePolicy()).isEqualTo(DeletePolicy.RETAIN);
    assertThat(params.nameTemplate()).isEqualTo(NameTemplate.DEFAULT);
    assertThat(params.bucketName()).isEmpty();
    assertThat(params.bucketNamePrefix()).isEmpty();
    assertThat(params.endpointUrl()).isEmpty();
    assertThat(params.region()).isEmpty();
    assertThat(params.pathStyle()).isEmpty();
  }

  @Test
  void parse_everyParameter_isTyped() {
    StorageClassParameters params =
        StorageClassParameters.parse(
            Map.ofEntries(
                Map.entry("provisioningMode", "prefix"),
                Map.entry("bucketName", "shared.bucket"),
                Map.entry("nameTemplate", "${pvc.namespace}/${pvc.name}"),
                Map.entry("deletePolicy", "deleteIfEmpty"),
                Map.entry("endpointUrl", "https://minio.example:9000"),
                Map.entry("region", "eu-west-1"),
                Map.entry("pathStyle", "TRUE"),
                Map.entry("fuseClient", "rclone"),
                Map.entry("authenticationSource", "secret"),
                Map.entry("stsRegion", "us-east-1"),
                Map.entry("csi.storage.k8s.io/pv/name", "pvc-1"),
                Map.entry("csi.storage.k8s.io/pvc/name", "data"),
                Map.entry("csi.storage.k8s.io/pvc/namespace", "team-a")));

    assertThat(params)
        .isEqualTo(
            new StorageClassParameters(
                ProvisioningMode.PREFIX,
                Optional.of("shared.bucket"),
                "",
                new NameTemplate("${pvc.namespace}/${pvc.name}"),
                DeletePolicy.DELETE_IF_EMPTY,
                Optional.of(URI.create("https://minio.example:9000")),
                Optional.of("eu-west-1"),
                Optional.of(true),
                Optional.of(FuseClient.RCLONE),
                Optional.of(AuthenticationSource.SECRET),
                Optional.of("us-east-1"),
                Optional.of("pvc-1"),
                Optional.of("data"),
                Optional.of("team-a")));
  }

  @Test
  void parse_bucketNameWithoutMode_isPrefixMode() {
    assertThat(StorageClassParameters.parse(Map.of("bucketName", "shared")).mode())
        .isEqualTo(ProvisioningMode.PREFIX);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "csi.storage.k8s.io/provisioner-secret-name",
        "csi.storage.k8s.io/provisioner-secret-namespace",
        "csi.storage.k8s.io/node-publish-secret-name",
        "csi.storage.k8s.io/node-publish-secret-namespace",
        "csi.storage.k8s.io/controller-expand-secret-name",
        "csi.storage.k8s.io/fstype"
      })
  void parse_kubernetesKeys_areAccepted(String key) {
    assertThat(StorageClassParameters.parse(Map.of(key, "x")).mode())
        .isEqualTo(ProvisioningMode.BUCKET);
  }

  @Test
  void parse_blankValues_countAsUnset() {
    StorageClassParameters params =
        StorageClassParameters.parse(Map.of("region", " ", "deletePolicy", "", "bucketName", ""));

    assertThat(params.region()).isEmpty();
    assertThat(params.deletePolicy()).isEqualTo(DeletePolicy.RETAIN);
    assertThat(params.mode()).isEqualTo(ProvisioningMode.BUCKET);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bucketname|x|bucketname: unknown StorageClass parameter; known parameters are"
            + " authenticationSource, bucketName, bucketNamePrefix, deletePolicy, endpointUrl,"
            + " fuseClient, nameTemplate, pathStyle, provisioningMode, region, stsRegion and"
            + " csi.storage.k8s.io/*",
        "provisioningMode|volume|provisioningMode: must be bucket or prefix (was 'volume')",
        "deletePolicy|purge|deletePolicy: must be one of retain, deleteIfEmpty, delete (was"
            + " 'purge')",
        "bucketName|Shared_Bucket|bucketName: 'Shared_Bucket' is not a valid S3 bucket name"
            + " (3-63 characters: lowercase letters, digits, dots and hyphens, starting and"
            + " ending with a letter or digit)",
        "bucketNamePrefix|Team_|bucketNamePrefix: must be at most 40 characters of lowercase"
            + " letters, digits and single hyphens, starting with a letter or digit and not with"
            + " a prefix S3 reserves (was 'Team_')",
        "bucketNamePrefix|a--b|bucketNamePrefix: must be at most 40 characters of lowercase"
            + " letters, digits and single hyphens, starting with a letter or digit and not with"
            + " a prefix S3 reserves (was 'a--b')",
        "bucketNamePrefix|sthree-x|bucketNamePrefix: must be at most 40 characters of lowercase"
            + " letters, digits and single hyphens, starting with a letter or digit and not with"
            + " a prefix S3 reserves (was 'sthree-x')",
        "nameTemplate|${pvc.uid}|nameTemplate: unknown variable ${pvc.uid}; known variables are"
            + " ${pv.name}, ${pvc.name} and ${pvc.namespace}",
        "nameTemplate|vol-${pv.name|nameTemplate: has an unterminated variable at position 4:"
            + " 'vol-${pv.name'",
        "nameTemplate|fixed|nameTemplate: must use ${pv.name}, ${pvc.name} or ${pvc.namespace}; a"
            + " constant name would give every volume the same bucket or prefix",
        "endpointUrl|ftp://x|endpointUrl: must be an http:// or https:// URL",
        "endpointUrl|https://user:pw@minio|endpointUrl: must not carry credentials; use a"
            + " node-publish secret or the driver's identity",
        "region|EU West|region: must be a region name such as us-east-1 (lowercase letters,"
            + " digits, hyphens)",
        "pathStyle|yes|pathStyle: must be true or false",
        "fuseClient|goofys|fuseClient: unknown FUSE client 'goofys'; supported: mount-s3, s3fs,"
            + " rclone",
        "authenticationSource|irsa|authenticationSource: must be one of driver, secret, pod (was"
            + " 'irsa')",
        "stsRegion|Mars|stsRegion: must be a region name such as us-east-1 (lowercase letters,"
            + " digits, hyphens)"
      })
  void parse_badParameter_isInvalidArgumentNamingIt(String key, String value, String message) {
    assertThatThrownBy(() -> StorageClassParameters.parse(Map.of(key, value)))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo(key))
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "provisioningMode=prefix|bucketName|bucketName: required with provisioningMode prefix:"
            + " the existing bucket that holds the volumes' prefixes",
        "provisioningMode=bucket,bucketName=shared|bucketName|bucketName: only applies to"
            + " provisioningMode prefix; in provisioningMode bucket each volume gets a bucket of"
            + " its own, named from bucketNamePrefix and nameTemplate",
        "bucketName=shared,bucketNamePrefix=team-|bucketNamePrefix|bucketNamePrefix: only applies"
            + " to provisioningMode bucket"
      })
  void parse_parametersThatDoNotFitTheMode_areRejected(String pairs, String field, String message) {
    Map<String, String> params = new HashMap<>();
    for (String pair : pairs.split(",")) {
      String[] kv = pair.split("=");
      params.put(kv[0], kv[1]);
    }

    assertThatThrownBy(() -> StorageClassParameters.parse(params))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessage(message);
  }

  @Test
  void location_bucketMode_isThePrefixedVolumeName() {
    Location location =
        StorageClassParameters.parse(Map.of("bucketNamePrefix", "team-"))
            .location("pvc-0f9e2c9c-8a7d-4c1b-9d55-2f1f9a0e5b61");

    assertThat(location)
        .isEqualTo(new Location("team-pvc-0f9e2c9c-8a7d-4c1b-9d55-2f1f9a0e5b61", Optional.empty()));
    assertThat(location.markerKey()).isEqualTo(".s3csi-volume");
  }

  @Test
  void location_prefixModeWithPvcTemplate_groupsByNamespace() {
    Location location =
        StorageClassParameters.parse(
                Map.of(
                    "bucketName", "shared",
                    "nameTemplate", "${pvc.namespace}/${pvc.name}",
                    "csi.storage.k8s.io/pvc/name", "data",
                    "csi.storage.k8s.io/pvc/namespace", "team-a"))
            .location("pvc-1");

    assertThat(location).isEqualTo(new Location("shared", Optional.of("team-a/data/")));
    assertThat(location.markerKey()).isEqualTo("team-a/data/");
    assertThat(location).hasToString("s3://shared/team-a/data/");
  }

  @Test
  void location_pvNameMetadata_winsOverTheRequestName() {
    Location location =
        StorageClassParameters.parse(Map.of("csi.storage.k8s.io/pv/name", "pv-from-metadata"))
            .location("pvc-request");

    assertThat(location.bucket()).isEqualTo("pv-from-metadata");
  }

  @Test
  void location_templateNeedsMetadataTheRequestLacks_isInvalidArgument() {
    StorageClassParameters params =
        StorageClassParameters.parse(Map.of("nameTemplate", "${pvc.namespace}-${pv.name}"));

    assertThatThrownBy(() -> params.location("pvc-1"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage(
            "nameTemplate: uses ${pvc.namespace} but the request carries no"
                + " csi.storage.k8s.io/pvc/namespace; run the csi-provisioner sidecar with"
                + " --extra-create-metadata");
  }
}
