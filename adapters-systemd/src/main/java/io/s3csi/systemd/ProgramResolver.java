package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds a FUSE client's executable in a fixed list of directories. The driver's own {@code PATH} is
 * never consulted: which binary runs as root must not depend on how the driver was started.
 */
final class ProgramResolver {
  /** The directories searched by default, in order; the same list the clients get as PATH. */
  static final List<Path> DEFAULT_SEARCH_PATH =
      List.of(
          Path.of("/usr/local/sbin"),
          Path.of("/usr/local/bin"),
          Path.of("/usr/sbin"),
          Path.of("/usr/bin"),
          Path.of("/sbin"),
          Path.of("/bin"));

  private final List<Path> searchPath;

  /**
   * Creates the resolver.
   *
   * @param searchPath absolute directories, searched in order
   */
  ProgramResolver(List<Path> searchPath) {
    this.searchPath = checkSearchPath(searchPath);
  }

  /**
   * Checks a search path as the mounters' builders take it.
   *
   * @param directories the directories, in order
   * @return an immutable copy
   * @throws IllegalArgumentException if empty or a directory is not absolute
   */
  static List<Path> checkSearchPath(List<Path> directories) {
    List<Path> copy = List.copyOf(directories);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("searchPath: must name at least one directory");
    }
    for (Path dir : copy) {
      if (!dir.isAbsolute()) {
        throw new IllegalArgumentException("searchPath: " + dir + " is not absolute");
      }
    }
    return copy;
  }

  /** Returns the directories searched, in order. */
  List<Path> searchPath() {
    return searchPath;
  }

  /**
   * Resolves a program name to the first executable regular file of that name.
   *
   * @param program a bare name such as {@code s3fs}
   * @return the absolute path of the executable
   * @throws DriverException {@code FAILED_PRECONDITION} naming the program and the directories
   *     searched when it is not installed
   */
  Path resolve(String program) {
    if (program.isEmpty() || program.contains("/")) {
      throw new IllegalArgumentException("program must be a bare name: " + program);
    }
    List<Path> notExecutable = new ArrayList<>();
    for (Path dir : searchPath) {
      Path candidate = dir.resolve(program);
      if (Files.isRegularFile(candidate)) {
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
        notExecutable.add(candidate);
      }
    }
    String looked = searchPath.stream().map(Path::toString).collect(Collectors.joining(", "));
    String found =
        notExecutable.isEmpty()
            ? ""
            : "; "
                + notExecutable.stream().map(Path::toString).collect(Collectors.joining(", "))
                + (notExecutable.size() == 1 ? " is" : " are")
                + " not executable";
    throw DriverException.failedPrecondition(
        program + " is not installed (looked in " + looked + found + ")");
  }
}
