package io.s3csi.launcher.metrics;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the metrics and health endpoints listen: {@code HOST:PORT}, {@code :PORT} for every
 * interface, or {@code [IPV6]:PORT}. Port 0 asks the system for a free port.
 *
 * @param host the host name or address to bind; empty for every interface
 * @param port the TCP port, 0 to 65535
 */
public record MetricsAddress(String host, int port) {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]*|\\[[0-9A-Fa-f:.%A-Za-z]+]");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  /** Checks the host and the port. */
  public MetricsAddress {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    }
  }

  /**
   * Parses a flag's value.
   *
   * @param flag the flag, named in errors
   * @param value {@code HOST:PORT}, {@code :PORT} or {@code [IPV6]:PORT}; {@code null} or blank for
   *     none
   * @return the address, or empty when {@code value} is {@code null} or blank (metrics off)
   * @throws IllegalArgumentException naming {@code flag} for any other value
   */
  public static Optional<MetricsAddress> parse(String flag, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.strip();
    int colon = text.lastIndexOf(':');
    String host = colon < 0 ? "" : text.substring(0, colon);
    String port = colon < 0 ? "" : text.substring(colon + 1);
    if (colon < 0 || !HOST.matcher(host).matches() || !PORT.matcher(port).matches()) {
      throw new IllegalArgumentException(
          flag
              + ": must be HOST:PORT, :PORT (every interface) or [IPV6]:PORT, such as :8080, got '"
              + value
              + "'");
    }
    int number = Integer.parseInt(port);
    if (number > 65_535) {
      throw new IllegalArgumentException(
          flag + ": the port must be 0 to 65535, got " + number + " in '" + value + "'");
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return Optional.of(new MetricsAddress(host, number));
  }

  /** Returns the address to bind; an unresolved host name is resolved here. */
  public InetSocketAddress socketAddress() {
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  /** Returns the address as the flag takes it. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
