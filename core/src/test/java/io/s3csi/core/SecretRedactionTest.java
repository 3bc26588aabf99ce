package io.s3csi.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.s3csi.core.credentials.CredentialRequest;
import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.SecretCredentialProvider;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.credentials.WebIdentityCredentials;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.MountOptions;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.fuse.PrivateFile;
import io.s3csi.core.node.PublishRequest;
import io.s3csi.core.volume.AccessMode;
import io.s3csi.core.volume.VolumeCapability;
import io.s3csi.core.volume.VolumeContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Proves that no request, credential or command type prints a secret it holds. */
class SecretRedactionTest {

  /** Distinctive, so that finding it anywhere in a string is proof of a leak. */
  private static final String SECRET = "Zq9-LEAKED-SECRET-Xw4";

  private static final Path TARGET =
      Path.of("/var/lib/kubelet/pods/0f9a/volumes/kubernetes.io~csi/pv-1/mount");
  private static final String TOKENS =
      "{\"sts.amazonaws.com\":{\"token\":\"" + SECRET + "\",\"expirationTimestamp\":\"x\"}}";
  private static final Map<String, String> CONTEXT =
      Map.of(
          "bucketName", "photos-bucket",
          "authenticationSource", "pod",
          "csi.storage.k8s.io/pod.name", "web-0",
          "csi.storage.k8s.io/serviceAccount.tokens", TOKENS);

  private static StaticCredentials keys() {
    return new StaticCredentials(
        "AKIAIOSFODNN7EXAMPLE", Secret.of(SECRET), Optional.of(Secret.of(SECRET + "-session")));
  }

  private static StaticCredentials longLivedKeys() {
    return new StaticCredentials("AKIAIOSFODNN7EXAMPLE", Secret.of(SECRET), Optional.empty());
  }

  private static WebIdentityCredentials webIdentity() {
    return new WebIdentityCredentials(
        "arn:aws:iam::123456789012:role/photos", Secret.of(SECRET), Optional.of("us-west-2"));
  }

  private static MountSpec spec(FuseClient client, Credentials credentials) {
    return new MountSpec(
        "pv-1",
        TARGET,
        "photos-bucket",
        Optional.of("raw/"),
        client,
        Optional.empty(),
        Optional.of("us-east-1"),
        Optional.of("us-west-2"),
        false,
        false,
        MountOptions.parse(client, List.of("uid=1000")),
        credentials,
        Optional.empty());
  }

  static Stream<Arguments> holders() {
    VolumeContext volume = VolumeContext.parse("pv-1", CONTEXT);
    Map<String, Secret> secrets =
        Map.of("accessKeyId", Secret.of("AKIA"), "secretAccessKey", Secret.of(SECRET));
    return Stream.of(
        Arguments.of("Secret", Secret.of(SECRET)),
        Arguments.of("StaticCredentials", keys()),
        Arguments.of("WebIdentityCredentials", webIdentity()),
        Arguments.of("VolumeContext with tokens", volume),
        Arguments.of("PodInfo with tokens", volume.pod()),
        Arguments.of("CredentialRequest", new CredentialRequest(volume, secrets)),
        Arguments.of(
            "PublishRequest",
            new PublishRequest(
                "pv-1",
                TARGET.toString(),
                new VolumeCapability(
                    AccessMode.SINGLE_NODE_WRITER, List.of("allow-delete"), Optional.empty()),
                false,
                CONTEXT,
                secrets)),
        Arguments.of("PrivateFile", new PrivateFile(Path.of("/run/x/token"), Secret.of(SECRET))),
        Arguments.of("MountSpec with keys", spec(FuseClient.MOUNT_S3, keys())),
        Arguments.of("MountSpec with web identity", spec(FuseClient.RCLONE, webIdentity())),
        Arguments.of(
            "FuseCommand mount-s3 keys",
            FuseCommand.forSpec(spec(FuseClient.MOUNT_S3, keys()), Path.of("/run/p"))),
        Arguments.of(
            "FuseCommand mount-s3 web identity",
            FuseCommand.forSpec(spec(FuseClient.MOUNT_S3, webIdentity()), Path.of("/run/p"))),
        Arguments.of(
            "FuseCommand s3fs keys",
            FuseCommand.forSpec(spec(FuseClient.S3FS, longLivedKeys()), Path.of("/run/p"))),
        Arguments.of(
            "FuseCommand rclone keys",
            FuseCommand.forSpec(spec(FuseClient.RCLONE, keys()), Path.of("/run/p"))),
        Arguments.of(
            "FuseCommand rclone web identity",
            FuseCommand.forSpec(spec(FuseClient.RCLONE, webIdentity()), Path.of("/run/p"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("holders")
  void toString_ofEveryHolder_neverContainsTheSecret(String type, Object holder) {
    assertThat(holder.toString()).doesNotContain(SECRET).isNotBlank();
  }

  @Test
  void fuseCommand_holdsTheSecretOnlyInItsFiles() {
    FuseCommand command = FuseCommand.forSpec(spec(FuseClient.RCLONE, keys()), Path.of("/run/p"));

    assertThat(command.files()).anyMatch(f -> f.content().reveal().contains(SECRET));
    assertThat(String.join(" ", command.argv())).doesNotContain(SECRET);
    assertThat(command.environment().toString()).doesNotContain(SECRET);
  }

  @Test
  void publishRequest_showsSecretNamesAndRedactsTokens() {
    PublishRequest request =
        new PublishRequest(
            "pv-1",
            TARGET.toString(),
            null,
            true,
            CONTEXT,
            Map.of("secretAccessKey", Secret.of(SECRET)));

    assertThat(request.toString())
        .contains("secrets=[secretAccessKey]")
        .contains("csi.storage.k8s.io/serviceAccount.tokens=***")
        .contains("csi.storage.k8s.io/pod.name=web-0");
  }

  @Test
  void errorMessages_neverEchoSecretValues() {
    Throwable denied =
        catchThrowable(
            () ->
                MountOptions.parse(FuseClient.RCLONE, List.of("--s3-secret-access-key=" + SECRET)));
    Throwable badKeyId =
        catchThrowable(
            () ->
                new SecretCredentialProvider()
                    .credentialsFor(
                        new CredentialRequest(
                            VolumeContext.parse("pv-1", Map.of("bucketName", "photos-bucket")),
                            Map.of(
                                "accessKeyId",
                                Secret.of(SECRET + " x"),
                                "secretAccessKey",
                                Secret.of(SECRET)))));
    Throwable badSecret =
        catchThrowable(
            () -> new StaticCredentials("AKIA", Secret.of(SECRET + "\n"), Optional.empty()));

    assertThat(List.of(denied, badKeyId, badSecret))
        .allSatisfy(
            e -> {
              assertThat(e).isNotNull();
              assertThat(e.getMessage()).doesNotContain(SECRET);
              assertThat(e.toString()).doesNotContain(SECRET);
            });
  }
}
