package io.s3csi.systemd;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.fuse.PrivateFile;
import io.s3csi.core.mount.PrivateDirectories;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * What the systemd mounter remembers about one mount, so that a restarted driver knows what it
 * serves: the file {@value #FILE_NAME} (Java properties) in the mount's private directory. It holds
 * no secret; it is private only because the directory is.
 *
 * @param target the mount's target
 * @param volumeId the volume id
 * @param bucket the bucket
 * @param prefix the key prefix, ending with {@code /}
 * @param client the FUSE client
 * @param readOnly whether the mount is read-only
 * @param unit the unit that runs the client; empty for a mount of the {@link ProcessMounter}, whose
 *     client is a child process of the driver
 * @param since when the mount was started
 */
record MountRecord(
    Path target,
    String volumeId,
    String bucket,
    Optional<String> prefix,
    FuseClient client,
    boolean readOnly,
    String unit,
    Instant since) {

  /** The record's file name in a private directory. */
  static final String FILE_NAME = "mount.properties";

  private static final Logger LOG = System.getLogger(MountRecord.class.getName());

  /** Checks for nulls. */
  MountRecord {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(volumeId, "volumeId");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(since, "since");
  }

  /** Returns the record of a mount about to be started. */
  static MountRecord of(MountSpec spec, Path target, String unit, Instant since) {
    return new MountRecord(
        target,
        spec.volumeId(),
        spec.bucket(),
        spec.prefix(),
        spec.client(),
        spec.readOnly(),
        unit,
        since);
  }

  /** Returns whether a {@link ProcessMounter} made the mount (its client is not a unit). */
  boolean byProcessMounter() {
    return unit.isEmpty();
  }

  /** Writes the record into its target's private directory, replacing an older one. */
  void write(PrivateDirectories directories) {
    Properties properties = new Properties();
    properties.setProperty("target", target.toString());
    properties.setProperty("volumeId", volumeId);
    properties.setProperty("bucket", bucket);
    prefix.ifPresent(p -> properties.setProperty("prefix", p));
    properties.setProperty("client", client.id());
    properties.setProperty("readOnly", Boolean.toString(readOnly));
    properties.setProperty("unit", unit);
    properties.setProperty("since", since.toString());
    StringWriter text = new StringWriter();
    try {
      properties.store(text, "s3csi mount record");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path file = directories.directoryFor(target).resolve(FILE_NAME);
    directories.writeFile(new PrivateFile(file, Secret.of(text.toString())));
  }

  /**
   * Reads the record in a private directory.
   *
   * @param directory a mount's private directory
   * @return the record; empty when there is none, or it cannot be read or parsed (logged)
   */
  static Optional<MountRecord> read(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
      return Optional.of(
          new MountRecord(
              Path.of(required(properties, "target")),
              required(properties, "volumeId"),
              required(properties, "bucket"),
              Optional.ofNullable(properties.getProperty("prefix")),
              FuseClient.parse("client", required(properties, "client")),
              Boolean.parseBoolean(required(properties, "readOnly")),
              required(properties, "unit"),
              Instant.parse(required(properties, "since"))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "ignoring the unreadable mount record {0}: {1}", file, e.toString());
      return Optional.empty();
    }
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }
}
