package io.s3csi.grpc;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** What may be found at a socket path before binding, and what to do about it. */
final class SocketFiles {

  /** File-type bits of {@code st_mode} ({@code S_IFMT}) and the value for a socket. */
  private static final int S_IFMT = 0170000;

  private static final int S_IFSOCK = 0140000;

  private SocketFiles() {}

  /**
   * Makes {@code socket} ready to be bound: creates its parent directory and deletes a stale socket
   * there, refusing to touch anything else.
   *
   * @param socket absolute socket path
   * @throws FileAlreadyExistsException if the path holds a regular file, a directory, a symbolic
   *     link or another non-socket file, or a socket a live server still accepts connections on
   * @throws IOException if the directory cannot be created or the stale socket deleted
   */
  static void prepareForBind(Path socket) throws IOException {
    Path parent = socket.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    BasicFileAttributes attributes;
    try {
      attributes =
          Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (!isSocket(socket, attributes)) {
      throw new FileAlreadyExistsException(
          socket.toString(),
          null,
          "exists and is " + describe(attributes) + ", not a unix socket; refusing to replace it");
    }
    if (acceptsConnections(socket)) {
      throw new FileAlreadyExistsException(
          socket.toString(), null, "another server is listening on this socket");
    }
    Files.delete(socket);
  }

  /**
   * Returns the identity (device and inode) of the file at {@code path}, not following links.
   *
   * @param path an existing file
   * @return an object equal to the key of the same file and to no other
   * @throws IOException if the file's attributes cannot be read
   */
  static Object fileKey(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  private static boolean isSocket(Path path, BasicFileAttributes attributes) throws IOException {
    if (!attributes.isOther()) {
      return false;
    }
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & S_IFMT) == S_IFSOCK;
  }

  private static String describe(BasicFileAttributes attributes) {
    if (attributes.isRegularFile()) {
      return "a regular file";
    }
    if (attributes.isDirectory()) {
      return "a directory";
    }
    if (attributes.isSymbolicLink()) {
      return "a symbolic link";
    }
    return "a special file (device or pipe)";
  }

  /** A socket nobody listens on refuses connections; that is what makes it stale. */
  private static boolean acceptsConnections(Path socket) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (ConnectException e) {
      return false;
    }
  }
}
