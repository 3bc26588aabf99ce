package io.s3csi.core.volume;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.fuse.FuseClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The typed view of a volume's CSI attributes ({@code volumeAttributes} of a PersistentVolume, or
 * the volume context a CreateVolume returned), with its volume id.
 *
 * <p>Attributes of AWS's Mountpoint S3 CSI driver ({@code bucketName}, {@code
 * authenticationSource}, {@code stsRegion}, ...) mean the same here, so their PersistentVolumes
 * work unchanged; the Yandex k8s-csi-s3 spellings {@code bucket}, {@code mounter} and {@code
 * options} are accepted too, and so is a volume handle of the form {@code bucket/prefix}. An
 * unknown attribute is an error that lists the known ones, so a typo never passes silently.
 *
 * @param volumeId the CSI volume id (the PersistentVolume's {@code volumeHandle})
 * @param bucket the bucket name (or access point ARN)
 * @param prefix the key prefix mounted as the volume's root, normalized to end with {@code /}
 * @param authenticationSource where the credentials come from
 * @param region the bucket's region, when set on the volume
 * @param stsRegion the STS region for web-identity credentials, when set on the volume
 * @param endpointUrl the S3 endpoint, when set on the volume
 * @param pathStyle path-style addressing, when set on the volume
 * @param fuseClient the FUSE client, when set on the volume
 * @param extraMountOptions the {@code options} attribute, a command line such as {@code --dir-mode
 *     0777 --debug} kept whole (empty when unset), split and checked by {@link
 *     io.s3csi.core.fuse.MountOptions} together with the CSI mount flags
 * @param pod what kubelet says about the workload pod
 * @param ignoredAttributes attributes of other drivers that are accepted but have no effect here
 */
public record VolumeContext(
    String volumeId,
    String bucket,
    Optional<String> prefix,
    AuthenticationSource authenticationSource,
    Optional<String> region,
    Optional<String> stsRegion,
    Optional<URI> endpointUrl,
    Optional<Boolean> pathStyle,
    Optional<FuseClient> fuseClient,
    List<String> extraMountOptions,
    PodInfo pod,
    Set<String> ignoredAttributes) {

  /** The attribute naming the bucket. */
  public static final String BUCKET_NAME = "bucketName";

  /** The attribute naming the key prefix. */
  public static final String PREFIX = "prefix";

  /** The attribute naming the credential source. */
  public static final String AUTHENTICATION_SOURCE = "authenticationSource";

  /** The attribute naming the bucket's region. */
  public static final String REGION = "region";

  /** The attribute naming the STS region. */
  public static final String STS_REGION = "stsRegion";

  /** The attribute naming the S3 endpoint. */
  public static final String ENDPOINT_URL = "endpointUrl";

  /** The attribute turning on path-style addressing. */
  public static final String PATH_STYLE = "pathStyle";

  /** The attribute naming the FUSE client. */
  public static final String FUSE_CLIENT = "fuseClient";

  /** Yandex k8s-csi-s3's spelling of {@link #BUCKET_NAME}. */
  public static final String YANDEX_BUCKET = "bucket";

  /** Yandex k8s-csi-s3's spelling of {@link #FUSE_CLIENT}. */
  public static final String YANDEX_MOUNTER = "mounter";

  /** Yandex k8s-csi-s3's mount options, one command-line string. */
  public static final String YANDEX_OPTIONS = "options";

  /** The pod-info prefix kubelet uses. */
  public static final String POD_INFO_PREFIX = "csi.storage.k8s.io/";

  /** The attribute carrying service-account tokens (a secret). */
  public static final String SERVICE_ACCOUNT_TOKENS = "csi.storage.k8s.io/serviceAccount.tokens";

  private static final String PROVISIONER_PREFIX = "storage.kubernetes.io/";

  private static final Set<String> OWN_KEYS =
      Set.of(
          BUCKET_NAME,
          PREFIX,
          AUTHENTICATION_SOURCE,
          REGION,
          STS_REGION,
          ENDPOINT_URL,
          PATH_STYLE,
          FUSE_CLIENT,
          YANDEX_BUCKET,
          YANDEX_MOUNTER,
          YANDEX_OPTIONS);

  /**
   * Attributes of AWS's and Yandex's drivers that configure their mounter pods or report a size.
   * s3csi runs no mounter pods and S3 has no size, so these are accepted and reported as ignored.
   */
  private static final Set<String> FOREIGN_KEYS =
      Set.of(
          "capacity",
          "cache",
          "cacheEmptyDirSizeLimit",
          "cacheEmptyDirMedium",
          "cacheEphemeralStorageClassName",
          "cacheEphemeralStorageResourceRequest",
          "mountpointPodServiceAccountName",
          "mountpointContainerResourcesRequestsCpu",
          "mountpointContainerResourcesRequestsMemory",
          "mountpointContainerResourcesLimitsCpu",
          "mountpointContainerResourcesLimitsMemory",
          "mountpointPriorityClassName");

  /** Validates and copies. */
  public VolumeContext {
    Objects.requireNonNull(volumeId, "volumeId");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(authenticationSource, "authenticationSource");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(stsRegion, "stsRegion");
    Objects.requireNonNull(endpointUrl, "endpointUrl");
    Objects.requireNonNull(pathStyle, "pathStyle");
    Objects.requireNonNull(fuseClient, "fuseClient");
    Objects.requireNonNull(pod, "pod");
    extraMountOptions = List.copyOf(extraMountOptions);
    ignoredAttributes = Set.copyOf(ignoredAttributes);
  }

  /**
   * Parses the attributes of a volume.
   *
   * @param volumeId the volume id; when no bucket attribute is set it must be {@code bucket} or
   *     {@code bucket/prefix}
   * @param attributes the volume attributes (context)
   * @return the typed context
   * @throws InvalidArgumentException naming the attribute that is missing, unknown or malformed
   */
  public static VolumeContext parse(String volumeId, Map<String, String> attributes) {
    if (volumeId == null || volumeId.isBlank()) {
      throw new InvalidArgumentException("volume_id", "must not be empty");
    }
    Map<String, String> attrs = new TreeMap<>(attributes);
    Set<String> ignored = new TreeSet<>();
    for (String key : attrs.keySet()) {
      if (OWN_KEYS.contains(key)
          || key.startsWith(POD_INFO_PREFIX)
          || key.startsWith(PROVISIONER_PREFIX)) {
        continue;
      }
      if (FOREIGN_KEYS.contains(key)) {
        ignored.add(key);
        continue;
      }
      if (key.isBlank()) {
        // the error names the field; a blank key would leave it unnamed
        throw new InvalidArgumentException(
            "volume_context",
            "has an attribute with an empty name; known attributes are " + knownAttributes());
      }
      // The key is echoed to logs and events: control characters must not forge lines there.
      throw new InvalidArgumentException(
          printable(key), "unknown volume attribute; known attributes are " + knownAttributes());
    }

    String bucketAttr = single(attrs, BUCKET_NAME, YANDEX_BUCKET);
    String bucket;
    Optional<String> prefix;
    if (bucketAttr != null) {
      bucket =
          BucketNames.check(
              attrs.containsKey(BUCKET_NAME) ? BUCKET_NAME : YANDEX_BUCKET, bucketAttr);
      prefix = Prefixes.normalize(PREFIX, attrs.get(PREFIX));
    } else {
      int slash = volumeId.indexOf('/');
      String handleBucket = slash < 0 ? volumeId : volumeId.substring(0, slash);
      if (!BucketNames.isValid(handleBucket)) {
        throw new InvalidArgumentException(
            BUCKET_NAME,
            "required: set volumeAttributes."
                + BUCKET_NAME
                + " or use a volume handle of the form bucket/prefix");
      }
      bucket = handleBucket;
      Optional<String> handlePrefix =
          Prefixes.normalize("volume_id", slash < 0 ? null : volumeId.substring(slash + 1));
      Optional<String> attrPrefix = Prefixes.normalize(PREFIX, attrs.get(PREFIX));
      if (handlePrefix.isPresent() && attrPrefix.isPresent()) {
        throw new InvalidArgumentException(
            PREFIX, "set either a prefix attribute or a volume handle bucket/prefix, not both");
      }
      prefix = handlePrefix.isPresent() ? handlePrefix : attrPrefix;
    }

    AuthenticationSource source =
        Optional.ofNullable(attrs.get(AUTHENTICATION_SOURCE))
            .map(v -> AuthenticationSource.parse(AUTHENTICATION_SOURCE, v))
            .orElse(AuthenticationSource.DRIVER);
    String client = single(attrs, FUSE_CLIENT, YANDEX_MOUNTER);
    Optional<FuseClient> fuseClient =
        Optional.ofNullable(client)
            .map(
                v -> FuseClient.parse(attrs.containsKey(FUSE_CLIENT) ? FUSE_CLIENT : "mounter", v));
    return new VolumeContext(
        volumeId,
        bucket,
        prefix,
        source,
        region(REGION, attrs.get(REGION)),
        region(STS_REGION, attrs.get(STS_REGION)),
        endpoint(ENDPOINT_URL, attrs.get(ENDPOINT_URL)),
        bool(PATH_STYLE, attrs.get(PATH_STYLE)),
        fuseClient,
        commandLine(YANDEX_OPTIONS, attrs.get(YANDEX_OPTIONS)),
        podInfoStrict(attrs),
        ignored);
  }

  /** Returns the attribute names this driver understands, for error messages and docs. */
  public static String knownAttributes() {
    TreeSet<String> all = new TreeSet<>(OWN_KEYS);
    all.addAll(FOREIGN_KEYS);
    return String.join(", ", all) + " and csi.storage.k8s.io/*";
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 128));
    text.codePoints()
        .limit(128)
        .forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }

  private static String single(Map<String, String> attrs, String key, String alias) {
    String value = attrs.get(key);
    String aliased = attrs.get(alias);
    if (value != null && aliased != null && !value.equals(aliased)) {
      throw new InvalidArgumentException(
          key, "set either " + key + " or " + alias + ", they disagree");
    }
    return value != null ? value : aliased;
  }

  /**
   * Checks a region name.
   *
   * @param field the field named in the error
   * @param value the value or {@code null}
   * @return the region, empty when {@code value} is null or blank
   */
  public static Optional<String> region(String field, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String region = value.strip();
    if (!region.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new InvalidArgumentException(
          field, "must be a region name such as us-east-1 (lowercase letters, digits, hyphens)");
    }
    return Optional.of(region);
  }

  /**
   * Checks an S3 endpoint URL: absolute http(s), no user info, no query, fragment or comma.
   *
   * @param field the field named in the error
   * @param value the value or {@code null}
   * @return the endpoint, empty when {@code value} is null or blank
   */
  public static Optional<URI> endpoint(String field, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new InvalidArgumentException(field, "is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidArgumentException(field, "must be an http:// or https:// URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new InvalidArgumentException(field, "must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidArgumentException(
          field, "must not carry credentials; use a node-publish secret or the driver's identity");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new InvalidArgumentException(field, "must not have a query or fragment");
    }
    if (uri.toString().indexOf(',') >= 0) {
      // s3fs gets the URL inside a comma-separated -o list, where a comma starts another option
      throw new InvalidArgumentException(field, "must not contain a comma");
    }
    return Optional.of(uri);
  }

  /**
   * Parses a boolean attribute.
   *
   * @param field the field named in the error
   * @param value {@code true}/{@code false} in any case, or null/blank for unset
   * @return the value, empty when unset
   */
  public static Optional<Boolean> bool(String field, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> throw new InvalidArgumentException(field, "must be true or false");
    };
  }

  /**
   * Keeps a command-line run of options whole, its white space collapsed: split into single words
   * here, {@code --dir-mode 0777} would reach the option parser as two unrelated flags.
   */
  private static List<String> commandLine(String field, String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    if (value.indexOf('\0') >= 0) {
      throw new InvalidArgumentException(field, "must not contain a NUL character");
    }
    // line breaks of a multi-line YAML value separate words like spaces do
    return List.of(String.join(" ", value.strip().split("\\s+")));
  }

  private static PodInfo podInfoStrict(Map<String, String> attrs) {
    return new PodInfo(
        nonBlank(attrs.get(POD_INFO_PREFIX + "pod.name")),
        nonBlank(attrs.get(POD_INFO_PREFIX + "pod.namespace")),
        nonBlank(attrs.get(POD_INFO_PREFIX + "pod.uid")),
        nonBlank(attrs.get(POD_INFO_PREFIX + "serviceAccount.name")),
        bool(POD_INFO_PREFIX + "ephemeral", attrs.get(POD_INFO_PREFIX + "ephemeral")).orElse(false),
        nonBlank(attrs.get(SERVICE_ACCOUNT_TOKENS)).map(Secret::of));
  }

  /**
   * Reads the pod info kubelet put in a volume context, leniently: unlike {@link #parse}, it never
   * throws, so the pod of a request with a bad context can still be told what went wrong.
   *
   * @param attrs the raw volume context; {@code null} values and a malformed {@code ephemeral} are
   *     treated as absent
   * @return the pod info, or {@link PodInfo#NONE}
   */
  public static PodInfo podInfo(Map<String, String> attrs) {
    if (attrs == null) {
      return PodInfo.NONE;
    }
    try {
      return podInfoStrict(attrs);
    } catch (RuntimeException e) {
      Map<String, String> withoutFlag = new HashMap<>(attrs);
      withoutFlag.remove(POD_INFO_PREFIX + "ephemeral");
      return podInfoStrict(withoutFlag);
    }
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
