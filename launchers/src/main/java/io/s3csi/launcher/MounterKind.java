package io.s3csi.launcher;

import java.util.Locale;

/** How the node runs FUSE clients ({@code --mounter}). */
public enum MounterKind {
  /** As child processes of the driver, supervised by it. */
  PROCESS("process"),
  /** As systemd transient units on the host, which survive a driver restart. */
  SYSTEMD("systemd");

  private final String id;

  MounterKind(String id) {
    this.id = id;
  }

  /** Returns the flag value, such as {@code process}. */
  public String id() {
    return id;
  }

  /**
   * Parses a flag value.
   *
   * @param flag the flag, named in the error
   * @param value {@code process} or {@code systemd}, case-insensitive
   * @return the kind
   * @throws IllegalArgumentException naming the flag for any other value
   */
  public static MounterKind parse(String flag, String value) {
    String name = value.strip().toLowerCase(Locale.ROOT);
    for (MounterKind kind : values()) {
      if (kind.id.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        flag + ": unknown mounter '" + value + "'; supported: " + DriverMode.ids(values()));
  }

  @Override
  public String toString() {
    return id;
  }
}
