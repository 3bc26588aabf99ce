package io.s3csi.launcher.bench;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.MountOptions;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.mount.PrivateDirectories;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A FUSE client started by hand, as an operator would on a shell: the same argument vector,
 * environment and private files the driver gives it (built by the same core code, {@link
 * FuseCommand#forSpec}), run in the foreground as a child of this JVM.
 */
final class HandMount implements AutoCloseable {
  private final Process process;
  private final Path target;
  private final PrivateDirectories privateDirectories;

  private HandMount(Process process, Path target, PrivateDirectories privateDirectories) {
    this.process = process;
    this.target = target;
    this.privateDirectories = privateDirectories;
  }

  /** The command the driver runs for a bucket volume at {@code target}, with the driver's flags. */
  static FuseCommand command(
      EmbeddedS3Server s3,
      FuseClient client,
      String bucket,
      Path target,
      PrivateDirectories privateDirectories) {
    MountSpec spec =
        new MountSpec(
            bucket,
            target,
            bucket,
            Optional.empty(),
            client,
            Optional.of(s3.endpoint()),
            Optional.of("us-east-1"),
            Optional.empty(),
            true,
            false,
            MountOptions.none(client),
            new StaticCredentials(
                s3.accessKeyId(), Secret.of(s3.secretAccessKey()), Optional.empty()),
            Optional.empty());
    return FuseCommand.forSpec(spec, privateDirectories.directoryFor(target));
  }

  /** Writes the private files and starts the client; the clock starts before the files. */
  static HandMount start(FuseCommand command, Path target, PrivateDirectories privateDirectories)
      throws IOException {
    privateDirectories.write(command);
    List<String> argv = new ArrayList<>(command.argv());
    argv.set(0, "/usr/bin/" + command.program());
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(command.environment());
    return new HandMount(builder.start(), target, privateDirectories);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Unmounts (lazily, like the driver when busy), stops the client, removes its files. */
  @Override
  public void close() throws IOException {
    try {
      new ProcessBuilder("umount", "-l", target.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(30, TimeUnit.SECONDS);
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    privateDirectories.remove(target);
  }
}
