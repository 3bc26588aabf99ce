package io.s3csi.core.fuse;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.InstanceCredentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.credentials.WebIdentityCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment every client starts from, and the AWS-style credential files and variables shared
 * by the clients that use an AWS SDK. Nothing is inherited from the driver: a variable the driver
 * happens to have (a CA bundle, a proxy, a profile) cannot reach a client by accident.
 */
final class ClientEnvironment {
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** The name of the web-identity token file in a mount's private directory. */
  static final String WEB_IDENTITY_TOKEN = "web-identity-token";

  private ClientEnvironment() {}

  /** The base: a fixed PATH, HOME in the private directory, a UTF-8 C locale. */
  static Map<String, String> base(Path privateDirectory) {
    Map<String, String> env = new TreeMap<>();
    env.put("PATH", PATH);
    env.put("HOME", privateDirectory.toString());
    env.put("LANG", "C.UTF-8");
    return env;
  }

  /**
   * Adds the AWS SDK variables and files for the credentials: a shared credentials file for static
   * keys, a token file and role for web identity, nothing but an empty config for the instance
   * identity.
   */
  static void addAwsSdkCredentials(
      Map<String, String> env,
      List<PrivateFile> files,
      Path dir,
      Credentials credentials,
      String sessionSeed) {
    Path config = dir.resolve("aws-config");
    files.add(new PrivateFile(config, Secret.of("")));
    env.put("AWS_CONFIG_FILE", config.toString());
    Path shared = dir.resolve("aws-credentials");
    env.put("AWS_SHARED_CREDENTIALS_FILE", shared.toString());
    if (credentials instanceof StaticCredentials keys) {
      files.add(new PrivateFile(shared, Ini.awsCredentials(keys)));
      env.put("AWS_PROFILE", "default");
      env.put("AWS_EC2_METADATA_DISABLED", "true");
    } else if (credentials instanceof WebIdentityCredentials web) {
      files.add(new PrivateFile(shared, Secret.of("")));
      Path token = dir.resolve(WEB_IDENTITY_TOKEN);
      files.add(new PrivateFile(token, web.token()));
      env.put("AWS_ROLE_ARN", web.roleArn());
      env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
      env.put("AWS_ROLE_SESSION_NAME", "s3csi-" + shortHash(sessionSeed));
      env.put("AWS_STS_REGIONAL_ENDPOINTS", "regional");
      web.stsRegion().ifPresent(region -> env.put("AWS_REGION", region));
    } else if (credentials instanceof InstanceCredentials) {
      files.add(new PrivateFile(shared, Secret.of("")));
    }
  }

  /** The first 12 hex digits of the SHA-256 of a string. */
  static String shortHash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
