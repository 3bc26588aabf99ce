package io.s3csi.systemd;

import java.util.List;

/**
 * The few things the systemd mounter asks of systemd. {@link DbusSystemd} asks over D-Bus; the
 * tests use a stateful fake. Every method may throw {@link io.s3csi.core.error.DriverException}
 * {@code UNAVAILABLE}, naming the address, when systemd cannot be reached.
 */
interface Systemd extends AutoCloseable {

  /**
   * Creates and starts a transient service. Returns once the start job is queued; whether the
   * service comes up is seen in {@link #unit}.
   *
   * @param service the service
   * @throws io.s3csi.core.error.DriverException {@code FAILED_PRECONDITION} if a unit of that name
   *     is loaded
   */
  void start(TransientService service);

  /**
   * Returns the state of a unit; a unit systemd does not know is {@link UnitState#gone()}.
   *
   * @param name the unit name
   * @return the state, never {@code null}
   */
  UnitState unit(String name);

  /**
   * Queues a stop job for a unit. A unit systemd does not know is already stopped.
   *
   * @param name the unit name
   */
  void stop(String name);

  /**
   * Forgets that a unit failed so that it is garbage-collected. A unit systemd does not know needs
   * nothing.
   *
   * @param name the unit name
   */
  void resetFailed(String name);

  /**
   * Returns the names of the loaded units that match a glob.
   *
   * @param glob a shell-style pattern, such as {@code s3csi-*.service}
   * @return the names, sorted
   */
  List<String> units(String glob);

  /**
   * Returns systemd's version (the manager's {@code Version} property): the cheapest call that
   * proves systemd answers.
   *
   * @return the version, such as {@code 252.30-1~deb12u2}
   */
  String version();

  /** Describes where systemd is reached, for messages: {@code /run/systemd/private}. */
  String address();

  /** Closes the connection, if any. */
  @Override
  void close();
}
