package io.s3csi.core.provisioning;

import io.s3csi.core.credentials.CredentialProvider;
import io.s3csi.core.credentials.CredentialRequest;
import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.SecretCredentialProvider;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.node.VolumeLocks;
import io.s3csi.core.volume.VolumeContext;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The controller use-cases: CreateVolume, DeleteVolume and ValidateVolumeCapabilities for volumes
 * backed by a bucket or by a prefix in a shared bucket.
 *
 * <p>Every call is idempotent and the controller keeps no state: what a volume is lives in its id
 * ({@link VolumeId}) and in its marker object ({@link VolumeMarker}).
 *
 * <ul>
 *   <li>CreateVolume derives the location from the request name, so a retry lands on the same
 *       bucket or prefix. The same name with the same parameters returns the same volume; other
 *       parameters, an incompatible capacity, a location held by another volume or holding objects
 *       s3csi did not provision are {@code ALREADY_EXISTS}. Block access is {@code
 *       INVALID_ARGUMENT}.
 *   <li>DeleteVolume of an unknown id, or of a location that is gone, succeeds. {@code retain}
 *       keeps the data and logs it; {@code deleteIfEmpty} on a non-empty location is {@code
 *       FAILED_PRECONDITION} naming the object count; {@code delete} removes every object version,
 *       then the marker, then the bucket, and never bypasses Object Lock.
 *   <li>ValidateVolumeCapabilities is {@code NOT_FOUND} for a missing volume and confirms mount
 *       access in every access mode, never block access.
 * </ul>
 *
 * <p>Calls for one location are serialized by {@link VolumeLocks}: a second call while one is in
 * flight is {@code ABORTED}, so concurrent CreateVolumes of one name create one bucket.
 *
 * <p>The S3 identity is the request's secrets (the StorageClass's {@code
 * csi.storage.k8s.io/provisioner-secret-name}, keys as for {@link SecretCredentialProvider}) when
 * it has any, otherwise the driver's own.
 */
public final class ControllerService {
  private static final Logger LOG = System.getLogger(ControllerService.class.getName());

  /** How many objects a non-empty-location message counts at most. */
  static final int COUNT_LIMIT = 1000;

  private final ControllerConfig config;
  private final BucketProvisioner provisioner;
  private final CredentialProvider driverCredentials;
  private final CredentialProvider secretCredentials = new SecretCredentialProvider();
  private final VolumeLocks locks;

  /**
   * Creates the service.
   *
   * @param config the connection defaults
   * @param provisioner the S3 side effects
   * @param driverCredentials the driver's own identity, used when a request carries no secrets
   *     (usually an {@link io.s3csi.core.credentials.EnvironmentCredentialProvider})
   * @param locks the per-volume locks
   */
  public ControllerService(
      ControllerConfig config,
      BucketProvisioner provisioner,
      CredentialProvider driverCredentials,
      VolumeLocks locks) {
    this.config = Objects.requireNonNull(config, "config");
    this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
    this.driverCredentials = Objects.requireNonNull(driverCredentials, "driverCredentials");
    this.locks = Objects.requireNonNull(locks, "locks");
  }

  /**
   * Creates a volume, or returns the one an earlier call of the same name created.
   *
   * @param request the request
   * @return the volume
   * @throws DriverException {@code INVALID_ARGUMENT} naming the field for bad input, {@code
   *     ALREADY_EXISTS} for an incompatible existing volume or a foreign location, {@code
   *     FAILED_PRECONDITION} when prefix mode's bucket does not exist, {@code ABORTED} when the
   *     volume is busy, or the provisioner's error
   */
  public ProvisionedVolume createVolume(CreateVolumeRequest request) {
    requireNonEmpty("name", request.name());
    checkCapabilities(request.capabilities());
    if (request.hasContentSource()) {
      throw new InvalidArgumentException(
          "volume_content_source",
          "is not supported: s3csi creates empty volumes (no snapshots, no clones)");
    }
    StorageClassParameters params = StorageClassParameters.parse(request.parameters());
    Location location = params.location(request.name());
    Optional<URI> endpoint = params.endpointUrl().or(config::defaultEndpoint);
    Optional<String> region = params.region().or(config::defaultRegion);
    boolean pathStyle = params.pathStyle().orElse(config.defaultPathStyle());
    VolumeId id =
        VolumeId.of(request.name(), params.deletePolicy(), location, endpoint, region, pathStyle);
    Map<String, String> context = Contexts.of(id);
    params.fuseClient().ifPresent(c -> context.put(VolumeContext.FUSE_CLIENT, c.id()));
    params
        .authenticationSource()
        .ifPresent(s -> context.put(VolumeContext.AUTHENTICATION_SOURCE, s.id()));
    params.stsRegion().ifPresent(r -> context.put(VolumeContext.STS_REGION, r));
    // The node parses the same attributes; fail here rather than on every publish.
    VolumeContext volume = VolumeContext.parse(id.format(), context);
    SortedMap<String, String> defining = new TreeMap<>(context);
    defining.put(StorageClassParameters.DELETE_POLICY, params.deletePolicy().id());
    VolumeMarker wanted =
        new VolumeMarker(request.name(), defining, request.capacity().capacityBytes());

    try (VolumeLocks.Held held = locks.acquire(lockKey(id), describe(request.name(), location))) {
      Connection connection = connection(id, volume, request.secrets());
      Optional<VolumeMarker> existing = new Creation(provisioner, connection, location).run(wanted);
      if (existing.isPresent()) {
        existing.get().requireCompatible(wanted, request.capacity(), location);
        LOG.log(Level.DEBUG, "volume {0} already exists at {1}", request.name(), location);
        return new ProvisionedVolume(id.format(), existing.get().capacityBytes(), context, true);
      }
      LOG.log(
          Level.INFO,
          "created volume {0} at {1} (deletePolicy {2})",
          request.name(),
          location,
          params.deletePolicy());
      return new ProvisionedVolume(id.format(), wanted.capacityBytes(), context, false);
    }
  }

  /**
   * Deletes a volume as its delete policy says.
   *
   * @param request the request
   * @return what was done
   * @throws DriverException {@code FAILED_PRECONDITION} when {@code deleteIfEmpty} finds objects,
   *     when the location holds objects but no marker, or when Object Lock forbids deletion; {@code
   *     ABORTED} when the volume is busy, or the provisioner's error
   */
  public DeleteResult deleteVolume(DeleteVolumeRequest request) {
    requireNonEmpty("volume_id", request.volumeId());
    Optional<VolumeId> parsed = VolumeId.parse(request.volumeId());
    if (parsed.isEmpty()) {
      LOG.log(
          Level.INFO,
          "volume {0} was not provisioned by s3csi; nothing to delete",
          request.volumeId());
      return DeleteResult.NOT_PROVISIONED;
    }
    VolumeId id = parsed.get();
    if (id.deletePolicy() == DeletePolicy.RETAIN) {
      LOG.log(
          Level.INFO,
          "retaining {0} of volume {1}: its deletePolicy is retain, so the objects stay in place"
              + " and only the PersistentVolume goes away",
          id.location(),
          id);
      return DeleteResult.RETAINED;
    }
    try (VolumeLocks.Held held = locks.acquire(lockKey(id), "volume " + id)) {
      Connection connection =
          connection(id, VolumeContext.parse(id.format(), Contexts.of(id)), request.secrets());
      return new Deletion(provisioner, connection, id).run();
    }
  }

  /**
   * Confirms the capabilities of an existing volume: an s3csi volume (its marker must be in place)
   * or a static one (its bucket must exist).
   *
   * @param request the request
   * @return confirmed, or not confirmed with the reason
   * @throws DriverException {@code INVALID_ARGUMENT} for bad input, {@code NOT_FOUND} when the
   *     volume does not exist, or the provisioner's error
   */
  public Validation validateVolumeCapabilities(ValidateVolumeRequest request) {
    requireNonEmpty("volume_id", request.volumeId());
    if (request.capabilities().isEmpty()) {
      throw new InvalidArgumentException("volume_capabilities", "must not be empty");
    }
    Optional<String> unsupported = Optional.empty();
    for (RequestedCapability capability : request.capabilities()) {
      if (capability.accessType() == RequestedCapability.AccessType.BLOCK) {
        unsupported = Optional.of("block access is not supported: S3 volumes are mount only");
      } else {
        capability.toMountCapability();
      }
    }
    if (!request.parameters().isEmpty()) {
      StorageClassParameters.parse(request.parameters());
    }
    Optional<VolumeId> ours = VolumeId.parse(request.volumeId());
    if (ours.isPresent()) {
      VolumeId id = ours.get();
      Connection connection =
          connection(id, VolumeContext.parse(id.format(), Contexts.of(id)), request.secrets());
      Location location = id.location();
      Optional<VolumeMarker> marker =
          provisioner
              .readMarker(connection, location.bucket(), location.markerKey())
              .flatMap(m -> VolumeMarker.fromMetadata(location, m));
      if (marker.isEmpty() || !id.belongsTo(marker.get().volumeName())) {
        throw DriverException.notFound(
            "volume " + id + " does not exist: " + location + " holds no s3csi marker for it");
      }
    } else {
      VolumeContext volume = VolumeContext.parse(request.volumeId(), request.volumeContext());
      Connection connection =
          connection(
              volume.endpointUrl().or(config::defaultEndpoint),
              volume.region().or(config::defaultRegion),
              volume.pathStyle().orElse(config.defaultPathStyle()),
              volume,
              request.secrets());
      if (!provisioner.bucketExists(connection, volume.bucket())) {
        throw DriverException.notFound(
            "volume "
                + request.volumeId()
                + " does not exist: bucket "
                + volume.bucket()
                + " does not exist");
      }
    }
    return unsupported.map(Validation::unconfirmed).orElse(Validation.CONFIRMED);
  }

  private static void checkCapabilities(List<RequestedCapability> capabilities) {
    if (capabilities.isEmpty()) {
      throw new InvalidArgumentException("volume_capabilities", "must not be empty");
    }
    capabilities.forEach(RequestedCapability::toMountCapability);
  }

  private Connection connection(VolumeId id, VolumeContext volume, Map<String, Secret> secrets) {
    return connection(id.endpoint(), id.region(), id.pathStyle(), volume, secrets);
  }

  private Connection connection(
      Optional<URI> endpoint,
      Optional<String> region,
      boolean pathStyle,
      VolumeContext volume,
      Map<String, Secret> secrets) {
    CredentialRequest request = new CredentialRequest(volume, secrets);
    Credentials credentials =
        secrets.isEmpty()
            ? driverCredentials.credentialsFor(request)
            : secretCredentials.credentialsFor(request);
    return new Connection(endpoint, region, pathStyle, credentials);
  }

  private static String lockKey(VolumeId id) {
    return "provisioning\u0000"
        + id.endpoint().map(URI::toString).orElse("")
        + "\u0000"
        + id.location();
  }

  private static String describe(String name, Location location) {
    return "volume " + name + " (" + location + ")";
  }

  private static void requireNonEmpty(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidArgumentException(field, "must not be empty");
    }
  }
}
