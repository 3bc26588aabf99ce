package io.s3csi.core.provisioning;

import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.volume.AuthenticationSource;
import io.s3csi.core.volume.VolumeContext;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The typed view of a StorageClass's {@code parameters}, as CreateVolume receives them.
 *
 * <p>An unknown parameter is an error that lists the known ones, so a typo never passes silently.
 * Keys of the {@code csi.storage.k8s.io/} namespace belong to Kubernetes and are accepted: the
 * PVC/PV names the external-provisioner adds with {@code --extra-create-metadata} feed the {@link
 * NameTemplate}, and the secret references ({@code provisioner-secret-name}, {@code
 * node-publish-secret-name}, ...) are consumed by the provisioner.
 *
 * @param mode bucket per volume, or prefix per volume in a shared bucket
 * @param bucketName the shared bucket (prefix mode only)
 * @param bucketNamePrefix text put before each derived bucket name (bucket mode only)
 * @param nameTemplate how a volume's name is derived
 * @param deletePolicy what DeleteVolume does to the data
 * @param endpointUrl the S3 endpoint, when not the driver's default
 * @param region the region, when not the driver's default
 * @param pathStyle path-style addressing, when not the driver's default
 * @param fuseClient the FUSE client the node uses for the volume
 * @param authenticationSource whose identity the node uses for the volume
 * @param stsRegion the STS region for web-identity credentials on the node
 * @param pvName the PV name the provisioner sent ({@code csi.storage.k8s.io/pv/name})
 * @param pvcName the PVC name the provisioner sent ({@code csi.storage.k8s.io/pvc/name})
 * @param pvcNamespace the PVC namespace the provisioner sent ({@code
 *     csi.storage.k8s.io/pvc/namespace})
 */
public record StorageClassParameters(
    ProvisioningMode mode,
    Optional<String> bucketName,
    String bucketNamePrefix,
    NameTemplate nameTemplate,
    DeletePolicy deletePolicy,
    Optional<URI> endpointUrl,
    Optional<String> region,
    Optional<Boolean> pathStyle,
    Optional<FuseClient> fuseClient,
    Optional<AuthenticationSource> authenticationSource,
    Optional<String> stsRegion,
    Optional<String> pvName,
    Optional<String> pvcName,
    Optional<String> pvcNamespace) {

  /** Bucket per volume or prefix per volume. */
  public static final String PROVISIONING_MODE = "provisioningMode";

  /** The shared bucket of prefix mode (the same key a static volume uses). */
  public static final String BUCKET_NAME = VolumeContext.BUCKET_NAME;

  /** Text before each derived bucket name. */
  public static final String BUCKET_NAME_PREFIX = "bucketNamePrefix";

  /** The template of a volume's name. */
  public static final String NAME_TEMPLATE = "nameTemplate";

  /** What DeleteVolume does to the data. */
  public static final String DELETE_POLICY = "deletePolicy";

  /** The key namespace Kubernetes reserves for itself. */
  public static final String KUBERNETES_PREFIX = "csi.storage.k8s.io/";

  /** The PV name the external-provisioner adds with {@code --extra-create-metadata}. */
  public static final String PV_NAME_KEY = KUBERNETES_PREFIX + "pv/name";

  /** The PVC name the external-provisioner adds with {@code --extra-create-metadata}. */
  public static final String PVC_NAME_KEY = KUBERNETES_PREFIX + "pvc/name";

  /** The PVC namespace the external-provisioner adds with {@code --extra-create-metadata}. */
  public static final String PVC_NAMESPACE_KEY = KUBERNETES_PREFIX + "pvc/namespace";

  private static final Set<String> KNOWN =
      Set.of(
          PROVISIONING_MODE,
          BUCKET_NAME,
          BUCKET_NAME_PREFIX,
          NAME_TEMPLATE,
          DELETE_POLICY,
          VolumeContext.ENDPOINT_URL,
          VolumeContext.REGION,
          VolumeContext.PATH_STYLE,
          VolumeContext.FUSE_CLIENT,
          VolumeContext.AUTHENTICATION_SOURCE,
          VolumeContext.STS_REGION);

  /** Checks for nulls and that the mode's parameters go together. */
  public StorageClassParameters {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(bucketName, "bucketName");
    Objects.requireNonNull(bucketNamePrefix, "bucketNamePrefix");
    Objects.requireNonNull(nameTemplate, "nameTemplate");
    Objects.requireNonNull(deletePolicy, "deletePolicy");
    Objects.requireNonNull(endpointUrl, "endpointUrl");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(pathStyle, "pathStyle");
    Objects.requireNonNull(fuseClient, "fuseClient");
    Objects.requireNonNull(authenticationSource, "authenticationSource");
    Objects.requireNonNull(stsRegion, "stsRegion");
    Objects.requireNonNull(pvName, "pvName");
    Objects.requireNonNull(pvcName, "pvcName");
    Objects.requireNonNull(pvcNamespace, "pvcNamespace");
    if (mode == ProvisioningMode.PREFIX && bucketName.isEmpty()) {
      throw new InvalidArgumentException(
          BUCKET_NAME,
          "required with provisioningMode prefix: the existing bucket that holds the volumes'"
              + " prefixes");
    }
    if (mode == ProvisioningMode.BUCKET && bucketName.isPresent()) {
      throw new InvalidArgumentException(
          BUCKET_NAME,
          "only applies to provisioningMode prefix; in provisioningMode bucket each volume gets a"
              + " bucket of its own, named from bucketNamePrefix and nameTemplate");
    }
    if (mode == ProvisioningMode.PREFIX && !bucketNamePrefix.isEmpty()) {
      throw new InvalidArgumentException(
          BUCKET_NAME_PREFIX, "only applies to provisioningMode bucket");
    }
  }

  /**
   * Parses the parameters of a CreateVolume request. Blank values count as unset.
   *
   * @param parameters the request's {@code parameters}
   * @return the typed parameters
   * @throws InvalidArgumentException naming the parameter that is unknown, malformed or does not
   *     fit the provisioning mode
   */
  public static StorageClassParameters parse(Map<String, String> parameters) {
    Map<String, String> params = new TreeMap<>();
    for (Map.Entry<String, String> entry : parameters.entrySet()) {
      String key = entry.getKey();
      if (key.isBlank()) {
        // the error names the field; a blank key would leave it unnamed
        throw new InvalidArgumentException(
            "parameters",
            "has a parameter with an empty name; known parameters are " + knownParameters());
      }
      if (!KNOWN.contains(key) && !key.startsWith(KUBERNETES_PREFIX)) {
        throw new InvalidArgumentException(
            key, "unknown StorageClass parameter; known parameters are " + knownParameters());
      }
      String value = entry.getValue() == null ? "" : entry.getValue().strip();
      if (!value.isEmpty()) {
        params.put(key, value);
      }
    }
    Optional<String> bucketName =
        Optional.ofNullable(params.get(BUCKET_NAME))
            .map(v -> VolumeNames.checkExistingBucket(BUCKET_NAME, v));
    ProvisioningMode mode =
        Optional.ofNullable(params.get(PROVISIONING_MODE))
            .map(v -> ProvisioningMode.parse(PROVISIONING_MODE, v))
            .orElse(bucketName.isPresent() ? ProvisioningMode.PREFIX : ProvisioningMode.BUCKET);
    return new StorageClassParameters(
        mode,
        bucketName,
        Optional.ofNullable(params.get(BUCKET_NAME_PREFIX))
            .map(v -> VolumeNames.checkBucketNamePrefix(BUCKET_NAME_PREFIX, v))
            .orElse(""),
        Optional.ofNullable(params.get(NAME_TEMPLATE))
            .map(v -> NameTemplate.parse(NAME_TEMPLATE, v))
            .orElse(NameTemplate.DEFAULT),
        Optional.ofNullable(params.get(DELETE_POLICY))
            .map(v -> DeletePolicy.parse(DELETE_POLICY, v))
            .orElse(DeletePolicy.RETAIN),
        VolumeContext.endpoint(VolumeContext.ENDPOINT_URL, params.get(VolumeContext.ENDPOINT_URL)),
        VolumeContext.region(VolumeContext.REGION, params.get(VolumeContext.REGION)),
        VolumeContext.bool(VolumeContext.PATH_STYLE, params.get(VolumeContext.PATH_STYLE)),
        Optional.ofNullable(params.get(VolumeContext.FUSE_CLIENT))
            .map(v -> FuseClient.parse(VolumeContext.FUSE_CLIENT, v)),
        Optional.ofNullable(params.get(VolumeContext.AUTHENTICATION_SOURCE))
            .map(StorageClassParameters::authenticationSource),
        VolumeContext.region(VolumeContext.STS_REGION, params.get(VolumeContext.STS_REGION)),
        Optional.ofNullable(params.get(PV_NAME_KEY)),
        Optional.ofNullable(params.get(PVC_NAME_KEY)),
        Optional.ofNullable(params.get(PVC_NAMESPACE_KEY)));
  }

  /**
   * Returns where a volume of the given CSI name lives under these parameters.
   *
   * @param volumeName the CSI volume name (CreateVolume's {@code name})
   * @return the bucket, or the shared bucket and the volume's prefix
   * @throws InvalidArgumentException when the name template needs metadata the request lacks
   */
  public Location location(String volumeName) {
    String rendered = nameTemplate.render(pvName.orElse(volumeName), pvcName, pvcNamespace);
    return switch (mode) {
      case BUCKET ->
          new Location(VolumeNames.bucketName(bucketNamePrefix, rendered), Optional.empty());
      case PREFIX ->
          new Location(bucketName.orElseThrow(), Optional.of(VolumeNames.prefix(rendered)));
    };
  }

  /** Returns the parameter names this driver understands, for error messages and docs. */
  public static String knownParameters() {
    return String.join(", ", new TreeSet<>(KNOWN)) + " and " + KUBERNETES_PREFIX + "*";
  }

  private static AuthenticationSource authenticationSource(String value) {
    String name = value.toLowerCase(Locale.ROOT);
    for (AuthenticationSource source : AuthenticationSource.values()) {
      if (source.id().equals(name)) {
        return source;
      }
    }
    throw new InvalidArgumentException(
        VolumeContext.AUTHENTICATION_SOURCE,
        "must be one of driver, secret, pod (was '" + value + "')");
  }
}
