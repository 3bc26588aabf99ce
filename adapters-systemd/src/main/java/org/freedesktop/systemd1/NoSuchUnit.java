package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/** systemd's {@code org.freedesktop.systemd1.NoSuchUnit}: the named unit is not loaded. */
public final class NoSuchUnit extends DBusExecutionException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error; dbus-java calls this with systemd's message.
   *
   * @param message systemd's message, such as {@code Unit x.service not loaded.}
   */
  public NoSuchUnit(String message) {
    super(message);
  }
}
