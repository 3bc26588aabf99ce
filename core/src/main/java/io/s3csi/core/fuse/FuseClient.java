package io.s3csi.core.fuse;

import io.s3csi.core.error.InvalidArgumentException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The FUSE clients s3csi can run. Mountpoint for Amazon S3 is the production default. */
public enum FuseClient {
  /** Mountpoint for Amazon S3 ({@code mount-s3}). */
  MOUNT_S3("mount-s3"),
  /** s3fs-fuse ({@code s3fs}). */
  S3FS("s3fs"),
  /** rclone's mount command ({@code rclone mount}). */
  RCLONE("rclone");

  private final String id;

  FuseClient(String id) {
    this.id = id;
  }

  /** Returns the name used in volume attributes, flags and the mount table ({@code mount-s3}). */
  public String id() {
    return id;
  }

  /**
   * Parses a client name.
   *
   * @param field the attribute or flag the value came from, named in the error
   * @param value the client name, case-insensitive ({@code mountpoint} is accepted for mount-s3)
   * @return the client
   * @throws InvalidArgumentException for an unknown client
   */
  public static FuseClient parse(String field, String value) {
    String name = value.strip().toLowerCase(Locale.ROOT);
    for (FuseClient client : values()) {
      if (client.id.equals(name)) {
        return client;
      }
    }
    if (name.equals("mountpoint") || name.equals("mountpoint-s3")) {
      return MOUNT_S3;
    }
    throw new InvalidArgumentException(
        field, "unknown FUSE client '" + value + "'; supported: " + supportedIds());
  }

  /** Returns the supported ids, comma separated. */
  public static String supportedIds() {
    return Arrays.stream(values()).map(FuseClient::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
