package io.s3csi.launcher;

import java.util.Locale;
import java.util.logging.Level;

/**
 * The least severe records that are logged ({@code --log-level}), with the {@code
 * java.util.logging} level each stands for.
 */
public enum LogLevel {
  /** Failures only. */
  ERROR("error", Level.SEVERE),
  /** Failures and what may need attention. */
  WARN("warn", Level.WARNING),
  /** One line per CSI call and per mount or unmount: the default. */
  INFO("info", Level.INFO),
  /** Also each CSI request, with secrets redacted, and the libraries' debug output. */
  DEBUG("debug", Level.FINE),
  /** Everything, the libraries' wire-level tracing included. */
  TRACE("trace", Level.FINEST);

  private final String id;
  private final Level level;

  LogLevel(String id, Level level) {
    this.id = id;
    this.level = level;
  }

  /** Returns the flag value, such as {@code debug}. */
  public String id() {
    return id;
  }

  /** Returns the {@code java.util.logging} threshold. */
  public Level julLevel() {
    return level;
  }

  /**
   * Returns the name the logs give a record's level: the level of this enum at or below it, such as
   * {@code WARN} for {@code WARNING} and {@code DEBUG} for {@code FINER}.
   *
   * @param level a record's level
   * @return its name in upper case
   */
  public static String nameOf(Level level) {
    int value = level.intValue();
    for (LogLevel candidate : values()) {
      if (value >= candidate.level.intValue()) {
        return candidate.name();
      }
    }
    return TRACE.name();
  }

  /**
   * Parses a flag value.
   *
   * @param flag the flag, named in the error
   * @param value {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace},
   *     case-insensitive ({@code warning} is taken for {@code warn})
   * @return the level
   * @throws IllegalArgumentException naming the flag for any other value
   */
  public static LogLevel parse(String flag, String value) {
    String name = value.strip().toLowerCase(Locale.ROOT);
    if (name.equals("warning")) {
      return WARN;
    }
    for (LogLevel level : values()) {
      if (level.id.equals(name)) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        flag + ": unknown log level '" + value + "'; supported: " + DriverMode.ids(values()));
  }

  @Override
  public String toString() {
    return id;
  }
}
