package io.s3csi.systemd;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The part of systemd's {@code org.freedesktop.systemd1.Manager} D-Bus interface (object {@code
 * /org/freedesktop/systemd1}) that the systemd mounter calls, with the structures of its
 * signatures. Method names are D-Bus member names, hence capitalized. See
 * org.freedesktop.systemd1(5).
 */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
interface SystemdManager extends DBusInterface {
  /** The object path of the manager. */
  String OBJECT_PATH = "/org/freedesktop/systemd1";

  /** The bus name of systemd on the system bus. */
  String BUS_NAME = "org.freedesktop.systemd1";

  /** The D-Bus interface of the manager object, for its properties. */
  String MANAGER_INTERFACE = "org.freedesktop.systemd1.Manager";

  /** The D-Bus interface of every unit object. */
  String UNIT_INTERFACE = "org.freedesktop.systemd1.Unit";

  /** The D-Bus interface of service unit objects. */
  String SERVICE_INTERFACE = "org.freedesktop.systemd1.Service";

  /**
   * Returns the object path of a loaded unit.
   *
   * @throws org.freedesktop.systemd1.NoSuchUnit if no unit of that name is loaded
   */
  DBusPath GetUnit(String name);

  /**
   * Creates and starts a transient unit; returns the path of the start job.
   *
   * @throws org.freedesktop.systemd1.UnitExists if a unit of that name is loaded
   */
  DBusPath StartTransientUnit(
      String name, String mode, List<Property> properties, List<AuxUnit> aux);

  /**
   * Stops a unit; returns the path of the stop job.
   *
   * @throws org.freedesktop.systemd1.NoSuchUnit if no unit of that name is loaded
   */
  DBusPath StopUnit(String name, String mode);

  /**
   * Forgets that a unit failed, which lets a failed unit be garbage-collected.
   *
   * @throws org.freedesktop.systemd1.NoSuchUnit if no unit of that name is loaded
   */
  void ResetFailedUnit(String name);

  /** Lists the loaded units in the given states (all when empty) whose names match a glob. */
  List<UnitStatus> ListUnitsByPatterns(List<String> states, List<String> patterns);

  /** A unit property: D-Bus signature {@code (sv)}. */
  final class Property extends Struct {
    @Position(0)
    public final String name;

    @Position(1)
    public final Variant<?> value;

    /** Creates the property. */
    public Property(String name, Variant<?> value) {
      this.name = name;
      this.value = value;
    }
  }

  /** An auxiliary unit started with a transient one: D-Bus signature {@code (sa(sv))}. */
  final class AuxUnit extends Struct {
    @Position(0)
    public final String name;

    @Position(1)
    public final List<Property> properties;

    /** Creates the auxiliary unit. */
    public AuxUnit(String name, List<Property> properties) {
      this.name = name;
      this.properties = properties;
    }
  }

  /**
   * One command of {@code ExecStart} and its kin: D-Bus signature {@code (sasb)}, the program's
   * absolute path, its whole argument vector (argv[0] included) and whether a failure is ignored.
   */
  final class ExecCommand extends Struct {
    @Position(0)
    public final String path;

    @Position(1)
    public final List<String> argv;

    @Position(2)
    public final boolean ignoreFailure;

    /** Creates the command. */
    public ExecCommand(String path, List<String> argv, boolean ignoreFailure) {
      this.path = path;
      this.argv = argv;
      this.ignoreFailure = ignoreFailure;
    }
  }

  /** One entry of {@code ListUnits*}: D-Bus signature {@code (ssssssouso)}. */
  final class UnitStatus extends Struct {
    @Position(0)
    public final String name;

    @Position(1)
    public final String description;

    @Position(2)
    public final String loadState;

    @Position(3)
    public final String activeState;

    @Position(4)
    public final String subState;

    @Position(5)
    public final String following;

    @Position(6)
    public final DBusPath path;

    @Position(7)
    public final UInt32 jobId;

    @Position(8)
    public final String jobType;

    @Position(9)
    public final DBusPath jobPath;

    /** Creates the entry; dbus-java calls this. */
    public UnitStatus(
        String name,
        String description,
        String loadState,
        String activeState,
        String subState,
        String following,
        DBusPath path,
        UInt32 jobId,
        String jobType,
        DBusPath jobPath) {
      this.name = name;
      this.description = description;
      this.loadState = loadState;
      this.activeState = activeState;
      this.subState = subState;
      this.following = following;
      this.path = path;
      this.jobId = jobId;
      this.jobType = jobType;
      this.jobPath = jobPath;
    }
  }
}
