package io.s3csi.launcher;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.grpc.CsiClient;
import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real driver in this JVM on a real unix socket, with a CSI client connected to it as kubelet
 * would be. Closing it closes the client, then the driver (whose process mounter unmounts what a
 * test left mounted).
 */
final class InJvmDriver implements AutoCloseable {
  private final DriverDirectory directory;
  private final Driver driver;
  private final CsiClient csi;

  private InJvmDriver(DriverDirectory directory, Driver driver) {
    this.directory = directory;
    this.driver = driver;
    try {
      this.csi = CsiClient.connect(driver.endpoint());
    } catch (RuntimeException e) {
      driver.close();
      throw e;
    }
  }

  /**
   * Starts a driver with the process mounter (real FUSE clients as child processes of this JVM),
   * laid out in a test's directory and talking to an S3 server.
   *
   * @param dir the test's directory
   * @param s3 the S3 server
   * @param mode the driver's {@code --mode}
   * @param client the default FUSE client
   * @param extraFlags more flags, after the common ones
   */
  static InJvmDriver start(
      Path dir, EmbeddedS3Server s3, String mode, FuseClient client, String... extraFlags) {
    DriverDirectory directory = new DriverDirectory(dir);
    List<String> flags = new ArrayList<>(directory.flags(mode, client, s3));
    flags.addAll(List.of("--mounter", "process"));
    flags.addAll(List.of(extraFlags));
    return start(directory, flags);
  }

  /**
   * Starts a driver with exactly these flags.
   *
   * @param dir the test's directory, which the flags' state and kubelet directories are under
   * @param flags the driver's flags
   */
  static InJvmDriver start(Path dir, String... flags) {
    return start(new DriverDirectory(dir), List.of(flags));
  }

  private static InJvmDriver start(DriverDirectory directory, List<String> flags) {
    try {
      return new InJvmDriver(
          directory, Driver.start(DriverConfig.fromFlags(flags.toArray(String[]::new))));
    } catch (IOException e) {
      throw new AssertionError("the driver did not start", e);
    }
  }

  /** The CSI client connected to the driver. */
  CsiClient csi() {
    return csi;
  }

  /** The driver itself. */
  Driver driver() {
    return driver;
  }

  /** Where the driver keeps its files. */
  DriverDirectory directory() {
    return directory;
  }

  @Override
  public void close() {
    csi.close();
    driver.close();
  }
}
