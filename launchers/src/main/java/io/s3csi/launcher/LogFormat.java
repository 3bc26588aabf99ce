package io.s3csi.launcher;

import java.util.Locale;

/** How log records are written to standard error ({@code --log-format}). */
public enum LogFormat {
  /** One human-readable line per record: time, level, logger, message, then the call's fields. */
  TEXT("text"),
  /** One JSON object per line: time, level, logger, message, thrown and the call's fields. */
  JSON("json");

  private final String id;

  LogFormat(String id) {
    this.id = id;
  }

  /** Returns the flag value, such as {@code json}. */
  public String id() {
    return id;
  }

  /**
   * Parses a flag value.
   *
   * @param flag the flag, named in the error
   * @param value {@code text} or {@code json}, case-insensitive
   * @return the format
   * @throws IllegalArgumentException naming the flag for any other value
   */
  public static LogFormat parse(String flag, String value) {
    String name = value.strip().toLowerCase(Locale.ROOT);
    for (LogFormat format : values()) {
      if (format.id.equals(name)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        flag + ": unknown log format '" + value + "'; supported: " + DriverMode.ids(values()));
  }

  @Override
  public String toString() {
    return id;
  }
}
