package io.s3csi.core.fuse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to run a FUSE client in the foreground: its argument vector, its complete environment (built
 * from an allow-list, never inherited from the driver) and the private files it reads. Arguments
 * and environment never contain a secret; secrets live only in {@link #files()}.
 *
 * @param argv the program and its arguments; the program is a bare name resolved by the mounter
 * @param environment the whole environment of the client
 * @param files the files to write before the client starts
 * @param privateDirectory the directory, owned by root with mode 0700, that holds the files and any
 *     cache the client keeps for this mount
 */
public record FuseCommand(
    List<String> argv,
    Map<String, String> environment,
    List<PrivateFile> files,
    Path privateDirectory) {

  /** Copies; the environment is kept sorted so commands compare and print stably. */
  public FuseCommand {
    argv = List.copyOf(argv);
    environment = Map.copyOf(new TreeMap<>(environment));
    files = List.copyOf(files);
    Objects.requireNonNull(privateDirectory, "privateDirectory");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must name a program");
    }
  }

  /**
   * Returns the files a running client reads again while it serves: the web-identity token, which
   * the client's AWS SDK reads each time it renews its role credentials. Rewriting them rotates the
   * identity without a remount; every other file is read once, at start.
   *
   * @return the files, possibly none
   */
  public List<PrivateFile> rereadFiles() {
    return files.stream()
        .filter(
            file ->
                file.path().getFileName().toString().equals(ClientEnvironment.WEB_IDENTITY_TOKEN))
        .toList();
  }

  /** Returns the program name. */
  public String program() {
    return argv.get(0);
  }

  /**
   * Builds the command for a spec.
   *
   * @param spec what to mount
   * @param privateDirectory the root-only directory for this mount's files
   * @return the command
   */
  public static FuseCommand forSpec(MountSpec spec, Path privateDirectory) {
    return switch (spec.client()) {
      case MOUNT_S3 -> MountS3Command.build(spec, privateDirectory);
      case S3FS -> S3fsCommand.build(spec, privateDirectory);
      case RCLONE -> RcloneCommand.build(spec, privateDirectory);
    };
  }
}
