package io.s3csi.core.mount;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.PrivateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The root-only directories that hold each mount's private files (credentials, tokens, client
 * configuration, client cache). A mount's directory is named after a hash of its target, so a
 * restarted driver finds it again. Directories have mode 0700 and files 0600; files are written to
 * a temporary name and renamed into place, so a client never reads half a file.
 */
public final class PrivateDirectories {
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

  private static final Pattern KEY = Pattern.compile("[0-9a-f]{16}");

  private final Path root;

  /**
   * Creates the store.
   *
   * @param root the directory under which each mount gets its own; created with mode 0700
   */
  public PrivateDirectories(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Returns the root directory. */
  public Path root() {
    return root;
  }

  /**
   * Returns the private directory of a target (it may not exist yet).
   *
   * @param target the mount's target
   * @return {@code <root>/<hash of target>}
   */
  public Path directoryFor(Path target) {
    return root.resolve(keyOf(target));
  }

  /**
   * Returns the stable key of a target: the first 16 hex digits of the SHA-256 of its path.
   *
   * @param target an absolute path
   * @return the key
   */
  public static String keyOf(Path target) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(target.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Writes a command's private files (and creates its private directory).
   *
   * @param command the command whose files to write
   * @throws DriverException if the files cannot be written
   */
  public void write(FuseCommand command) {
    try {
      createPrivateDirectory(root);
      createPrivateDirectory(command.privateDirectory());
      for (PrivateFile file : command.files()) {
        writeFile(file);
      }
    } catch (IOException | UncheckedIOException e) {
      throw DriverException.internal(
          "cannot write private files under " + command.privateDirectory() + ": " + e, e);
    }
  }

  /**
   * Writes one file atomically with mode 0600, replacing an older version (a rotated token).
   *
   * @param file the file
   * @throws DriverException if it cannot be written
   */
  public void writeFile(PrivateFile file) {
    Path parent = file.path().getParent();
    try {
      createPrivateDirectory(parent);
      Path temp = createTemp(parent);
      try {
        Files.writeString(temp, file.content().reveal(), StandardCharsets.UTF_8);
        try {
          Files.move(
              temp,
              file.path(),
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file.path(), StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw DriverException.internal("cannot write " + file.path() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates an empty file with mode 0600 and a fresh name in a directory. Unlike {@link
   * Files#createTempFile}, whose names come from one {@code SecureRandom} that every thread of the
   * JVM takes turns on, this draws from the calling thread's own generator: a storm of publishes
   * writes its private files side by side. {@code CREATE_NEW} keeps the name unique.
   */
  private static Path createTemp(Path directory) throws IOException {
    while (true) {
      Path temp =
          directory.resolve(
              ".tmp-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()));
      try {
        return Files.createFile(temp, PosixFilePermissions.asFileAttribute(FILE_MODE));
      } catch (FileAlreadyExistsException e) {
        // drawn twice: draw again
      }
    }
  }

  /**
   * Rewrites files of a live mount in place, each atomically, so its client reads either the old or
   * the new content. Unlike {@link #write}, it never creates the private directory: a mount whose
   * directory is gone was not made here, and its files are not rewritten.
   *
   * @param command the command of the live mount, built again from its current spec
   * @param files the files to rewrite, all in the command's private directory
   * @return how many files were rewritten
   * @throws DriverException {@code FAILED_PRECONDITION} if the private directory does not exist, or
   *     {@code INTERNAL} if a file cannot be written
   */
  public int rewrite(FuseCommand command, List<PrivateFile> files) {
    Path dir = command.privateDirectory();
    if (files.isEmpty()) {
      return 0;
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw DriverException.failedPrecondition(
          "the private directory "
              + dir
              + " of the mount is gone; unpublish and publish the volume again");
    }
    for (PrivateFile file : files) {
      if (!dir.equals(file.path().getParent())) {
        throw new IllegalArgumentException(file.path() + " is not in " + dir);
      }
      writeFile(file);
    }
    return files.size();
  }

  /**
   * Removes a target's private directory and everything in it. Missing is fine.
   *
   * @param target the mount's target
   */
  public void remove(Path target) {
    removeDirectory(directoryFor(target));
  }

  /**
   * Removes the private directory of a key, for leftovers whose target is not known. Missing is
   * fine.
   *
   * @param key a key as {@link #keys()} lists them
   * @throws IllegalArgumentException if the key is not 16 lowercase hex digits
   */
  public void removeKey(String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a private directory key: '" + key + "'");
    }
    removeDirectory(root.resolve(key));
  }

  /**
   * Returns when the private directory of a key was last changed (a file written or removed).
   *
   * @param key a key as {@link #keys()} lists them
   * @return the time, or empty when the directory does not exist
   */
  public Optional<Instant> modified(String key) {
    try {
      return Optional.of(
          Files.getLastModifiedTime(root.resolve(key), LinkOption.NOFOLLOW_LINKS).toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void removeDirectory(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              try {
                Files.deleteIfExists(d);
              } catch (DirectoryNotEmptyException race) {
                // a file appeared meanwhile; the next removal gets it
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException gone) {
      // removed concurrently
    } catch (IOException e) {
      throw DriverException.internal("cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Returns the keys of all private directories, for sweeps and restart recovery. */
  public List<String> keys() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw DriverException.internal("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
    Files.setPosixFilePermissions(dir, DIR_MODE);
  }
}
