package io.s3csi.s3;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.InstanceCredentials;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.credentials.WebIdentityCredentials;
import io.s3csi.core.provisioning.Connection;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;

/**
 * One S3 client per {@link Connection}, built on first use and kept: a StorageClass names one
 * endpoint and one identity, so a controller needs a handful of clients. The least recently used
 * client is closed once more than {@link #MAX_CLIENTS} are open (rotated credentials make new
 * connections).
 */
final class S3Clients implements AutoCloseable {
  static final int MAX_CLIENTS = 32;

  /** The region requests are signed for when neither the StorageClass nor the driver names one. */
  static final String DEFAULT_REGION = "us-east-1";

  private static final Logger LOG = System.getLogger(S3Clients.class.getName());

  private final Timeouts timeouts;
  private final Map<Connection, Entry> clients = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  /**
   * The time limits of every S3 call.
   *
   * @param connect how long opening a connection may take
   * @param read how long a response may keep S3 silent
   * @param call how long a call may take, retries included
   */
  record Timeouts(Duration connect, Duration read, Duration call) {
    static final Timeouts DEFAULT =
        new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2));
  }

  private record Entry(S3Client client, List<AutoCloseable> resources) {}

  S3Clients(Timeouts timeouts) {
    this.timeouts = timeouts;
  }

  synchronized S3Client get(Connection connection) {
    if (closed) {
      throw new IllegalStateException("the S3 provisioner was closed");
    }
    Entry entry = clients.get(connection);
    if (entry == null) {
      entry = build(connection);
      clients.put(connection, entry);
      evict();
    }
    return entry.client();
  }

  private void evict() {
    Iterator<Map.Entry<Connection, Entry>> it = clients.entrySet().iterator();
    while (clients.size() > MAX_CLIENTS && it.hasNext()) {
      Entry eldest = it.next().getValue();
      it.remove();
      close(eldest);
    }
  }

  private Entry build(Connection connection) {
    List<AutoCloseable> resources = new ArrayList<>();
    Region region = Region.of(connection.region().orElse(DEFAULT_REGION));
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(httpClient())
            .region(region)
            .credentialsProvider(credentials(connection, region, resources))
            .forcePathStyle(connection.pathStyle())
            // Checksums only where S3 requires them: S3-compatible stores reject the newer
            // trailing checksums on requests that do not need them.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            // The only upload is the volume marker, zero bytes. Over plain http the SDK would sign
            // it as an aws-chunked stream: an 86-byte body sent in small writes after the headers,
            // which waits on Nagle's algorithm and delayed ACKs, and which a store that answers
            // before reading it all (S3Proxy) turns into "Error writing request body to server".
            // Unchunked, the empty body is signed whole and sent as Content-Length: 0.
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
            .overrideConfiguration(o -> o.apiCallTimeout(timeouts.call()));
    if (connection.endpoint().isPresent()) {
      builder.endpointOverride(connection.endpoint().get());
      // Many S3-compatible stores want Content-MD5 on DeleteObjects, not the CRC32 the SDK sends.
      builder.addPlugin(LegacyMd5Plugin.create());
    } else {
      // AWS S3: follow a bucket to its region instead of failing with a redirect.
      builder.crossRegionAccessEnabled(true);
    }
    S3Client client = builder.build();
    resources.add(0, client);
    return new Entry(client, resources);
  }

  private UrlConnectionHttpClient.Builder httpClient() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(timeouts.connect())
        .socketTimeout(timeouts.read());
  }

  private AwsCredentialsProvider credentials(
      Connection connection, Region region, List<AutoCloseable> resources) {
    Credentials credentials = connection.credentials();
    if (credentials instanceof StaticCredentials keys) {
      return StaticCredentialsProvider.create(
          keys.sessionToken()
              .<AwsCredentials>map(
                  token ->
                      AwsSessionCredentials.create(
                          keys.accessKeyId(), keys.secretAccessKey().reveal(), token.reveal()))
              .orElseGet(
                  () ->
                      AwsBasicCredentials.create(
                          keys.accessKeyId(), keys.secretAccessKey().reveal())));
    }
    if (credentials instanceof WebIdentityCredentials web) {
      StsClient sts =
          StsClient.builder()
              .httpClientBuilder(httpClient())
              .region(web.stsRegion().map(Region::of).orElse(region))
              .credentialsProvider(AnonymousCredentialsProvider.create())
              .build();
      resources.add(sts);
      StsAssumeRoleWithWebIdentityCredentialsProvider provider =
          StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
              .stsClient(sts)
              .refreshRequest(
                  r ->
                      r.roleArn(web.roleArn())
                          .roleSessionName("s3csi-controller")
                          .webIdentityToken(web.token().reveal()))
              .build();
      resources.add(provider);
      return provider;
    }
    if (credentials instanceof InstanceCredentials) {
      DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build();
      resources.add(provider);
      return provider;
    }
    throw new IllegalArgumentException("unsupported credentials: " + credentials);
  }

  @Override
  public synchronized void close() {
    closed = true;
    clients.values().forEach(S3Clients::close);
    clients.clear();
  }

  private static void close(Entry entry) {
    for (AutoCloseable resource : entry.resources()) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "cannot close an S3 client resource: " + e, e);
      }
    }
  }
}
