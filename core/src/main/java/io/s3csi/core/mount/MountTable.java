package io.s3csi.core.mount;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed mount table, from the text of {@code /proc/<pid>/mountinfo} (see proc(5)). Reading the
 * file is the caller's business; this type only parses, so it is tested on fixed text.
 *
 * @param entries the mounts, in the kernel's order (later mounts stack over earlier ones)
 */
public record MountTable(List<MountEntry> entries) {

  /** Copies. */
  public MountTable {
    entries = List.copyOf(entries);
  }

  /**
   * Parses mountinfo text. Malformed lines are skipped: the kernel writes this file, and one odd
   * line must not hide every other mount.
   *
   * @param mountinfo the file's content
   * @return the table
   */
  public static MountTable parse(String mountinfo) {
    List<MountEntry> entries = new ArrayList<>();
    for (String line : mountinfo.split("\n")) {
      parseLine(line).ifPresent(entries::add);
    }
    return new MountTable(entries);
  }

  /**
   * Returns the topmost mount at a mount point.
   *
   * @param mountPoint an absolute, normalized path
   * @return the last entry mounted there, if any
   */
  public Optional<MountEntry> at(Path mountPoint) {
    MountEntry found = null;
    for (MountEntry entry : entries) {
      if (entry.mountPoint().equals(mountPoint)) {
        found = entry;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Returns the topmost mount at a mount point, as {@code parse(mountinfo).at(mountPoint)} does,
   * but parses only the lines that name the mount point: with hundreds of mounts on a node, parsing
   * every line for every look at one target is most of the cost of the look.
   *
   * @param mountinfo the file's content
   * @param mountPoint an absolute, normalized path
   * @return the last entry mounted there, if any
   */
  public static Optional<MountEntry> find(String mountinfo, Path mountPoint) {
    String field = " " + escape(mountPoint.toString()) + " ";
    MountEntry found = null;
    int at = mountinfo.indexOf(field);
    while (at >= 0) {
      int start = mountinfo.lastIndexOf('\n', at) + 1;
      int end = mountinfo.indexOf('\n', at);
      if (end < 0) {
        end = mountinfo.length();
      }
      Optional<MountEntry> entry = parseLine(mountinfo.substring(start, end));
      if (entry.isPresent() && entry.get().mountPoint().equals(mountPoint)) {
        found = entry.get();
      }
      at = mountinfo.indexOf(field, end);
    }
    return Optional.ofNullable(found);
  }

  /** Encodes a path as the kernel writes it in mountinfo: space, tab, newline and backslash. */
  static String escape(String path) {
    StringBuilder out = null;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      String code =
          switch (c) {
            case ' ' -> "\\040";
            case '\t' -> "\\011";
            case '\n' -> "\\012";
            case '\\' -> "\\134";
            default -> null;
          };
      if (code != null && out == null) {
        out = new StringBuilder(path.length() + 8).append(path, 0, i);
      }
      if (out != null) {
        if (code != null) {
          out.append(code);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? path : out.toString();
  }

  private static Optional<MountEntry> parseLine(String line) {
    // id parent major:minor root mount-point options [optional fields...] - fstype source super
    String[] fields = line.strip().split(" ");
    int separator = Arrays.asList(fields).indexOf("-");
    if (separator < 6 || fields.length < separator + 3) {
      return Optional.empty();
    }
    Set<String> options = new HashSet<>(Arrays.asList(fields[5].split(",")));
    return Optional.of(
        new MountEntry(
            Path.of(unescape(fields[4])),
            unescape(fields[separator + 1]),
            unescape(fields[separator + 2]),
            options));
  }

  /**
   * Decodes the kernel's octal escapes ({@code \040} for a space, {@code \134} for a backslash).
   */
  static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() + 0 && isOctal(field, i + 1)) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
