package io.s3csi.launcher;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which CSI services a driver process serves, besides Identity ({@code --mode}). */
public enum DriverMode {
  /** The node plugin (a DaemonSet pod on every node): Identity and Node. */
  NODE("node"),
  /** The controller plugin (a Deployment): Identity and Controller. */
  CONTROLLER("controller"),
  /** Everything in one process, for single-node clusters, demos and tests. */
  ALL("all");

  private final String id;

  DriverMode(String id) {
    this.id = id;
  }

  /** Returns the flag value, such as {@code node}. */
  public String id() {
    return id;
  }

  /** Returns whether this mode serves the Node service. */
  public boolean servesNode() {
    return this != CONTROLLER;
  }

  /** Returns whether this mode serves the Controller service. */
  public boolean servesController() {
    return this != NODE;
  }

  /**
   * Parses a flag value.
   *
   * @param flag the flag, named in the error
   * @param value {@code node}, {@code controller} or {@code all}, case-insensitive
   * @return the mode
   * @throws IllegalArgumentException naming the flag for any other value
   */
  public static DriverMode parse(String flag, String value) {
    String name = value.strip().toLowerCase(Locale.ROOT);
    for (DriverMode mode : values()) {
      if (mode.id.equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        flag + ": unknown mode '" + value + "'; supported: " + ids(values()));
  }

  static String ids(Enum<?>[] values) {
    return Arrays.stream(values).map(Object::toString).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
