package io.s3csi.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.s3csi.grpc.csi.v1.CreateVolumeRequest;
import io.s3csi.grpc.csi.v1.Csi;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
import io.s3csi.grpc.csi.v1.NodePublishVolumeRequest;
import io.s3csi.grpc.csi.v1.NodeStageVolumeRequest;
import io.s3csi.grpc.csi.v1.ProbeResponse;
import io.s3csi.grpc.csi.v1.VolumeCapability;
import io.s3csi.grpc.csi.v1.VolumeCapability.AccessMode.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RequestRedactorTest {

  private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRET";
  private static final String TOKEN_KEY = "csi.storage.k8s.io/serviceAccount.tokens";
  private static final String TOKENS =
      "{\"sts.amazonaws.com\":{\"token\":\"eyJhbGciOiJSUzI1NiJ9.SECRET\",\"expirationTimestamp\":"
          + "\"2030-01-01T00:00:00Z\"}}";

  private final RequestRedactor redactor = new RequestRedactor();

  /** Every field of csi.proto that CSI v1.12 marks {@code (csi_secret) = true}. */
  private static final List<String> SPEC_SECRET_FIELDS =
      List.of(
          "csi.v1.CreateVolumeRequest.secrets",
          "csi.v1.DeleteVolumeRequest.secrets",
          "csi.v1.ControllerPublishVolumeRequest.secrets",
          "csi.v1.ControllerUnpublishVolumeRequest.secrets",
          "csi.v1.ValidateVolumeCapabilitiesRequest.secrets",
          "csi.v1.ControllerModifyVolumeRequest.secrets",
          "csi.v1.CreateSnapshotRequest.secrets",
          "csi.v1.DeleteSnapshotRequest.secrets",
          "csi.v1.ListSnapshotsRequest.secrets",
          "csi.v1.GetSnapshotRequest.secrets",
          "csi.v1.ControllerExpandVolumeRequest.secrets",
          "csi.v1.NodeStageVolumeRequest.secrets",
          "csi.v1.NodePublishVolumeRequest.secrets",
          "csi.v1.NodeExpandVolumeRequest.secrets",
          "csi.v1.CreateVolumeGroupSnapshotRequest.secrets",
          "csi.v1.DeleteVolumeGroupSnapshotRequest.secrets",
          "csi.v1.GetVolumeGroupSnapshotRequest.secrets",
          "csi.v1.GetMetadataAllocatedRequest.secrets",
          "csi.v1.GetMetadataDeltaRequest.secrets");

  @Test
  void isSecret_overTheWholeCsiFile_findsExactlyTheSpecSecretFields() {
    List<String> found = new ArrayList<>();
    allMessageTypes()
        .forEach(
            type ->
                type.getFields().stream()
                    .filter(RequestRedactor::isSecret)
                    .forEach(field -> found.add(field.getFullName())));

    assertThat(found).containsExactlyInAnyOrderElementsOf(SPEC_SECRET_FIELDS);
  }

  static Stream<Descriptor> messagesWithSecrets() {
    return allMessageTypes()
        .filter(type -> type.getFields().stream().anyMatch(RequestRedactor::isSecret));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messagesWithSecrets")
  void render_everySecretFieldOfEveryMessage_neverShowsTheSecret(Descriptor type) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (FieldDescriptor field : type.getFields()) {
      if (RequestRedactor.isSecret(field)) {
        Descriptor entry = field.getMessageType();
        builder.addRepeatedField(
            field,
            DynamicMessage.newBuilder(entry)
                .setField(entry.findFieldByName("key"), "secretAccessKey")
                .setField(entry.findFieldByName("value"), SECRET)
                .build());
      }
    }

    String rendered = redactor.render(builder.build());

    assertThat(rendered).doesNotContain(SECRET).contains("secrets: {\"secretAccessKey\": ***}");
  }

  @Test
  void render_nodePublishVolumeRequest_showsEverythingButTheSecrets() {
    NodePublishVolumeRequest request =
        NodePublishVolumeRequest.newBuilder()
            .setVolumeId("vol-1")
            .setTargetPath("/var/lib/kubelet/pods/p/volumes/kubernetes.io~csi/pv/mount")
            .setVolumeCapability(
                VolumeCapability.newBuilder()
                    .setMount(VolumeCapability.MountVolume.newBuilder().addMountFlags("ro"))
                    .setAccessMode(
                        VolumeCapability.AccessMode.newBuilder()
                            .setMode(Mode.MULTI_NODE_READER_ONLY)))
            .setReadonly(true)
            .putSecrets("accessKeyId", "AKIAEXAMPLE")
            .putSecrets("secretAccessKey", SECRET)
            .putVolumeContext("bucketName", "photos")
            .putVolumeContext(TOKEN_KEY, TOKENS)
            .build();

    String rendered = redactor.render(request);

    assertThat(rendered)
        .isEqualTo(
            "{volume_id: \"vol-1\", target_path:"
                + " \"/var/lib/kubelet/pods/p/volumes/kubernetes.io~csi/pv/mount\","
                + " volume_capability: {mount: {mount_flags: [\"ro\"]}, access_mode: {mode:"
                + " MULTI_NODE_READER_ONLY}}, readonly: true, secrets: {\"accessKeyId\": ***,"
                + " \"secretAccessKey\": ***}, volume_context: {\"bucketName\": \"photos\", \""
                + TOKEN_KEY
                + "\": ***}}");
    assertThat(rendered).doesNotContain(SECRET, "AKIAEXAMPLE", "eyJhbGciOiJSUzI1NiJ9");
  }

  @Test
  void render_serviceAccountTokensInAnyMap_areRedacted() {
    NodeStageVolumeRequest stage =
        NodeStageVolumeRequest.newBuilder()
            .putPublishContext(TOKEN_KEY, TOKENS)
            .putVolumeContext(TOKEN_KEY, TOKENS)
            .build();
    CreateVolumeRequest create =
        CreateVolumeRequest.newBuilder()
            .setName("pvc-1")
            .putParameters(TOKEN_KEY, TOKENS)
            .putMutableParams(TOKEN_KEY, TOKENS)
            .build();

    assertThat(redactor.render(stage))
        .isEqualTo(
            "{publish_context: {\""
                + TOKEN_KEY
                + "\": ***}, volume_context: {\""
                + TOKEN_KEY
                + "\": ***}}");
    assertThat(redactor.render(create))
        .isEqualTo(
            "{name: \"pvc-1\", parameters: {\""
                + TOKEN_KEY
                + "\": ***}, mutable_params: {\""
                + TOKEN_KEY
                + "\": ***}}");
  }

  @Test
  void render_unknownFields_areNeverShown() {
    Message withUnknown =
        NodePublishVolumeRequest.newBuilder()
            .setVolumeId("vol-1")
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(
                        99,
                        UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8(SECRET))
                            .build())
                    .build())
            .build();

    assertThat(redactor.render(withUnknown)).isEqualTo("{volume_id: \"vol-1\"}");
  }

  @Test
  void render_stringsWithQuotesAndControlCharacters_areEscaped() {
    NodePublishVolumeRequest request =
        NodePublishVolumeRequest.newBuilder().setVolumeId("a\"b\\c\nd\u0001").build();

    assertThat(redactor.render(request)).isEqualTo("{volume_id: \"a\\\"b\\\\c\\nd\\u0001\"}");
  }

  @Test
  void render_emptyMessage_isEmptyBraces() {
    assertThat(redactor.render(GetPluginInfoRequest.getDefaultInstance())).isEqualTo("{}");
  }

  @Test
  void render_wrapperMessage_rendersItsValue() {
    ProbeResponse response =
        ProbeResponse.newBuilder().setReady(com.google.protobuf.BoolValue.of(true)).build();

    assertThat(redactor.render(response)).isEqualTo("{ready: {value: true}}");
  }

  private static Stream<Descriptor> allMessageTypes() {
    return Csi.getDescriptor().getMessageTypes().stream()
        .flatMap(RequestRedactorTest::withNested)
        .filter(type -> !type.getOptions().getMapEntry());
  }

  private static Stream<Descriptor> withNested(Descriptor type) {
    return Stream.concat(
        Stream.of(type), type.getNestedTypes().stream().flatMap(RequestRedactorTest::withNested));
  }
}
