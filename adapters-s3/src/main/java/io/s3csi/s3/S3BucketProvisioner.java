package io.s3csi.s3;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.provisioning.BucketCreation;
import io.s3csi.core.provisioning.BucketProvisioner;
import io.s3csi.core.provisioning.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link BucketProvisioner} of AWS S3 and S3-compatible stores (MinIO, Ceph RGW, Scality, ...),
 * with the AWS SDK for Java v2 over the JDK's HTTP client.
 *
 * <p>A client is built per {@link Connection} on first use and kept, so a StorageClass with its own
 * endpoint or credentials gets its own client. SDK failures become s3csi errors in one place
 * ({@code S3Errors}): unreachable, throttled or failing S3 is {@code UNAVAILABLE}, refused
 * credentials {@code PERMISSION_DENIED}, a name taken by another account {@code ALREADY_EXISTS}, a
 * rejected name {@code INVALID_ARGUMENT}.
 *
 * <p>Deleting removes every object version and delete marker of a bucket that has ever been
 * versioned, and aborts unfinished multipart uploads; in a bucket with S3 Object Lock enabled it
 * removes nothing and fails with {@code FAILED_PRECONDITION}: retention is never bypassed.
 *
 * <pre>{@code
 * try (S3BucketProvisioner s3 = new S3BucketProvisioner()) {
 *   ControllerService controller =
 *       new ControllerService(config, s3, new EnvironmentCredentialProvider(System.getenv()),
 *           new VolumeLocks());
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Close it to release its clients.
 */
public final class S3BucketProvisioner implements BucketProvisioner, AutoCloseable {
  private final S3Clients clients;

  /** Creates a provisioner with the default time limits (connect 5 s, read 30 s, call 2 min). */
  public S3BucketProvisioner() {
    this(S3Clients.Timeouts.DEFAULT);
  }

  S3BucketProvisioner(S3Clients.Timeouts timeouts) {
    this.clients = new S3Clients(timeouts);
  }

  @Override
  public BucketCreation createBucket(Connection connection, String bucket) {
    CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(bucket);
    connection
        .region()
        .filter(region -> !region.equals(S3Clients.DEFAULT_REGION))
        .ifPresent(region -> request.createBucketConfiguration(c -> c.locationConstraint(region)));
    try {
      client(connection).createBucket(request.build());
      return provesNew(connection) ? BucketCreation.CREATED : BucketCreation.CREATED_OR_OWNED;
    } catch (S3Exception e) {
      if (S3Errors.code(e).equals("BucketAlreadyOwnedByYou")) {
        return BucketCreation.ALREADY_OWNED;
      }
      throw S3Errors.map("create bucket " + bucket, e);
    } catch (SdkException e) {
      throw S3Errors.map("create bucket " + bucket, e);
    } catch (IllegalArgumentException e) {
      throw S3Errors.mapNameCheck("create bucket " + bucket, e);
    }
  }

  /**
   * Tells whether a successful CreateBucket proves a new bucket: on AWS S3 outside us-east-1, which
   * answers {@code BucketAlreadyOwnedByYou} to re-creating one's own bucket. us-east-1 answers
   * {@code 200 OK} for legacy compatibility, and so do some S3-compatible stores (Ceph RGW among
   * them), so a success there may be a bucket that already held objects.
   */
  static boolean provesNew(Connection connection) {
    return connection.endpoint().isEmpty()
        && !connection.region().orElse(S3Clients.DEFAULT_REGION).equals(S3Clients.DEFAULT_REGION);
  }

  @Override
  public boolean bucketExists(Connection connection, String bucket) {
    try {
      client(connection).headBucket(r -> r.bucket(bucket));
      return true;
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        return false;
      }
      throw S3Errors.map("check bucket " + bucket, e);
    }
  }

  @Override
  public Optional<Map<String, String>> readMarker(
      Connection connection, String bucket, String key) {
    try {
      HeadObjectResponse head = client(connection).headObject(r -> r.bucket(bucket).key(key));
      return Optional.of(Map.copyOf(head.metadata()));
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        return Optional.empty();
      }
      throw S3Errors.map("read s3://" + bucket + "/" + key, e);
    }
  }

  @Override
  public void writeMarker(
      Connection connection, String bucket, String key, Map<String, String> metadata) {
    try {
      client(connection)
          .putObject(r -> r.bucket(bucket).key(key).metadata(metadata), RequestBody.empty());
    } catch (SdkException e) {
      throw S3Errors.map("write s3://" + bucket + "/" + key, e);
    }
  }

  @Override
  public List<String> listKeys(Connection connection, String bucket, String prefix, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    List<String> keys = new ArrayList<>();
    String token = null;
    try {
      do {
        String continuation = token;
        int page = Math.min(limit - keys.size(), 1000);
        ListObjectsV2Response response =
            client(connection)
                .listObjectsV2(
                    r ->
                        r.bucket(bucket)
                            .prefix(prefix.isEmpty() ? null : prefix)
                            .maxKeys(page)
                            .continuationToken(continuation));
        response.contents().stream().map(S3Object::key).forEach(keys::add);
        token =
            Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
      } while (token != null && keys.size() < limit);
    } catch (SdkException e) {
      throw S3Errors.map("list s3://" + bucket + "/" + prefix, e);
    }
    return List.copyOf(keys.size() > limit ? keys.subList(0, limit) : keys);
  }

  @Override
  public void deleteObjects(
      Connection connection, String bucket, String prefix, Optional<String> keep) {
    new ObjectDeleter(client(connection), bucket).deleteUnder(prefix, keep);
  }

  @Override
  public void deleteObject(Connection connection, String bucket, String key) {
    new ObjectDeleter(client(connection), bucket).deleteKey(key);
  }

  @Override
  public void deleteObjectsThenKey(
      Connection connection, String bucket, String prefix, String last) {
    new ObjectDeleter(client(connection), bucket).deleteUnderThenKey(prefix, last);
  }

  @Override
  public void deleteBucket(Connection connection, String bucket) {
    try {
      client(connection).deleteBucket(r -> r.bucket(bucket));
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        return;
      }
      if (e instanceof S3Exception s3 && S3Errors.code(s3).equals("BucketNotEmpty")) {
        throw DriverException.failedPrecondition(
            "cannot delete bucket "
                + bucket
                + ": it is not empty (BucketNotEmpty); it may hold noncurrent object versions"
                + " or objects written since the volume was emptied");
      }
      throw S3Errors.map("delete bucket " + bucket, e);
    }
  }

  /** Closes every client. Calls after close fail with {@link IllegalStateException}. */
  @Override
  public void close() {
    clients.close();
  }

  private S3Client client(Connection connection) {
    return clients.get(connection);
  }
}
