package io.s3csi.testkit.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Exception;

class EmbeddedS3ServerTest {

  private EmbeddedS3Server server;

  @BeforeEach
  void startServer() {
    server = EmbeddedS3Server.builder().start();
  }

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void endpoint_afterStart_isLoopbackWithTheBoundPort() {
    assertThat(server.port()).isPositive();
    assertThat(server.endpoint()).hasScheme("http").hasHost("127.0.0.1").hasPort(server.port());
    assertThat(server.isRunning()).isTrue();
  }

  @Test
  void putAndGet_throughAwsSdk_roundTripsTheObject() {
    server.createBucket("bkt");
    try (S3Client s3 = client(server.accessKeyId(), server.secretAccessKey())) {
      s3.putObject(
          r -> r.bucket("bkt").key("some/prefix/hello.txt"), RequestBody.fromString("hi", UTF_8));

      String read =
          s3.getObjectAsBytes(r -> r.bucket("bkt").key("some/prefix/hello.txt")).asUtf8String();

      assertThat(read).isEqualTo("hi");
    }
    assertThat(server.getObject("bkt", "some/prefix/hello.txt")).hasValue("hi".getBytes(UTF_8));
  }

  @Test
  void putObject_direct_isVisibleToAwsSdkListing() {
    server.createBucket("bkt");
    server.putObject("bkt", "z.txt", new byte[] {1});
    server.putObject("bkt", "a/b.txt", new byte[] {2, 3});

    try (S3Client s3 = client(server.accessKeyId(), server.secretAccessKey())) {
      assertThat(s3.listObjectsV2(r -> r.bucket("bkt")).contents())
          .extracting(o -> o.key(), o -> o.size())
          .containsExactly(tuple("a/b.txt", 2L), tuple("z.txt", 1L));
    }
    assertThat(server.listObjects("bkt")).containsExactly("a/b.txt", "z.txt");
  }

  @Test
  void listBuckets_afterCreateBucket_containsTheBuckets() {
    server.createBucket("bkt");
    server.createBucket("other-bucket");

    try (S3Client s3 = client(server.accessKeyId(), server.secretAccessKey())) {
      assertThat(s3.listBuckets().buckets())
          .extracting(Bucket::name)
          .containsExactlyInAnyOrder("bkt", "other-bucket");
    }
  }

  @Test
  void createBucket_twice_reportsTheSecondAsExisting() {
    assertThat(server.createBucket("bkt")).isTrue();
    assertThat(server.createBucket("bkt")).isFalse();
  }

  @Test
  void request_withWrongSecret_isRejectedWith403() {
    server.createBucket("bkt");
    try (S3Client s3 = client(server.accessKeyId(), "wrong" + server.secretAccessKey())) {
      assertThatThrownBy(s3::listBuckets)
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
              });
    }
  }

  @Test
  void request_withUnknownAccessKey_isRejectedWith403() {
    try (S3Client s3 = client("AKIAUNKNOWN", server.secretAccessKey())) {
      assertThatThrownBy(s3::listBuckets)
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
              });
    }
  }

  @Test
  void request_withSessionToken_isAcceptedWhenTheKeyPairMatches() {
    server.createBucket("bkt");
    server.putObject("bkt", "k", "temporary".getBytes(UTF_8));
    AwsSessionCredentials session =
        AwsSessionCredentials.create(
            server.accessKeyId(), server.secretAccessKey(), "session-token-from-sts");

    try (S3Client s3 = client(server, StaticCredentialsProvider.create(session))) {
      assertThat(s3.getObjectAsBytes(r -> r.bucket("bkt").key("k")).asUtf8String())
          .isEqualTo("temporary");
    }
  }

  @Test
  void stop_whileClientConnected_makesClientsSeeConnectionRefused() {
    server.createBucket("bkt");
    try (S3Client s3 = client(server.accessKeyId(), server.secretAccessKey())) {
      s3.listBuckets();

      server.stop();

      assertThat(server.isRunning()).isFalse();
      assertThatThrownBy(s3::listBuckets)
          .isInstanceOf(SdkClientException.class)
          .hasRootCauseInstanceOf(ConnectException.class)
          .hasRootCauseMessage("Connection refused");
    }
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close())
        .isInstanceOf(ConnectException.class)
        .hasMessage("Connection refused");
  }

  @Test
  void restart_afterStop_servesTheSameObjectsOnTheSamePort() {
    server.createBucket("bkt");
    server.putObject("bkt", "k", "kept".getBytes(UTF_8));
    int port = server.port();
    server.stop();

    server.restart();

    assertThat(server.port()).isEqualTo(port);
    try (S3Client s3 = client(server.accessKeyId(), server.secretAccessKey())) {
      assertThat(s3.getObjectAsBytes(r -> r.bucket("bkt").key("k")).asUtf8String())
          .isEqualTo("kept");
    }
  }

  @Test
  void stop_twice_isHarmless() {
    server.stop();
    server.stop();

    assertThat(server.isRunning()).isFalse();
  }

  @Test
  void close_thenUse_failsWithClosedState() {
    server.close();
    server.close();

    assertThatThrownBy(server::restart)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the embedded S3 server was closed");
    assertThatThrownBy(() -> server.createBucket("bkt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the embedded S3 server was closed");
  }

  @Test
  void getObject_missingKey_isEmpty() {
    server.createBucket("bkt");

    assertThat(server.getObject("bkt", "absent")).isEmpty();
  }

  @Test
  void getObject_missingBucket_namesTheBucket() {
    assertThatThrownBy(() -> server.getObject("absent", "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bucket: no bucket named \"absent\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "b",
        "ab",
        "Upper",
        "-leading",
        "trailing-",
        "under_score",
        "dot..dot",
        "s/lash",
        "a234567890123456789012345678901234567890123456789012345678901234"
      })
  void createBucket_invalidName_isRejectedNamingTheField(String bucket) {
    assertThatThrownBy(() -> server.createBucket(bucket))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "bucket: must be 3-63 characters of a-z, 0-9, '.' and '-' that start and end with a"
                + " letter or digit, got \""
                + bucket
                + "\"");
  }

  @Test
  void putObject_emptyKey_isRejectedNamingTheField() {
    server.createBucket("bkt");

    assertThatThrownBy(() -> server.putObject("bkt", "", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key: must not be empty");
  }

  @Test
  void toString_neverShowsTheSecret() {
    assertThat(server.toString())
        .contains(server.accessKeyId(), server.endpoint().toString())
        .doesNotContain(server.secretAccessKey());
  }

  @Test
  void builder_givenCredentials_acceptsRequestsSignedWithThem() {
    try (EmbeddedS3Server custom =
        EmbeddedS3Server.builder().credentials("ACCESS1", "s3cr3t/with+symbols").start()) {
      custom.createBucket("bkt");

      assertThat(custom.accessKeyId()).isEqualTo("ACCESS1");
      assertThat(custom.secretAccessKey()).isEqualTo("s3cr3t/with+symbols");
      try (S3Client s3 = client(custom, "ACCESS1", "s3cr3t/with+symbols")) {
        assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).containsExactly("bkt");
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "'', secret, accessKeyId",
    "'a b', secret, accessKeyId",
    "id, 'x:y', secretAccessKey"
  })
  void builder_invalidCredentials_areRejectedNamingTheField(
      String id, String secret, String field) {
    assertThatThrownBy(() -> EmbeddedS3Server.builder().credentials(id, secret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(field + ": must be non-empty printable ASCII without spaces or ':'");
  }

  @ParameterizedTest
  @NullAndEmptySource
  void builder_missingAccessKeyId_isRejectedNamingTheField(String id) {
    assertThatThrownBy(() -> EmbeddedS3Server.builder().credentials(id, "secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("accessKeyId: ");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65_536})
  void builder_portOutOfRange_isRejectedNamingTheField(int port) {
    assertThatThrownBy(() -> EmbeddedS3Server.builder().port(port))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: must be between 0 and 65535, got " + port);
  }

  @Test
  void builder_portInUse_failsNamingTheEndpoint() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> EmbeddedS3Server.builder().port(port).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("cannot start the embedded S3 server on http://127.0.0.1:" + port);
    }
  }

  @Test
  void filesystem_storesObjectsAsFilesThatOutliveTheServer(@TempDir Path dir) {
    Path store = dir.resolve("store");
    try (EmbeddedS3Server disk = EmbeddedS3Server.builder().filesystem(store).start()) {
      disk.createBucket("bkt");
      try (S3Client s3 = clientFor(disk)) {
        s3.putObject(
            r -> r.bucket("bkt").key("dir/file.txt"), RequestBody.fromString("on disk", UTF_8));
      }
    }
    assertThat(store.resolve("bkt/dir/file.txt")).hasContent("on disk");

    try (EmbeddedS3Server again = EmbeddedS3Server.builder().filesystem(store).start()) {
      assertThat(again.createBucket("bkt")).isFalse();
      assertThat(again.getObject("bkt", "dir/file.txt")).hasValue("on disk".getBytes(UTF_8));
    }
  }

  @Test
  void filesystem_onAFile_failsNamingTheField(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");

    assertThatThrownBy(() -> EmbeddedS3Server.builder().filesystem(file).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("filesystem: cannot use " + file + " as the S3 store directory");
  }

  private S3Client client(String accessKeyId, String secretAccessKey) {
    return client(server, accessKeyId, secretAccessKey);
  }

  private static S3Client clientFor(EmbeddedS3Server target) {
    return client(target, target.accessKeyId(), target.secretAccessKey());
  }

  private static S3Client client(
      EmbeddedS3Server target, String accessKeyId, String secretAccessKey) {
    return client(
        target,
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
  }

  private static S3Client client(EmbeddedS3Server target, AwsCredentialsProvider credentials) {
    return S3Client.builder()
        .endpointOverride(target.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }
}
