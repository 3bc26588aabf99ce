package io.s3csi.launcher;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A look at a bucket through the S3 API with the AWS SDK, independent of any FUSE client: what the
 * demo shows and what the tests check a mount wrote.
 */
final class S3View implements AutoCloseable {
  private final S3Client s3;

  /**
   * Creates a client with static keys and path-style addressing.
   *
   * @param endpoint the S3 endpoint
   * @param region the signing region
   * @param accessKeyId the access key id
   * @param secretAccessKey the secret access key
   */
  S3View(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
    this.s3 =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(endpoint)
            .region(Region.of(region))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
  }

  /** Lists every object of a bucket, in key order. */
  List<S3Object> list(String bucket) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().toList();
  }

  /** Returns an object's listing entry, if the bucket holds the key. */
  Optional<S3Object> find(String bucket, String key) {
    return list(bucket).stream().filter(o -> o.key().equals(key)).findFirst();
  }

  /** Reads an object's bytes. */
  byte[] get(String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  @Override
  public void close() {
    s3.close();
  }
}
