package io.s3csi.core.target;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A publish target: an absolute, normalized directory under the kubelet root. When it has kubelet's
 * layout, {@code <root>/pods/<podUID>/volumes/kubernetes.io~csi/<pvName>/mount}, the pod UID and
 * the volume name are parsed out.
 *
 * @param path the absolute, normalized path
 * @param kubeletRoot the kubelet root the path lies under
 * @param podUid the pod UID, when the path has kubelet's layout
 * @param volumeName the PersistentVolume (or inline volume) name, when the path has kubelet's
 *     layout
 */
public record TargetPath(
    Path path, Path kubeletRoot, Optional<String> podUid, Optional<String> volumeName) {

  /** The default kubelet root directory. */
  public static final Path DEFAULT_KUBELET_ROOT = Path.of("/var/lib/kubelet");

  private static final Pattern UID = Pattern.compile("[0-9a-fA-F-]{1,64}");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,252}");
  private static final int MAX_LENGTH = 4096;

  /** Checks for nulls. */
  public TargetPath {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kubeletRoot, "kubeletRoot");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(volumeName, "volumeName");
  }

  /**
   * Parses a target path.
   *
   * @param field the request field named in errors ({@code target_path})
   * @param raw the path as the caller sent it
   * @param kubeletRoot the absolute kubelet root the path must lie under
   * @return the target
   * @throws InvalidArgumentException for an empty, relative, non-normalized path, or one outside
   *     the kubelet root
   */
  public static TargetPath parse(String field, String raw, Path kubeletRoot) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidArgumentException(field, "must not be empty");
    }
    if (raw.getBytes(StandardCharsets.UTF_8).length >= MAX_LENGTH) { // PATH_MAX counts the NUL
      throw new InvalidArgumentException(field, "must be shorter than " + MAX_LENGTH + " bytes");
    }
    if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new InvalidArgumentException(field, "must not contain control characters");
    }
    if (!raw.startsWith("/")) {
      throw new InvalidArgumentException(field, "must be an absolute path (was '" + raw + "')");
    }
    String trimmed =
        raw.length() > 1 && raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    for (String segment : trimmed.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new InvalidArgumentException(
            field, "must be normalized: no empty, '.' or '..' segments (was '" + raw + "')");
      }
    }
    Path path;
    try {
      path = Path.of(trimmed);
    } catch (InvalidPathException e) {
      // e.g. an unpaired surrogate, which has no encoding in the node's file name charset
      throw new InvalidArgumentException(
          field, "is not a valid path on this node: " + e.getReason());
    }
    Path root = kubeletRoot.normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new InvalidArgumentException(
          field, "must be a directory under the kubelet root " + root + " (was '" + raw + "')");
    }
    Path relative = root.relativize(path);
    Optional<String> uid = Optional.empty();
    Optional<String> name = Optional.empty();
    if (relative.getNameCount() == 6
        && relative.getName(0).toString().equals("pods")
        && relative.getName(2).toString().equals("volumes")
        && relative.getName(3).toString().equals("kubernetes.io~csi")
        && relative.getName(5).toString().equals("mount")
        && UID.matcher(relative.getName(1).toString()).matches()
        && NAME.matcher(relative.getName(4).toString()).matches()) {
      uid = Optional.of(relative.getName(1).toString());
      name = Optional.of(relative.getName(4).toString());
    }
    return new TargetPath(path, root, uid, name);
  }

  /**
   * Checks that no existing component of the path is a symbolic link that leads out of the kubelet
   * root, so that creating, mounting on or removing the target cannot touch another place.
   *
   * @throws InvalidArgumentException if a component resolves outside the kubelet root
   */
  public void checkNoSymlinkEscape() {
    Path realRoot;
    try {
      realRoot = kubeletRoot.toRealPath();
    } catch (IOException e) {
      throw DriverException.failedPrecondition(
          "kubelet root " + kubeletRoot + " is not accessible: " + e.getMessage());
    }
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    Path real;
    try {
      real = existing.toRealPath();
    } catch (IOException e) {
      if (Files.isSymbolicLink(existing)) {
        // a dangling link: whatever appears at its destination later would be used
        throw new InvalidArgumentException(
            "target_path", "resolves through a symbolic link " + existing + " that leads nowhere");
      }
      // A dead FUSE mount cannot be resolved; its parent can, and decides.
      Path parent = existing.getParent();
      try {
        real = parent == null ? existing : parent.toRealPath().resolve(existing.getFileName());
      } catch (IOException inner) {
        throw DriverException.failedPrecondition(
            "cannot resolve " + existing + ": " + inner.getMessage());
      }
    }
    if (!real.startsWith(realRoot)) {
      throw new InvalidArgumentException(
          "target_path", "resolves through a symbolic link to " + real + ", outside " + realRoot);
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
