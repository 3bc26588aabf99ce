package io.s3csi.s3;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.provisioning.Connection;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Connections and an independent SDK client for checking what the provisioner did. */
final class S3Fixtures {
  /** Short limits, so the "S3 is down" tests fail fast. */
  static final S3Clients.Timeouts FAST =
      new S3Clients.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(20));

  private S3Fixtures() {}

  static Connection connection(EmbeddedS3Server s3) {
    return connection(s3, s3.accessKeyId(), s3.secretAccessKey());
  }

  static Connection connection(EmbeddedS3Server s3, String keyId, String secret) {
    return new Connection(
        Optional.of(s3.endpoint()),
        Optional.of("us-east-1"),
        true,
        new StaticCredentials(keyId, Secret.of(secret), Optional.empty()));
  }

  /** A plain SDK client, independent of the code under test. */
  static S3Client sdk(EmbeddedS3Server s3) {
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(s3.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
        .build();
  }
}
