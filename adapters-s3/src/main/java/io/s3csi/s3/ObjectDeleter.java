package io.s3csi.s3;

import io.s3csi.core.error.DriverException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Deletes the objects of one bucket: every version and delete marker when the bucket has ever had
 * versioning on, the current objects otherwise, in batches of 1000, and aborts unfinished multipart
 * uploads. It checks Object Lock first and deletes nothing in a bucket that has it: a locked
 * version would either fail half-way or need the governance bypass, which s3csi never uses.
 */
final class ObjectDeleter {
  private static final int BATCH = 1000;

  private final S3Client client;
  private final String bucket;

  ObjectDeleter(S3Client client, String bucket) {
    this.client = client;
    this.bucket = bucket;
  }

  /** Deletes everything under a prefix except one key; nothing when the bucket is gone. */
  void deleteUnder(String prefix, Optional<String> keep) {
    Predicate<String> selected = key -> key.startsWith(prefix) && !keep.equals(Optional.of(key));
    try {
      requireNoObjectLock();
      abortUploads(prefix);
      if (versioned()) {
        deleteVersions(prefix, selected);
      } else {
        deleteCurrent(prefix, selected);
      }
    } catch (SdkException e) {
      if (!bucketGone(e)) {
        throw S3Errors.map("delete the objects of s3://" + bucket + "/" + prefix, e);
      }
    }
  }

  /**
   * Deletes everything under a prefix, then every version of the key {@code last}, with one look at
   * Object Lock and versioning for both; nothing when the bucket is gone.
   */
  void deleteUnderThenKey(String prefix, String last) {
    Predicate<String> selected = key -> key.startsWith(prefix) && !key.equals(last);
    try {
      requireNoObjectLock();
      abortUploads(prefix);
      boolean versioned = versioned();
      if (versioned) {
        deleteVersions(prefix, selected);
      } else {
        deleteCurrent(prefix, selected);
      }
      deleteKey(last, versioned);
    } catch (SdkException e) {
      if (!bucketGone(e)) {
        throw S3Errors.map("delete the objects of s3://" + bucket + "/" + prefix, e);
      }
    }
  }

  /** Deletes every version of one key; nothing when the bucket is gone. */
  void deleteKey(String key) {
    try {
      requireNoObjectLock();
      deleteKey(key, versioned());
    } catch (SdkException e) {
      if (!bucketGone(e)) {
        throw S3Errors.map("delete s3://" + bucket + "/" + key, e);
      }
    }
  }

  /**
   * Deletes one key: its versions one listing at a time where versioning is or was on, otherwise
   * with a DeleteObject, which unlike a one-key DeleteObjects sends no request body.
   */
  private void deleteKey(String key, boolean versioned) {
    if (versioned) {
      deleteVersions(key, key::equals);
    } else {
      client.deleteObject(r -> r.bucket(bucket).key(key));
    }
  }

  /** Fails when the bucket has Object Lock enabled; a store without Object Lock passes. */
  private void requireNoObjectLock() {
    GetObjectLockConfigurationResponse lock;
    try {
      lock = client.getObjectLockConfiguration(r -> r.bucket(bucket));
    } catch (S3Exception e) {
      if (bucketGone(e)) {
        throw e;
      }
      if (e.statusCode() == 404 || notImplemented(e)) {
        return; // no lock configuration, or a store without Object Lock
      }
      throw S3Errors.map("read the Object Lock configuration of bucket " + bucket, e);
    }
    if (lock.objectLockConfiguration() != null
        && lock.objectLockConfiguration().objectLockEnabled() == ObjectLockEnabled.ENABLED) {
      throw DriverException.failedPrecondition(
          "bucket "
              + bucket
              + " has S3 Object Lock enabled; s3csi never bypasses retention or legal holds, so"
              + " it deletes nothing there. Remove the objects once their retention has expired,"
              + " or use deletePolicy retain");
    }
  }

  private boolean versioned() {
    try {
      BucketVersioningStatus status = client.getBucketVersioning(r -> r.bucket(bucket)).status();
      return status == BucketVersioningStatus.ENABLED || status == BucketVersioningStatus.SUSPENDED;
    } catch (S3Exception e) {
      if (notImplemented(e)) {
        return false;
      }
      throw e;
    }
  }

  private void deleteVersions(String prefix, Predicate<String> selected) {
    String keyMarker = null;
    String versionMarker = null;
    boolean more = true;
    while (more) {
      String keys = keyMarker;
      String versions = versionMarker;
      ListObjectVersionsResponse page =
          client.listObjectVersions(
              r ->
                  r.bucket(bucket)
                      .prefix(prefix.isEmpty() ? null : prefix)
                      .keyMarker(keys)
                      .versionIdMarker(versions));
      List<ObjectIdentifier> batch = new ArrayList<>();
      page.versions().stream()
          .filter(v -> selected.test(v.key()))
          .forEach(v -> batch.add(identifier(v.key(), v.versionId())));
      page.deleteMarkers().stream()
          .filter(m -> selected.test(m.key()))
          .forEach(m -> batch.add(identifier(m.key(), m.versionId())));
      delete(batch, prefix);
      more = Boolean.TRUE.equals(page.isTruncated());
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
  }

  private void deleteCurrent(String prefix, Predicate<String> selected) {
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page =
          client.listObjectsV2(
              r ->
                  r.bucket(bucket)
                      .prefix(prefix.isEmpty() ? null : prefix)
                      .continuationToken(continuation));
      List<ObjectIdentifier> batch = new ArrayList<>();
      page.contents().stream()
          .filter(o -> selected.test(o.key()))
          .forEach(o -> batch.add(identifier(o.key(), null)));
      delete(batch, prefix);
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
  }

  private void delete(List<ObjectIdentifier> identifiers, String where) {
    for (int from = 0; from < identifiers.size(); from += BATCH) {
      List<ObjectIdentifier> batch =
          identifiers.subList(from, Math.min(from + BATCH, identifiers.size()));
      DeleteObjectsResponse response =
          client.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
      if (!response.errors().isEmpty()) {
        S3Error first = response.errors().get(0);
        throw new DriverException(
            S3Errors.kindOf(first.code()),
            "cannot delete "
                + response.errors().size()
                + " of "
                + batch.size()
                + " objects in s3://"
                + bucket
                + "/"
                + where
                + "; first: "
                + first.key()
                + " ("
                + first.code()
                + ": "
                + first.message()
                + ")");
      }
    }
  }

  private void abortUploads(String prefix) {
    String keyMarker = null;
    String uploadMarker = null;
    try {
      while (true) {
        String keys = keyMarker;
        String uploads = uploadMarker;
        ListMultipartUploadsResponse page =
            client.listMultipartUploads(
                r ->
                    r.bucket(bucket)
                        .prefix(prefix.isEmpty() ? null : prefix)
                        .keyMarker(keys)
                        .uploadIdMarker(uploads));
        for (MultipartUpload upload : page.uploads()) {
          abort(upload);
        }
        if (!Boolean.TRUE.equals(page.isTruncated())) {
          return;
        }
        keyMarker = page.nextKeyMarker();
        uploadMarker = page.nextUploadIdMarker();
      }
    } catch (S3Exception e) {
      if (!notImplemented(e)) {
        throw e;
      }
    }
  }

  private void abort(MultipartUpload upload) {
    try {
      client.abortMultipartUpload(
          r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
    } catch (S3Exception e) {
      if (!S3Errors.code(e).equals("NoSuchUpload")) {
        throw e;
      }
    }
  }

  private static boolean bucketGone(SdkException e) {
    return e instanceof S3Exception s3 && S3Errors.code(s3).equals("NoSuchBucket");
  }

  private static ObjectIdentifier identifier(String key, String versionId) {
    return ObjectIdentifier.builder().key(key).versionId(versionId).build();
  }

  private static boolean notImplemented(S3Exception e) {
    String code = S3Errors.code(e);
    return e.statusCode() == 501
        || e.statusCode() == 405
        || code.equals("NotImplemented")
        || code.equals("MethodNotAllowed");
  }
}
