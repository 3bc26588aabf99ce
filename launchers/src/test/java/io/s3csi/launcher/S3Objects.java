package io.s3csi.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.time.Duration;

/**
 * Waits for what a FUSE mount wrote to reach S3: a client uploads a file some time after the write
 * returns (on close, on flush, or in the background).
 */
final class S3Objects {
  /** How long a client may take to upload a small file. */
  static final Duration UPLOAD = Duration.ofSeconds(30);

  private S3Objects() {}

  /** Waits until the object reads back, through the S3 API with the AWS SDK, with the content. */
  static void awaitObject(S3View view, String bucket, String key, String content) {
    await()
        .atMost(UPLOAD)
        .untilAsserted(
            () -> assertThat(new String(view.get(bucket, key), UTF_8)).isEqualTo(content));
  }

  /** Waits until the server holds the object with the content. */
  static void awaitObject(EmbeddedS3Server s3, String bucket, String key, String content) {
    await()
        .atMost(UPLOAD)
        .untilAsserted(
            () ->
                assertThat(s3.getObject(bucket, key).map(b -> new String(b, UTF_8)))
                    .contains(content));
  }
}
