package io.s3csi.core.identity;

import java.util.Map;
import java.util.Objects;

/**
 * The driver's name and version, as GetPluginInfo reports them.
 *
 * @param name the CSI driver name, {@value #DEFAULT_NAME} by default
 * @param version the driver's version
 * @param manifest extra facts to report (build, commit)
 */
public record DriverInfo(String name, String version, Map<String, String> manifest) {

  /** The CSI driver name s3csi registers as. */
  public static final String DEFAULT_NAME = "s3.csi.s3csi.io";

  /** Checks the name (a domain-like name of at most 63 characters) and copies. */
  public DriverInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    manifest = Map.copyOf(manifest);
    if (!name.matches("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "driver name must be a lowercase domain-like name: " + name);
    }
    if (version.isBlank()) {
      throw new IllegalArgumentException("version must not be empty");
    }
  }
}
