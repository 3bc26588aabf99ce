package io.s3csi.core.provisioning;

import io.s3csi.core.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Derives the bucket name or prefix of a volume from its rendered name, deterministically, so that
 * a retried CreateVolume lands on the same bucket or prefix.
 *
 * <p>Names are made of lowercase letters, digits and single hyphens, which is valid for a bucket
 * everywhere (no dots, so virtual-hosted TLS works) and for every FUSE client. A name that had to
 * be changed (upper case, other characters) or shortened gets {@code -} and 8 hex digits of the
 * SHA-256 of the original appended, so distinct inputs stay distinct: {@code Team.A} and {@code
 * team-a} do not collide. The CSI volume names the external-provisioner sends ({@code pvc-<uid>},
 * 40 characters) pass unchanged.
 */
public final class VolumeNames {

  /** The longest bucket name S3 accepts. */
  public static final int MAX_BUCKET_LENGTH = 63;

  /** The longest {@code bucketNamePrefix}, which leaves room for the volume's name. */
  public static final int MAX_BUCKET_NAME_PREFIX_LENGTH = 40;

  /** The longest derived prefix, without its trailing slash. */
  public static final int MAX_PREFIX_LENGTH = 256;

  private static final int MIN_BUCKET_LENGTH = 3;
  private static final int HASH_LENGTH = 8;
  private static final Pattern BUCKET_NAME_PREFIX = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*-?");
  private static final Pattern EXISTING_BUCKET =
      Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final List<String> RESERVED_PREFIXES = List.of("sthree-", "amzn-s3-demo-");
  private static final List<String> RESERVED_SUFFIXES = List.of("-s3alias");

  private VolumeNames() {}

  /**
   * Derives a bucket name.
   *
   * @param bucketNamePrefix a checked {@code bucketNamePrefix} (see {@link
   *     #checkBucketNamePrefix}), possibly empty
   * @param name the rendered name template
   * @return a valid bucket name of 3 to 63 characters
   */
  public static String bucketName(String bucketNamePrefix, String name) {
    String sanitized = sanitize(name);
    String candidate = bucketNamePrefix + sanitized;
    for (String reserved : RESERVED_PREFIXES) {
      if (candidate.startsWith(reserved)) {
        candidate = "v-" + candidate;
      }
    }
    boolean changed = !candidate.equals(bucketNamePrefix + name);
    boolean reservedSuffix = RESERVED_SUFFIXES.stream().anyMatch(candidate::endsWith);
    if (!changed
        && !reservedSuffix
        && candidate.length() >= MIN_BUCKET_LENGTH
        && candidate.length() <= MAX_BUCKET_LENGTH) {
      return candidate;
    }
    return withHash(candidate, MAX_BUCKET_LENGTH, bucketNamePrefix + "\u0000" + name);
  }

  /**
   * Derives a prefix. Slashes in the name separate segments, so a template such as {@code
   * ${pvc.namespace}/${pvc.name}} groups volumes by namespace; each segment is sanitized like a
   * bucket name and empty segments are dropped.
   *
   * @param name the rendered name template
   * @return the prefix, ending with {@code /}
   */
  public static String prefix(String name) {
    List<String> segments = new ArrayList<>();
    for (String segment : name.split("/")) {
      String sanitized = sanitize(segment);
      if (!sanitized.isEmpty()) {
        segments.add(sanitized);
      }
    }
    String joined = String.join("/", segments);
    boolean changed = !joined.equals(name);
    if (!changed && joined.length() <= MAX_PREFIX_LENGTH) {
      return joined + "/";
    }
    return withHash(joined, MAX_PREFIX_LENGTH, name) + "/";
  }

  /**
   * Checks a {@code bucketNamePrefix}.
   *
   * @param field the parameter named in the error
   * @param value the value
   * @return the value
   * @throws InvalidArgumentException when it could not start a valid bucket name
   */
  public static String checkBucketNamePrefix(String field, String value) {
    if (value.length() > MAX_BUCKET_NAME_PREFIX_LENGTH
        || !BUCKET_NAME_PREFIX.matcher(value).matches()
        || RESERVED_PREFIXES.stream().anyMatch(value::startsWith)
        || value.startsWith("xn--")) {
      throw new InvalidArgumentException(
          field,
          "must be at most "
              + MAX_BUCKET_NAME_PREFIX_LENGTH
              + " characters of lowercase letters, digits and single hyphens, starting with a"
              + " letter or digit and not with a prefix S3 reserves (was '"
              + value
              + "')");
    }
    return value;
  }

  /**
   * Checks the name of an existing bucket ({@code bucketName} in prefix mode): the S3 rules, dots
   * allowed.
   *
   * @param field the parameter named in the error
   * @param value the value
   * @return the value
   * @throws InvalidArgumentException when it is not a valid bucket name
   */
  public static String checkExistingBucket(String field, String value) {
    if (!EXISTING_BUCKET.matcher(value).matches()
        || value.contains("..")
        || value.contains(".-")
        || value.contains("-.")
        || IP_ADDRESS.matcher(value).matches()) {
      throw new InvalidArgumentException(
          field,
          "'"
              + value
              + "' is not a valid S3 bucket name (3-63 characters: lowercase letters, digits, dots"
              + " and hyphens, starting and ending with a letter or digit)");
    }
    return value;
  }

  /**
   * Returns the first {@code length} hex digits of the SHA-256 of a text.
   *
   * @param text the text, hashed as UTF-8
   * @param length how many hex digits, at most 64
   * @return the digits
   */
  static String hash(String text, int length) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String sanitize(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      boolean keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (keep) {
        out.append(c);
      } else if (out.length() > 0 && out.charAt(out.length() - 1) != '-') {
        out.append('-');
      }
    }
    while (out.length() > 0 && out.charAt(out.length() - 1) == '-') {
      out.setLength(out.length() - 1);
    }
    return out.toString();
  }

  private static String withHash(String base, int maxLength, String original) {
    String suffix = hash(original, HASH_LENGTH);
    String head =
        base.length() > maxLength - HASH_LENGTH - 1
            ? base.substring(0, maxLength - HASH_LENGTH - 1)
            : base;
    while (head.endsWith("-") || head.endsWith("/")) {
      head = head.substring(0, head.length() - 1);
    }
    return head.isEmpty() ? suffix : head + "-" + suffix;
  }
}
