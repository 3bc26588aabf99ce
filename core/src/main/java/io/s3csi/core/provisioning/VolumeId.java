package io.s3csi.core.provisioning;

import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.volume.VolumeContext;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of a volume s3csi provisioned. DeleteVolume receives nothing but this id and the
 * provisioner's secrets (not the StorageClass), so the id carries everything deletion needs:
 *
 * <pre>
 * s3csi:1:&lt;deletePolicy&gt;:&lt;name hash&gt;:&lt;bucket&gt;[/&lt;prefix&gt;][;endpoint=&lt;url&gt;][;region=&lt;region&gt;][;pathStyle=true]
 * s3csi:1:delete:3f1c0a9e5b27:pvc-0f9e2c9c-8a7d-4c1b-9d55-2f1f9a0e5b61;region=eu-west-1
 * </pre>
 *
 * <ul>
 *   <li>The delete policy is fixed at creation, so changing a StorageClass never changes what
 *       happens to existing volumes' data.
 *   <li>The connection (endpoint, region, addressing) is the effective one at creation, driver
 *       defaults included, so a later change of the driver's defaults cannot point a deletion at
 *       another store.
 *   <li>The name hash (12 hex digits of the SHA-256 of the CSI volume name) is checked against the
 *       location's marker before anything is deleted: if the bucket or prefix has since been taken
 *       over by another volume, DeleteVolume of the old id leaves it alone.
 * </ul>
 *
 * <p>Bucket names cannot contain {@code :}, so an id starting with {@code s3csi:} never collides
 * with a static volume handle ({@code bucket} or {@code bucket/prefix}). Values are
 * percent-encoded. Most ids are far below the 128 bytes the CSI spec suggests for strings; a long
 * endpoint URL with a long bucket and prefix can exceed it, which Kubernetes accepts (its volume
 * handles have no such limit).
 *
 * @param deletePolicy what DeleteVolume does to the data
 * @param nameHash the hash of the CSI volume name
 * @param location the bucket or prefix
 * @param endpoint the S3 endpoint; empty for AWS S3
 * @param region the region; empty for the default
 * @param pathStyle path-style addressing
 */
public record VolumeId(
    DeletePolicy deletePolicy,
    String nameHash,
    Location location,
    Optional<URI> endpoint,
    Optional<String> region,
    boolean pathStyle) {

  /** What every s3csi volume id starts with. */
  public static final String SCHEME = "s3csi:";

  private static final String VERSION = "1";
  private static final int NAME_HASH_LENGTH = 12;
  private static final Pattern FORM =
      Pattern.compile(
          "s3csi:(?<version>[^:]*):(?<policy>[^:]*):(?<hash>[^:]*):(?<bucket>[^/;]+)(/(?<prefix>[^;]+))?(?<options>(;[^;]*)*)");

  /** Checks the parts. */
  public VolumeId {
    Objects.requireNonNull(deletePolicy, "deletePolicy");
    Objects.requireNonNull(nameHash, "nameHash");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    if (!nameHash.matches("[0-9a-f]{" + NAME_HASH_LENGTH + "}")) {
      throw new IllegalArgumentException("nameHash must be 12 hex digits: " + nameHash);
    }
  }

  /**
   * Builds the id of a new volume.
   *
   * @param volumeName the CSI volume name
   * @param deletePolicy the delete policy
   * @param location the bucket or prefix
   * @param endpoint the effective endpoint
   * @param region the effective region
   * @param pathStyle the effective addressing
   * @return the id
   */
  public static VolumeId of(
      String volumeName,
      DeletePolicy deletePolicy,
      Location location,
      Optional<URI> endpoint,
      Optional<String> region,
      boolean pathStyle) {
    return new VolumeId(deletePolicy, nameHash(volumeName), location, endpoint, region, pathStyle);
  }

  /**
   * Tells whether this id was made for the volume of the given name.
   *
   * @param volumeName a CSI volume name
   * @return true when the name's hash matches
   */
  public boolean belongsTo(String volumeName) {
    return nameHash.equals(nameHash(volumeName));
  }

  /**
   * Parses an id.
   *
   * @param id a volume id
   * @return the parsed id; empty when the id is not an s3csi id (a static volume's handle)
   * @throws InvalidArgumentException when the id starts with {@code s3csi:} but is malformed or of
   *     an unknown version
   */
  public static Optional<VolumeId> parse(String id) {
    if (id == null || !id.startsWith(SCHEME)) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(id);
    if (!m.matches()) {
      throw malformed(id, "expected s3csi:1:<deletePolicy>:<hash>:<bucket>[/<prefix>][;...]");
    }
    if (!VERSION.equals(m.group("version"))) {
      throw malformed(
          id, "version " + m.group("version") + " is not known to this driver; upgrade it");
    }
    try {
      DeletePolicy policy = DeletePolicy.parse("volume_id", m.group("policy"));
      String hash = m.group("hash");
      String bucket =
          VolumeNames.checkExistingBucket("volume_id", PercentEncoding.decode(m.group("bucket")));
      Optional<String> prefix =
          Optional.ofNullable(m.group("prefix")).map(p -> PercentEncoding.decode(p) + "/");
      Optional<URI> endpoint = Optional.empty();
      Optional<String> region = Optional.empty();
      boolean pathStyle = false;
      for (String option : m.group("options").split(";")) {
        if (option.isEmpty()) {
          continue;
        }
        int eq = option.indexOf('=');
        String key = eq < 0 ? option : option.substring(0, eq);
        String value = eq < 0 ? "" : PercentEncoding.decode(option.substring(eq + 1));
        switch (key) {
          case "endpoint" -> endpoint = VolumeContext.endpoint("volume_id", value);
          case "region" -> region = VolumeContext.region("volume_id", value);
          case "pathStyle" -> pathStyle = VolumeContext.bool("volume_id", value).orElse(false);
          default -> throw new IllegalArgumentException("unknown option '" + key + "'");
        }
      }
      return Optional.of(
          new VolumeId(policy, hash, new Location(bucket, prefix), endpoint, region, pathStyle));
    } catch (InvalidArgumentException e) {
      throw malformed(id, e.reason());
    } catch (IllegalArgumentException e) {
      throw malformed(id, e.getMessage());
    }
  }

  /** Returns the id's text. */
  public String format() {
    StringBuilder out =
        new StringBuilder(SCHEME)
            .append(VERSION)
            .append(':')
            .append(deletePolicy.id())
            .append(':')
            .append(nameHash)
            .append(':')
            .append(PercentEncoding.encode(location.bucket()));
    location
        .prefix()
        .ifPresent(
            p -> out.append('/').append(PercentEncoding.encode(p.substring(0, p.length() - 1))));
    endpoint.ifPresent(e -> out.append(";endpoint=").append(PercentEncoding.encode(e.toString())));
    region.ifPresent(r -> out.append(";region=").append(PercentEncoding.encode(r)));
    if (pathStyle) {
      out.append(";pathStyle=true");
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return format();
  }

  private static String nameHash(String volumeName) {
    return VolumeNames.hash(volumeName, NAME_HASH_LENGTH);
  }

  private static InvalidArgumentException malformed(String id, String reason) {
    return new InvalidArgumentException(
        "volume_id", "'" + id + "' is not a valid s3csi volume id: " + reason);
  }
}
