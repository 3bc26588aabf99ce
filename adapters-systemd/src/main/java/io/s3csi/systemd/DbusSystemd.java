package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.AbstractConnection;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.connections.impl.DirectConnection;
import org.freedesktop.dbus.connections.impl.DirectConnectionBuilder;
import org.freedesktop.dbus.errors.NoReply;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.exceptions.NotConnected;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.freedesktop.systemd1.NoSuchUnit;
import org.freedesktop.systemd1.UnitExists;

/**
 * {@link Systemd} over D-Bus with dbus-java: peer-to-peer on systemd's private socket (no bus
 * daemon needed, what a node plugin with the host's {@code /run/systemd} reaches), or through the
 * system bus. The connection is made at the first call and made again when it is lost: systemd
 * drops every private-socket connection when it re-executes itself ({@code systemctl
 * daemon-reexec}, a package upgrade), and the call that notices is retried once on the new one.
 */
final class DbusSystemd implements Systemd {
  /** The D-Bus address of systemd's private socket. */
  static final String PRIVATE_SOCKET = "unix:path=/run/systemd/private";

  /** The address value that selects the system bus. */
  static final String SYSTEM_BUS = "system";

  /**
   * How long a connection attempt retries (dbus-java tries every 500 ms): long enough to ride out
   * systemd re-creating its socket on re-execution, short enough for a quick UNAVAILABLE.
   */
  static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  /** How long dbus-java waits for an answer to a call (its fixed default). */
  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);

  private static final Logger LOG = System.getLogger(DbusSystemd.class.getName());

  private final String address;
  private Session session; // guarded by this
  private boolean closed; // guarded by this

  /**
   * Creates the client; nothing is connected yet.
   *
   * @param address {@value #SYSTEM_BUS} for the system bus, or a peer-to-peer D-Bus address such as
   *     {@value #PRIVATE_SOCKET}
   * @throws IllegalArgumentException for any other address
   */
  DbusSystemd(String address) {
    this.address = checkAddress("systemdAddress", address);
  }

  /**
   * Checks a D-Bus address for systemd.
   *
   * @param field the setting or flag, named in the error
   * @param address the value
   * @return the address
   * @throws IllegalArgumentException unless it is {@value #SYSTEM_BUS} or a {@code unix:} address
   */
  static String checkAddress(String field, String address) {
    Objects.requireNonNull(address, field);
    if (!address.equals(SYSTEM_BUS) && !address.startsWith("unix:")) {
      throw new IllegalArgumentException(
          field
              + ": must be '"
              + SYSTEM_BUS
              + "' or a unix D-Bus address such as "
              + PRIVATE_SOCKET
              + ", got '"
              + address
              + "'");
    }
    return address;
  }

  @Override
  public String address() {
    if (address.equals(SYSTEM_BUS)) {
      return "the D-Bus system bus";
    }
    for (String part : address.substring("unix:".length()).split(",")) {
      if (part.startsWith("path=")) {
        return part.substring("path=".length());
      }
    }
    return address;
  }

  @Override
  public void start(TransientService service) {
    // not repeated when unanswered: the unit may have been created; the mounter stops it
    call(
        "start unit " + service.name(),
        false,
        s -> {
          try {
            s.manager().StartTransientUnit(service.name(), "fail", service.properties(), List.of());
          } catch (UnitExists e) {
            throw DriverException.failedPrecondition(
                "cannot start unit " + service.name() + ": " + e.getMessage());
          }
          return null;
        });
  }

  @Override
  public UnitState unit(String name) {
    return call(
        "read the state of unit " + name,
        true,
        s -> {
          DBusPath path;
          try {
            path = s.manager().GetUnit(name);
          } catch (NoSuchUnit e) {
            return UnitState.gone(name);
          }
          Properties properties = s.properties(path.getPath());
          Map<String, Variant<?>> unit = properties.GetAll(SystemdManager.UNIT_INTERFACE);
          long pid = 0;
          if (name.endsWith(".service")) {
            Object mainPid = properties.Get(SystemdManager.SERVICE_INTERFACE, "MainPID");
            pid = mainPid instanceof UInt32 u ? u.longValue() : 0;
          }
          return new UnitState(
              name,
              text(unit, "LoadState"),
              text(unit, "ActiveState"),
              text(unit, "SubState"),
              jobPending(unit.get("Job")),
              pid);
        });
  }

  @Override
  public void stop(String name) {
    call(
        "stop unit " + name,
        true,
        s -> {
          try {
            s.manager().StopUnit(name, "replace");
          } catch (NoSuchUnit e) {
            // not loaded: stopped already
          }
          return null;
        });
  }

  @Override
  public void resetFailed(String name) {
    call(
        "reset the failed unit " + name,
        true,
        s -> {
          try {
            s.manager().ResetFailedUnit(name);
          } catch (NoSuchUnit e) {
            // not loaded: nothing to forget
          }
          return null;
        });
  }

  @Override
  public List<String> units(String glob) {
    return call(
        "list the units " + glob,
        true,
        s ->
            s.manager().ListUnitsByPatterns(List.of(), List.of(glob)).stream()
                .map(status -> status.name)
                .sorted()
                .toList());
  }

  @Override
  public String version() {
    return call(
        "read its version",
        true,
        s ->
            String.valueOf(
                s.properties(SystemdManager.OBJECT_PATH)
                    .<Object>Get(SystemdManager.MANAGER_INTERFACE, "Version")));
  }

  @Override
  public synchronized void close() {
    closed = true;
    drop(session);
  }

  @Override
  public String toString() {
    return "DbusSystemd[" + address + "]";
  }

  /**
   * Calls systemd on the current connection; on a lost connection, connects again and calls once
   * more. A call systemd does not answer in time is tried once more on a new connection when it is
   * safe to repeat ({@code repeatable}); otherwise, or if it stays unanswered, it fails with {@code
   * UNAVAILABLE}.
   */
  private <T> T call(String what, boolean repeatable, Call<T> call) {
    RuntimeException lost = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      Session current = session();
      try {
        return call.apply(current);
      } catch (NotConnected e) {
        lost = e;
        LOG.log(Level.INFO, "lost the connection to systemd at {0}; connecting again", address());
      } catch (NoReply e) {
        lost =
            new IllegalStateException(
                "no answer to '" + what + "' within " + REPLY_TIMEOUT.toSeconds() + " s", e);
        LOG.log(Level.WARNING, "systemd at {0} did not answer to ''{1}''", address(), what);
        if (!repeatable) {
          drop(current);
          break;
        }
      } catch (DBusExecutionException e) {
        if (current.connection().isConnected()) {
          throw DriverException.failedPrecondition(
              "systemd at " + address() + " refused to " + what + ": " + e.getMessage());
        }
        lost = e;
      } catch (DBusException e) {
        lost = new IllegalStateException(e.getMessage(), e);
      }
      drop(current);
    }
    throw unavailable(lost);
  }

  private synchronized Session session() {
    if (closed) {
      throw DriverException.failedPrecondition("the connection to systemd is closed");
    }
    if (session != null && session.connection().isConnected()) {
      return session;
    }
    drop(session);
    try {
      session = connect();
    } catch (DBusException | RuntimeException e) {
      throw unavailable(e);
    }
    LOG.log(Level.DEBUG, "connected to systemd at {0}", address());
    return session;
  }

  private Session connect() throws DBusException {
    if (address.equals(SYSTEM_BUS)) {
      DBusConnection bus =
          DBusConnectionBuilder.forSystemBus()
              .withShared(false)
              .transportConfig()
              .withTimeout(CONNECT_TIMEOUT_MILLIS)
              .back()
              .build();
      return new Session(
          bus,
          bus.getRemoteObject(
              SystemdManager.BUS_NAME, SystemdManager.OBJECT_PATH, SystemdManager.class),
          path -> bus.getRemoteObject(SystemdManager.BUS_NAME, path, Properties.class));
    }
    DirectConnection direct =
        DirectConnectionBuilder.forAddress(address)
            .transportConfig()
            .withTimeout(CONNECT_TIMEOUT_MILLIS)
            .back()
            .build();
    return new Session(
        direct,
        direct.getRemoteObject(SystemdManager.OBJECT_PATH, SystemdManager.class),
        path -> direct.getRemoteObject(path, Properties.class));
  }

  private synchronized void drop(Session old) {
    if (old == null) {
      return;
    }
    if (session == old) {
      session = null;
    }
    try {
      old.connection().close();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "closing a lost connection to systemd failed: {0}", e.toString());
    }
  }

  private DriverException unavailable(Throwable cause) {
    String reason = cause == null ? "no answer" : cause.getMessage();
    return DriverException.unavailable(
        "cannot reach systemd at "
            + address()
            + ": "
            + reason
            + (address.equals(SYSTEM_BUS)
                ? ""
                : "; the driver must run as root with the host's /run/systemd mounted"),
        cause);
  }

  private static String text(Map<String, Variant<?>> properties, String name) {
    Variant<?> value = properties.get(name);
    return value == null ? "" : String.valueOf(value.getValue());
  }

  /** Whether a unit's {@code Job} property, a {@code (uo)} structure, names a job. */
  private static boolean jobPending(Variant<?> job) {
    if (job == null) {
      return false;
    }
    Object value = job.getValue();
    if (value instanceof Object[] fields && fields.length > 0 && fields[0] instanceof UInt32 id) {
      return id.longValue() != 0;
    }
    return false;
  }

  /** One connection with its manager proxy. */
  private record Session(
      AbstractConnection connection, SystemdManager manager, PropertiesLookup lookup) {
    Properties properties(String path) throws DBusException {
      return lookup.at(path);
    }
  }

  /** Finds the properties object of a unit path on a connection. */
  @FunctionalInterface
  private interface PropertiesLookup {
    Properties at(String path) throws DBusException;
  }

  /** A call on a session. */
  @FunctionalInterface
  private interface Call<T> {
    T apply(Session session) throws DBusException;
  }
}
