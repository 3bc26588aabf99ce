package io.s3csi.core.provisioning;

import io.s3csi.core.volume.VolumeContext;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/** Builds the volume context of a provisioned volume, in the keys a static volume uses. */
final class Contexts {
  private Contexts() {}

  /**
   * Returns the location and connection attributes of a volume: {@code bucketName}, {@code prefix}
   * (prefix mode), {@code endpointUrl} and {@code region} (when set) and {@code pathStyle}. The
   * values are the effective ones, driver defaults included, so the node mounts the volume where it
   * was created even if its own defaults differ.
   *
   * @param id the volume's id
   * @return a mutable, sorted map
   */
  static Map<String, String> of(VolumeId id) {
    Map<String, String> context = new TreeMap<>();
    context.put(VolumeContext.BUCKET_NAME, id.location().bucket());
    id.location().prefix().ifPresent(p -> context.put(VolumeContext.PREFIX, p));
    id.endpoint().map(URI::toString).ifPresent(e -> context.put(VolumeContext.ENDPOINT_URL, e));
    id.region().ifPresent(r -> context.put(VolumeContext.REGION, r));
    context.put(VolumeContext.PATH_STYLE, Boolean.toString(id.pathStyle()));
    return context;
  }
}
