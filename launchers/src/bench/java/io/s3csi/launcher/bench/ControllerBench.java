package io.s3csi.launcher.bench;

import io.grpc.StatusRuntimeException;
import io.s3csi.grpc.csi.v1.CreateVolumeRequest;
import io.s3csi.grpc.csi.v1.DeleteVolumeRequest;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Controller: CreateVolume and DeleteVolume of a bucket-per-volume StorageClass through the driver
 * (a separate {@code s3csi driver --mode controller} process, over its unix socket) against raw AWS
 * SDK CreateBucket and DeleteBucket from this JVM, with the driver's HTTP client and settings, on
 * the same embedded S3 server. Driver and SDK rounds alternate; each side gets warm-up rounds.
 */
final class ControllerBench {
  private static final int WARMUP = 20;

  private final Path work;
  private final int reps;

  ControllerBench(Path work, int reps) {
    this.work = work;
    this.reps = reps;
  }

  Table run() throws Exception {
    Path dir = Files.createDirectories(work.resolve("controller"));
    Samples driverCreate = new Samples();
    Samples driverDelete = new Samples();
    Samples sdkCreate = new Samples();
    Samples sdkDelete = new Samples();
    Samples sameCreate = new Samples();
    Samples sameDelete = new Samples();
    Map<String, Integer> errors = new java.util.TreeMap<>();
    Map<String, Integer> sdkErrors = new java.util.TreeMap<>();
    try (EmbeddedS3Server s3 = EmbeddedS3Server.builder().start();
        S3Client sdk = sdk(s3);
        DriverProcess driver =
            DriverProcess.start(
                Optional.empty(),
                Bench.javaOptions(),
                dir.resolve("csi.sock"),
                dir.resolve("logs"),
                List.of(
                    "--mode",
                    "controller",
                    "--node-id",
                    "bench-controller",
                    "--kubelet-dir",
                    dir.resolve("kubelet").toString(),
                    "--state-dir",
                    dir.resolve("state").toString(),
                    "--s3-endpoint-url",
                    s3.endpoint().toString(),
                    "--s3-region",
                    "us-east-1",
                    "--s3-path-style"))) {
      for (int i = 0; i < WARMUP; i++) {
        driverRound(driver, s3, "warm-" + i, new Samples(), new Samples());
        sdkRound(sdk, "warm-sdk-" + i, new Samples(), new Samples());
        sameCallsRound(sdk, "warm-same-" + i, new Samples(), new Samples());
      }
      for (int i = 0; i < reps; i++) {
        try {
          driverRound(driver, s3, "pvc-" + i, driverCreate, driverDelete);
        } catch (StatusRuntimeException e) {
          errors.merge(e.getStatus().getCode().name(), 1, Integer::sum);
          Bench.progress("pvc-%d: %s", i, e.getStatus());
        }
        sdkRound(sdk, "sdk-bucket-" + i, sdkCreate, sdkDelete);
        try {
          sameCallsRound(sdk, "same-bucket-" + i, sameCreate, sameDelete);
        } catch (SdkException e) {
          sdkErrors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
          Bench.progress("same-bucket-%d: %s", i, e.getMessage());
        }
      }
    }
    Table table =
        new Table(
            "operation",
            "runs",
            "driver median ms",
            "driver p90 ms",
            "raw SDK median ms",
            "raw SDK p90 ms",
            "ratio median",
            "ratio p90",
            "SDK, the driver's S3 calls, median ms",
            "ratio to those");
    row(table, "CreateVolume vs CreateBucket", driverCreate, sdkCreate, sameCreate);
    row(table, "DeleteVolume vs DeleteBucket", driverDelete, sdkDelete, sameDelete);
    table.row(
        "failed rounds (not in the times): driver; SDK with the driver's calls",
        (errors.isEmpty() ? "0" : errors.toString())
            + "; "
            + (sdkErrors.isEmpty() ? "0" : sdkErrors.toString()),
        "-",
        "-",
        "-",
        "-",
        "-",
        "-",
        "-",
        "-");
    return table;
  }

  private void row(Table table, String operation, Samples driver, Samples sdk, Samples same) {
    table.row(
        operation,
        reps,
        driver.medianMs(),
        driver.percentileMs(90),
        sdk.medianMs(),
        sdk.percentileMs(90),
        Samples.ratio(driver.median(), sdk.median()),
        Samples.ratio(driver.percentile(90), sdk.percentile(90)),
        same.medianMs(),
        Samples.ratio(driver.median(), same.median()));
  }

  /**
   * The S3 calls the driver makes for a bucket volume with deletePolicy delete on an S3-compatible
   * endpoint, read from core's Creation and Deletion and adapters-s3's ObjectDeleter: CreateBucket
   * (whose 200 OK does not prove a new bucket there), ListObjectsV2 of at most 2 keys, PutObject of
   * the marker; then HeadObject of the marker, the Object Lock, multipart-upload and versioning
   * checks, ListObjectsV2 of the emptying (only the marker: no batch delete), DeleteObject of the
   * marker, DeleteBucket. Shows what the driver's own overhead is.
   */
  private static void sameCallsRound(S3Client sdk, String bucket, Samples create, Samples delete) {
    String marker = ".s3csi-volume";
    long start = System.nanoTime();
    sdk.createBucket(r -> r.bucket(bucket));
    sdk.listObjectsV2(r -> r.bucket(bucket).prefix("").maxKeys(2));
    sdk.putObject(
        r -> r.bucket(bucket).key(marker).metadata(Map.of("s3csi-volume", bucket)),
        RequestBody.empty());
    long created = System.nanoTime();
    sdk.headObject(r -> r.bucket(bucket).key(marker));
    ignoring404(() -> sdk.getObjectLockConfiguration(r -> r.bucket(bucket)));
    ignoring404(() -> sdk.listMultipartUploads(r -> r.bucket(bucket).prefix("")));
    ignoring404(() -> sdk.getBucketVersioning(r -> r.bucket(bucket)));
    sdk.listObjectsV2(r -> r.bucket(bucket).prefix(""));
    sdk.deleteObject(r -> r.bucket(bucket).key(marker));
    sdk.deleteBucket(r -> r.bucket(bucket));
    long deleted = System.nanoTime();
    create.add(created - start);
    delete.add(deleted - created);
  }

  /** Runs a check the driver tolerates when it answers 404 (absent) or 501 (not implemented). */
  private static void ignoring404(Runnable call) {
    try {
      call.run();
    } catch (S3Exception e) {
      if (e.statusCode() != 404 && e.statusCode() != 501) {
        throw e;
      }
    }
  }

  private static void driverRound(
      DriverProcess driver, EmbeddedS3Server s3, String name, Samples create, Samples delete) {
    Map<String, String> secrets =
        Map.of("accessKeyId", s3.accessKeyId(), "secretAccessKey", s3.secretAccessKey());
    long start = System.nanoTime();
    String volumeId =
        driver
            .csi()
            .controller()
            .createVolume(
                CreateVolumeRequest.newBuilder()
                    .setName(name)
                    .addVolumeCapabilities(Requests.multiWriter())
                    .putParameters("provisioningMode", "bucket")
                    .putParameters("deletePolicy", "delete")
                    .putParameters("authenticationSource", "secret")
                    .putAllSecrets(secrets)
                    .build())
            .getVolume()
            .getVolumeId();
    long created = System.nanoTime();
    driver
        .csi()
        .controller()
        .deleteVolume(
            DeleteVolumeRequest.newBuilder().setVolumeId(volumeId).putAllSecrets(secrets).build());
    long deleted = System.nanoTime();
    create.add(created - start);
    delete.add(deleted - created);
  }

  private static void sdkRound(S3Client sdk, String bucket, Samples create, Samples delete) {
    long start = System.nanoTime();
    sdk.createBucket(r -> r.bucket(bucket));
    long created = System.nanoTime();
    sdk.deleteBucket(r -> r.bucket(bucket));
    long deleted = System.nanoTime();
    create.add(created - start);
    delete.add(deleted - created);
  }

  /**
   * An SDK client configured as the driver's S3Clients configures its own for an S3-compatible
   * endpoint (unchunked uploads, Content-MD5 on batch deletes).
   */
  private static S3Client sdk(EmbeddedS3Server s3) {
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
        .endpointOverride(s3.endpoint())
        .addPlugin(LegacyMd5Plugin.create())
        .build();
  }
}
