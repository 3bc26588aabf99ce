package io.s3csi.core.fuse;

import io.s3csi.core.credentials.Secret;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file the FUSE client reads at start: a credentials file, a token, a client configuration. The
 * mounter writes it with mode 0600 in a directory only root can read, before starting the client,
 * and removes it at unmount. The content is a {@link Secret} because it may hold one.
 *
 * @param path the absolute path the command refers to
 * @param content the file's content
 */
public record PrivateFile(Path path, Secret content) {

  /** Checks for nulls and an absolute path. */
  public PrivateFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(content, "content");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("path must be absolute: " + path);
    }
  }
}
