package io.s3csi.core.provisioning;

import io.s3csi.core.error.DriverException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The record of a provisioned volume, kept as the user metadata of a zero-byte marker object at the
 * volume's {@link Location#markerKey()}. It is what makes CreateVolume idempotent without any state
 * in the controller, and what keeps DeleteVolume from touching data s3csi did not create:
 *
 * <ul>
 *   <li>CreateVolume of a name whose location holds this name's marker with the same parameters
 *       returns the existing volume; other parameters or an incompatible capacity are {@code
 *       ALREADY_EXISTS}, naming what differs.
 *   <li>A location that holds another volume's marker, or objects but no marker, is never taken
 *       over (CreateVolume) nor emptied (DeleteVolume).
 * </ul>
 *
 * @param volumeName the CSI volume name
 * @param parameters what defines the volume: its volume context and its delete policy
 * @param capacityBytes the capacity recorded at creation
 */
public record VolumeMarker(
    String volumeName, SortedMap<String, String> parameters, long capacityBytes) {

  static final String NAME = "s3csi-volume";
  static final String PARAMETERS = "s3csi-parameters";
  static final String CAPACITY = "s3csi-capacity-bytes";
  static final String FORMAT = "s3csi-format";
  private static final String FORMAT_VERSION = "1";

  /** Checks and copies. */
  public VolumeMarker {
    Objects.requireNonNull(volumeName, "volumeName");
    parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("capacityBytes must not be negative");
    }
  }

  /** Returns the marker as S3 user metadata (lower-case names, printable ASCII values). */
  public Map<String, String> toMetadata() {
    StringBuilder encoded = new StringBuilder();
    parameters.forEach(
        (key, value) -> {
          if (encoded.length() > 0) {
            encoded.append('&');
          }
          encoded
              .append(PercentEncoding.encode(key))
              .append('=')
              .append(PercentEncoding.encode(value));
        });
    return Map.of(
        FORMAT,
        FORMAT_VERSION,
        NAME,
        PercentEncoding.encode(volumeName),
        PARAMETERS,
        encoded.toString(),
        CAPACITY,
        Long.toString(capacityBytes));
  }

  /**
   * Reads a marker from an object's user metadata.
   *
   * @param location where the object is, for the error message
   * @param metadata the object's user metadata
   * @return the marker; empty when the object is not an s3csi marker (no {@code s3csi-volume})
   * @throws DriverException {@code FAILED_PRECONDITION} when it is an s3csi marker but damaged
   */
  public static Optional<VolumeMarker> fromMetadata(
      Location location, Map<String, String> metadata) {
    String name = metadata.get(NAME);
    if (name == null) {
      return Optional.empty();
    }
    try {
      if (!FORMAT_VERSION.equals(metadata.get(FORMAT))) {
        throw new IllegalArgumentException(
            "format " + metadata.get(FORMAT) + " is not known to this driver");
      }
      SortedMap<String, String> parameters = new TreeMap<>();
      String encoded = metadata.getOrDefault(PARAMETERS, "");
      for (String pair : encoded.isEmpty() ? new String[0] : encoded.split("&")) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("parameter without '=': " + pair);
        }
        parameters.put(
            PercentEncoding.decode(pair.substring(0, eq)),
            PercentEncoding.decode(pair.substring(eq + 1)));
      }
      long capacity = Long.parseLong(metadata.getOrDefault(CAPACITY, "0"));
      return Optional.of(new VolumeMarker(PercentEncoding.decode(name), parameters, capacity));
    } catch (IllegalArgumentException e) {
      throw DriverException.failedPrecondition(
          "the s3csi marker "
              + location.markerKey()
              + " in bucket "
              + location.bucket()
              + " is damaged ("
              + e.getMessage()
              + "); repair or remove it by hand");
    }
  }

  /**
   * Checks that the marker found at a location is the volume a CreateVolume asks for.
   *
   * @param wanted the marker the request would write
   * @param range the request's capacity range
   * @param location where the marker is, for messages
   * @throws DriverException {@code ALREADY_EXISTS} naming the other volume, the parameters that
   *     differ, or the capacity outside the range
   */
  public void requireCompatible(VolumeMarker wanted, CapacityRange range, Location location) {
    if (!volumeName.equals(wanted.volumeName)) {
      throw DriverException.alreadyExists(
          location
              + " already holds volume "
              + volumeName
              + "; the nameTemplate gives volume "
              + wanted.volumeName
              + " the same location: use ${pv.name} in it");
    }
    List<String> differing = differingParameters(wanted);
    if (!differing.isEmpty()) {
      StringBuilder what = new StringBuilder();
      for (String key : differing) {
        what.append(what.length() == 0 ? "" : ", ")
            .append(key)
            .append(" was ")
            .append(parameters.getOrDefault(key, "unset"))
            .append(", now ")
            .append(wanted.parameters.getOrDefault(key, "unset"));
      }
      throw DriverException.alreadyExists(
          "volume " + wanted.volumeName + " already exists with other parameters: " + what);
    }
    if (!range.admits(capacityBytes)) {
      throw DriverException.alreadyExists(
          "volume "
              + wanted.volumeName
              + " already exists with a capacity of "
              + capacityBytes
              + " bytes, outside the requested range "
              + range);
    }
  }

  /**
   * Returns the parameter names whose values differ from another marker's.
   *
   * @param other the other marker
   * @return the names, sorted
   */
  public List<String> differingParameters(VolumeMarker other) {
    TreeSet<String> keys = new TreeSet<>(parameters.keySet());
    keys.addAll(other.parameters.keySet());
    keys.removeIf(key -> Objects.equals(parameters.get(key), other.parameters.get(key)));
    return List.copyOf(keys);
  }
}
