package io.s3csi.testkit.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 endpoint in the current JVM: S3Proxy with AWS signature V4 authentication, serving
 * path-style requests on {@code http://127.0.0.1:<port>} from memory or from a directory.
 *
 * <p>FUSE clients (mount-s3, s3fs, rclone), the AWS SDK and the {@code s3csi demo} launcher talk to
 * it exactly as to a remote S3 service. Objects live in the server, not in the listener: {@link
 * #stop()} closes the port (clients then see "connection refused") while the objects stay, and
 * {@link #restart()} listens again on the same port, which makes outage tests possible.
 *
 * <pre>{@code
 * try (EmbeddedS3Server s3 = EmbeddedS3Server.builder().start()) {
 *   s3.createBucket("bkt");
 *   s3.putObject("bkt", "hello.txt", "hi".getBytes(UTF_8));
 *   // point a client at s3.endpoint() with s3.accessKeyId() / s3.secretAccessKey(),
 *   // path-style addressing, any region (us-east-1 by convention)
 * }
 * }</pre>
 *
 * <p>Requests must be signed (AWS signature V4) with {@link #accessKeyId()} and {@link
 * #secretAccessKey()}. A session token ({@code x-amz-security-token}) is accepted but not checked,
 * so clients holding temporary credentials work as long as their key pair matches.
 *
 * <p>Thread-safe. {@link #toString()} never shows the secret access key.
 */
public final class EmbeddedS3Server implements AutoCloseable {

  /** The only interface the server listens on. */
  public static final String HOST = "127.0.0.1";

  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final BlobStore blobStore;
  private final String accessKeyId;
  private final String secretAccessKey;
  private S3Proxy proxy;
  private int port;
  private boolean closed;

  private EmbeddedS3Server(
      BlobStore blobStore, String accessKeyId, String secretAccessKey, int port) {
    this.blobStore = blobStore;
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.port = port;
  }

  /** Returns a builder for an in-memory server with generated credentials on a free port. */
  public static Builder builder() {
    return new Builder();
  }

  /** The base URI clients use, {@code http://127.0.0.1:<port>}; stable across restarts. */
  public synchronized URI endpoint() {
    return URI.create("http://" + HOST + ":" + port);
  }

  /** The TCP port the server listens on (or listened on, while stopped). */
  public synchronized int port() {
    return port;
  }

  /** The access key id that requests must be signed with. */
  public String accessKeyId() {
    return accessKeyId;
  }

  /** The secret access key that requests must be signed with. Keep it out of logs. */
  public String secretAccessKey() {
    return secretAccessKey;
  }

  /** Whether the server accepts connections right now. */
  public synchronized boolean isRunning() {
    return proxy != null;
  }

  /**
   * Creates a bucket; creating one that exists is a no-op, so a directory-backed server can be
   * started on a directory that already holds the bucket.
   *
   * @return {@code true} if the bucket was created, {@code false} if it already existed
   * @throws IllegalArgumentException if {@code bucket} is not a valid S3 bucket name: 3-63
   *     characters of a-z, 0-9, '.' and '-' (S3Proxy, like AWS, answers NoSuchBucket to shorter
   *     names)
   */
  public synchronized boolean createBucket(String bucket) {
    requireBucketName(bucket);
    ensureOpen();
    if (blobStore.containerExists(bucket)) {
      return false;
    }
    blobStore.createContainer(bucket);
    return true;
  }

  /**
   * Stores an object directly in the server's store, bypassing HTTP (works while stopped).
   *
   * @throws IllegalArgumentException if the bucket does not exist or the key is empty
   */
  public synchronized void putObject(String bucket, String key, byte[] content) {
    requireBucket(bucket);
    requireKey(key);
    Objects.requireNonNull(content, "content");
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentLength((long) content.length)
            .build();
    blobStore.putBlob(request, new ByteArrayInputStream(content));
  }

  /**
   * Reads an object directly from the server's store, bypassing HTTP (works while stopped).
   *
   * @return the object's bytes, or empty if the bucket holds no object under {@code key}
   * @throws IllegalArgumentException if the bucket does not exist or the key is empty
   */
  public synchronized Optional<byte[]> getObject(String bucket, String key) {
    requireBucket(bucket);
    requireKey(key);
    if (!blobStore.blobExists(bucket, key)) {
      return Optional.empty();
    }
    try (InputStream in = blobStore.getBlob(bucket, key)) {
      return Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read s3://" + bucket + "/" + key, e);
    }
  }

  /**
   * Lists the keys of every object in a bucket, in S3's lexicographic order.
   *
   * @throws IllegalArgumentException if the bucket does not exist
   */
  public synchronized List<String> listObjects(String bucket) {
    requireBucket(bucket);
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Response page =
          blobStore.list(
              ListObjectsV2Request.builder().bucket(bucket).continuationToken(token).build());
      page.contents().stream().map(S3Object::key).forEach(keys::add);
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return List.copyOf(keys);
  }

  /**
   * Stops listening; clients then get "connection refused". Objects are kept for {@link
   * #restart()}. Stopping a stopped server does nothing.
   */
  public synchronized void stop() {
    if (proxy == null) {
      return;
    }
    S3Proxy running = proxy;
    proxy = null;
    try {
      running.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the embedded S3 server on " + endpoint(), e);
    }
  }

  /**
   * Listens again on the same port with the same objects and credentials (stopping first if
   * running).
   *
   * @throws IllegalStateException if the server was closed or the port is taken meanwhile
   */
  public synchronized void restart() {
    ensureOpen();
    stop();
    listen();
  }

  /** Stops the server and releases its store. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      stop();
    } finally {
      closed = true;
      blobStore.close();
    }
  }

  @Override
  public synchronized String toString() {
    return "EmbeddedS3Server{endpoint="
        + endpoint()
        + ", accessKeyId="
        + accessKeyId
        + ", running="
        + (proxy != null)
        + "}";
  }

  private void listen() {
    S3Proxy candidate =
        S3Proxy.builder()
            .blobStore(blobStore)
            .endpoint(endpoint())
            .awsAuthentication(AuthenticationType.AWS_V4, accessKeyId, secretAccessKey)
            // like AWS S3, ignore headers S3Proxy does not know instead of answering 501; this
            // lets clients holding session credentials send x-amz-security-token (not checked)
            .ignoreUnknownHeaders(true)
            // close connections at once on stop(): clients see a dead server, not a draining one
            .stopTimeout(0)
            .build();
    try {
      candidate.start();
    } catch (Exception e) {
      stopQuietly(candidate, e);
      throw new IllegalStateException("cannot start the embedded S3 server on " + endpoint(), e);
    }
    proxy = candidate;
    port = candidate.getPort();
  }

  private static void stopQuietly(S3Proxy candidate, Exception failure) {
    try {
      candidate.stop();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the embedded S3 server was closed");
    }
  }

  private void requireBucket(String bucket) {
    requireBucketName(bucket);
    ensureOpen();
    if (!blobStore.containerExists(bucket)) {
      throw new IllegalArgumentException("bucket: no bucket named \"" + bucket + "\"");
    }
  }

  private static void requireBucketName(String bucket) {
    if (bucket == null || !BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException(
          "bucket: must be 3-63 characters of a-z, 0-9, '.' and '-' that start and end with a"
              + " letter or digit, got "
              + (bucket == null ? "null" : "\"" + bucket + "\""));
    }
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key: must not be empty");
    }
  }

  /** Configures and starts an {@link EmbeddedS3Server}. Not thread-safe. */
  public static final class Builder {

    private static final Pattern KEY_CHARACTERS = Pattern.compile("[!-9;-~]+");
    private static final String ALPHANUMERIC =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private Path directory;
    private String accessKeyId;
    private String secretAccessKey;
    private int port;

    private Builder() {}

    /**
     * Keeps buckets as sub-directories of {@code directory} (created if missing) instead of in
     * memory, so objects survive the server and can be inspected as plain files.
     */
    public Builder filesystem(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Uses these credentials instead of generated ones. Both must be printable ASCII without spaces
     * or ':' (s3fs separates them with ':' in its passwd file).
     *
     * @throws IllegalArgumentException naming the offending field
     */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      this.accessKeyId = requireKeyCharacters("accessKeyId", accessKeyId);
      this.secretAccessKey = requireKeyCharacters("secretAccessKey", secretAccessKey);
      return this;
    }

    /**
     * Listens on this port; 0 (the default) picks a free one, see {@link EmbeddedS3Server#port()}.
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: must be between 0 and 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Starts the server; it listens when this method returns.
     *
     * @throws IllegalStateException if the port is taken or the directory is unusable
     */
    public EmbeddedS3Server start() {
      SecureRandom random = new SecureRandom();
      String id = accessKeyId != null ? accessKeyId : "S3CSI" + randomString(random, 15);
      String secret = secretAccessKey != null ? secretAccessKey : randomString(random, 40);
      EmbeddedS3Server server = new EmbeddedS3Server(openStore(), id, secret, port);
      try {
        server.listen();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    }

    private BlobStore openStore() {
      if (directory == null) {
        return new TransientNio2BlobStore();
      }
      try {
        Files.createDirectories(directory);
      } catch (IOException e) {
        throw new IllegalStateException(
            "filesystem: cannot use " + directory + " as the S3 store directory", e);
      }
      return new FilesystemNio2BlobStore(directory.toAbsolutePath().toString());
    }

    private static String requireKeyCharacters(String field, String value) {
      if (value == null || !KEY_CHARACTERS.matcher(value).matches()) {
        throw new IllegalArgumentException(
            field + ": must be non-empty printable ASCII without spaces or ':'");
      }
      return value;
    }

    private static String randomString(SecureRandom random, int length) {
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
      }
      return out.toString();
    }
  }
}
