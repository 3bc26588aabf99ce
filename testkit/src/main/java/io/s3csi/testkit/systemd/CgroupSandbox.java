package io.s3csi.testkit.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One child cgroup per hierarchy, under the cgroups of this JVM, for one systemd to treat as its
 * root (through a cgroup namespace). Without it systemd would put its {@code init.scope} and {@code
 * system.slice} at the root of the host's hierarchies, where two namespaces (or the host's own
 * systemd) would share and kill each other's units, and where processes escape the memory limits of
 * the cgroup the tests run in.
 */
final class CgroupSandbox {
  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

  private final List<Path> directories;

  private CgroupSandbox(List<Path> directories) {
    this.directories = List.copyOf(directories);
  }

  /**
   * Creates a child named {@code name} of this process's cgroup in every hierarchy mounted under
   * {@code /sys/fs/cgroup}.
   *
   * @throws IOException if one cannot be created; those created before are removed
   */
  static CgroupSandbox create(String name) throws IOException {
    List<Path> parents =
        currentCgroups(
            Files.readString(Path.of("/proc/self/cgroup")),
            Files.readString(Path.of("/proc/self/mountinfo")));
    if (parents.isEmpty()) {
      throw new IOException("no cgroup hierarchy of this process is mounted under " + CGROUP_ROOT);
    }
    List<Path> created = new ArrayList<>();
    try {
      for (Path parent : parents) {
        Path child = parent.resolve(name);
        Files.createDirectory(child);
        created.add(child);
        inheritCpuset(parent, child);
      }
    } catch (IOException e) {
      new CgroupSandbox(created).remove(Duration.ZERO);
      throw e;
    }
    return new CgroupSandbox(created);
  }

  /** The created cgroup directories, one per hierarchy. */
  List<Path> directories() {
    return directories;
  }

  /**
   * Removes the cgroups and every cgroup systemd created below them, retrying while the kernel
   * still counts exiting processes in them.
   *
   * @return the directories that could not be removed within {@code timeout}
   */
  List<Path> remove(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Path> left = removeOnce();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      NamespaceProcesses.pause(); // the kernel frees a cgroup shortly after its last process
      left = removeOnce();
    }
    return left;
  }

  private List<Path> removeOnce() {
    List<Path> left = new ArrayList<>();
    for (Path directory : directories) {
      if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (Stream<Path> tree = Files.walk(directory)) {
        List<Path> bottomUp =
            tree.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                .collect(Collectors.toList());
        for (Path cgroup : bottomUp) {
          Files.deleteIfExists(cgroup); // rmdir(2): a cgroup's control files go with it
        }
      } catch (NoSuchFileException e) {
        // removed meanwhile
      } catch (IOException e) {
        left.add(directory); // EBUSY while the kernel still counts processes in it
      }
    }
    return left;
  }

  /**
   * The directories of this process's cgroups, read from {@code /proc/self/cgroup} and {@code
   * /proc/self/mountinfo}; hierarchies not mounted under {@code /sys/fs/cgroup}, or whose mount
   * does not reach this process's cgroup, are left out.
   */
  static List<Path> currentCgroups(String procSelfCgroup, String mountinfo) {
    List<CgroupMount> mounts =
        mountinfo
            .lines()
            .map(CgroupMount::parse)
            .flatMap(Stream::ofNullable)
            .filter(m -> m.mountpoint().startsWith(CGROUP_ROOT))
            .collect(Collectors.toList());
    Set<Path> result = new LinkedHashSet<>();
    for (String line : procSelfCgroup.lines().collect(Collectors.toList())) {
      String[] fields = line.split(":", 3);
      if (fields.length != 3) {
        continue;
      }
      Set<String> controllers = fields[1].isEmpty() ? Set.of() : Set.of(fields[1].split(","));
      for (CgroupMount mount : mounts) {
        if (mount.serves(controllers)) {
          mount.directoryOf(fields[2]).ifPresent(result::add);
        }
      }
    }
    return List.copyOf(result);
  }

  /**
   * A cgroup v1 child starts with no cpus and no memory nodes (unless its parent clones them), and
   * no process can join it until they are set.
   */
  private static void inheritCpuset(Path parent, Path child) throws IOException {
    for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
      Path own = child.resolve(file);
      if (Files.exists(own) && Files.readString(own).isBlank()) {
        Files.writeString(own, Files.readString(parent.resolve(file)).strip());
      }
    }
  }

  /** A cgroup file system mount from one line of {@code mountinfo}. */
  private record CgroupMount(Path mountpoint, String root, boolean v2, Set<String> options) {

    static CgroupMount parse(String line) {
      List<String> fields = Arrays.asList(line.split(" "));
      int separator = fields.indexOf("-");
      if (separator < 6 || fields.size() < separator + 4) {
        return null;
      }
      String type = fields.get(separator + 1);
      if (!type.equals("cgroup") && !type.equals("cgroup2")) {
        return null;
      }
      return new CgroupMount(
          Path.of(unescape(fields.get(4))),
          unescape(fields.get(3)),
          type.equals("cgroup2"),
          Set.of(fields.get(separator + 3).split(",")));
    }

    /** Whether this mount is the hierarchy of a {@code /proc/self/cgroup} line's controllers. */
    boolean serves(Set<String> controllers) {
      return controllers.isEmpty() ? v2 : !v2 && options.containsAll(controllers);
    }

    /** Where the cgroup at {@code path} (as {@code /proc/self/cgroup} names it) appears. */
    Optional<Path> directoryOf(String path) {
      String prefix = root.equals("/") ? "" : root;
      if (!path.equals(root) && !path.startsWith(prefix + "/")) {
        return Optional.empty();
      }
      String relative = path.substring(prefix.length()).replaceFirst("^/+", "");
      return Optional.of(relative.isEmpty() ? mountpoint : mountpoint.resolve(relative));
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
    private static String unescape(String field) {
      StringBuilder out = new StringBuilder(field.length());
      for (int i = 0; i < field.length(); i++) {
        char c = field.charAt(i);
        if (c == '\\'
            && i + 3 < field.length()
            && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
          out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
          i += 3;
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }
}
