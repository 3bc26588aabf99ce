package io.s3csi.core.fuse;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.InstanceCredentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.credentials.WebIdentityCredentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Mount specs and credentials for the command builder tests. */
final class Specs {
  static final String VOLUME = "pv-photos";
  static final Path TARGET =
      Path.of("/var/lib/kubelet/pods/0f9a7c1e/volumes/kubernetes.io~csi/pv-photos/mount");
  static final Path DIR = Path.of("/run/s3csi/private/0123456789abcdef");
  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRET1";
  static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONSECRET2";
  static final String WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.WEBIDENTITYSECRET3.sig";
  static final String ROLE = "arn:aws:iam::123456789012:role/s3-photos";
  static final String BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Every secret value above; no argv or environment may contain any of them. */
  static final List<String> SECRETS = List.of(SECRET_KEY, SESSION_TOKEN, WEB_TOKEN);

  private Specs() {}

  static StaticCredentials keys() {
    return new StaticCredentials(KEY_ID, Secret.of(SECRET_KEY), Optional.empty());
  }

  static StaticCredentials keysWithSession() {
    return new StaticCredentials(
        KEY_ID, Secret.of(SECRET_KEY), Optional.of(Secret.of(SESSION_TOKEN)));
  }

  static WebIdentityCredentials webIdentity(Optional<String> stsRegion) {
    return new WebIdentityCredentials(ROLE, Secret.of(WEB_TOKEN), stsRegion);
  }

  static List<Credentials> allCredentials() {
    return List.of(
        new InstanceCredentials(),
        keys(),
        keysWithSession(),
        webIdentity(Optional.of("us-west-2")));
  }

  /** The session name the clients use for a web identity: s3csi- and 12 hex digits. */
  static String sessionName() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((VOLUME + TARGET).getBytes(StandardCharsets.UTF_8));
      return "s3csi-" + HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static Builder spec(FuseClient client) {
    return new Builder(client);
  }

  /** A mutable builder of {@link MountSpec}s with plain defaults. */
  static final class Builder {
    private final FuseClient client;
    private Optional<String> prefix = Optional.empty();
    private Optional<URI> endpoint = Optional.empty();
    private Optional<String> region = Optional.empty();
    private Optional<String> stsRegion = Optional.empty();
    private boolean pathStyle;
    private boolean readOnly;
    private List<String> options = List.of();
    private Credentials credentials = new InstanceCredentials();
    private Optional<String> mountGroup = Optional.empty();

    private Builder(FuseClient client) {
      this.client = client;
    }

    Builder prefix(String value) {
      prefix = Optional.of(value);
      return this;
    }

    Builder endpoint(String value) {
      endpoint = Optional.of(URI.create(value));
      return this;
    }

    Builder region(String value) {
      region = Optional.of(value);
      return this;
    }

    Builder stsRegion(String value) {
      stsRegion = Optional.of(value);
      return this;
    }

    Builder pathStyle() {
      pathStyle = true;
      return this;
    }

    Builder readOnly() {
      readOnly = true;
      return this;
    }

    Builder options(String... flags) {
      options = List.of(flags);
      return this;
    }

    Builder credentials(Credentials value) {
      credentials = value;
      return this;
    }

    Builder mountGroup(String value) {
      mountGroup = Optional.of(value);
      return this;
    }

    MountSpec build() {
      return new MountSpec(
          VOLUME,
          TARGET,
          "photos-bucket",
          prefix,
          client,
          endpoint,
          region,
          stsRegion,
          pathStyle,
          readOnly,
          MountOptions.parse(client, options),
          credentials,
          mountGroup);
    }

    FuseCommand command() {
      return FuseCommand.forSpec(build(), DIR);
    }
  }
}
