package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * systemd's {@code org.freedesktop.systemd1.UnitExists}: a transient unit cannot be created because
 * a unit of that name is loaded.
 */
public final class UnitExists extends DBusExecutionException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error; dbus-java calls this with systemd's message.
   *
   * @param message systemd's message, such as {@code Unit x.service was already loaded or has a
   *     fragment file.}
   */
  public UnitExists(String message) {
    super(message);
  }
}
