/**
 * systemd's D-Bus error names as Java classes. dbus-java turns a D-Bus error into an instance of
 * the class whose fully qualified name equals the error name, if such a class exists; otherwise the
 * name is lost in a generic {@link org.freedesktop.dbus.exceptions.DBusExecutionException}. These
 * classes exist so that {@code io.s3csi.systemd} can tell "no such unit" from "unit exists" by
 * type. They carry no behaviour.
 */
package org.freedesktop.systemd1;
