package io.s3csi.grpc;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the CSI gRPC API is served: a unix domain socket given by an absolute path.
 *
 * <p>Kubernetes hands a CSI driver its endpoint as {@code unix:///csi/csi.sock}; a plain absolute
 * path is accepted too, as is the one-slash form {@code unix:/csi/csi.sock} of gRPC's naming
 * syntax. TCP endpoints are refused: a node plugin runs privileged, and a socket in a directory
 * shared only with the kubelet is the access control.
 *
 * @param socketPath absolute, normalized path of the socket file
 */
public record Endpoint(Path socketPath) {

  /** Longest socket path Linux accepts: {@code sun_path} is 108 bytes including the NUL. */
  static final int MAX_SOCKET_PATH_BYTES = 107;

  private static final String UNIX_SCHEME = "unix:";

  /**
   * Validates the socket path.
   *
   * @throws IllegalArgumentException if the path is relative, not normalized or too long for a unix
   *     socket
   * @throws NullPointerException if {@code socketPath} is null
   */
  public Endpoint {
    Objects.requireNonNull(socketPath, "socketPath");
    if (!socketPath.isAbsolute()) {
      throw new IllegalArgumentException("socket path must be absolute, got '" + socketPath + "'");
    }
    if (!socketPath.normalize().equals(socketPath)) {
      throw new IllegalArgumentException(
          "socket path must be normalized (no '.' or '..' segments), got '" + socketPath + "'");
    }
    if (socketPath.getFileName() == null) {
      throw new IllegalArgumentException("socket path must name a file, got '" + socketPath + "'");
    }
    int bytes = socketPath.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_SOCKET_PATH_BYTES) {
      throw new IllegalArgumentException(
          "socket path '"
              + socketPath
              + "' is "
              + bytes
              + " bytes long; a unix socket path may be at most "
              + MAX_SOCKET_PATH_BYTES
              + " bytes");
    }
  }

  /**
   * Parses the value of a command-line flag such as {@code --csi-endpoint}.
   *
   * @param flag the flag's name, used in error messages (for example {@code "--csi-endpoint"})
   * @param value {@code unix:///abs/path.sock}, {@code unix:/abs/path.sock} or {@code
   *     /abs/path.sock}
   * @return the endpoint
   * @throws IllegalArgumentException naming {@code flag} if the value is missing, uses another
   *     scheme (such as {@code tcp://}), or is not an absolute path
   */
  public static Endpoint parse(String flag, String value) {
    Objects.requireNonNull(flag, "flag");
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(flag + " is required: give unix:///absolute/path.sock");
    }
    String path = stripUnixScheme(flag, value.strip());
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          flag
              + " must be unix:///absolute/path.sock or an absolute path, got '"
              + value
              + "' (a relative path)");
    }
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(flag + " must not contain a NUL character");
    }
    Path socketPath;
    try {
      socketPath = Path.of(path).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(flag + " is not a valid path: '" + value + "'", e);
    }
    try {
      return new Endpoint(socketPath);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }

  private static String stripUnixScheme(String flag, String value) {
    if (value.startsWith(UNIX_SCHEME)) {
      String rest = value.substring(UNIX_SCHEME.length());
      // unix:///abs has an empty authority: drop the two slashes, keep the path's own
      return rest.startsWith("//") ? rest.substring(2) : rest;
    }
    int schemeEnd = value.indexOf("://");
    if (schemeEnd > 0) {
      throw new IllegalArgumentException(
          flag
              + " must be a unix socket (unix:///absolute/path.sock), got '"
              + value
              + "': scheme '"
              + value.substring(0, schemeEnd)
              + "' is not supported");
    }
    return value;
  }

  /**
   * The endpoint in the {@code unix:///abs/path.sock} form Kubernetes uses.
   *
   * @return the URI form of this endpoint
   */
  public String uri() {
    return "unix://" + socketPath;
  }

  @Override
  public String toString() {
    return uri();
  }
}
