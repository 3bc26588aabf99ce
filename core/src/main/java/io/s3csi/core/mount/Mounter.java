package io.s3csi.core.mount;

import io.s3csi.core.fuse.MountSpec;
import java.nio.file.Path;

/**
 * Runs FUSE clients and manages their mounts on the node. Implementations own the client's lifetime
 * (a supervised process, a systemd unit) and its private files.
 *
 * <p>Contract, which every implementation's tests check:
 *
 * <ul>
 *   <li>{@link #mount} returns only once the mount serves the target; on failure nothing is left
 *       behind (no process, no unit, no private files, no mount) and the error quotes the client.
 *   <li>{@link #unmount} is idempotent: unmounting a target with nothing mounted succeeds and
 *       cleans up any process, unit or private files left for it.
 *   <li>{@link #state} never throws for a missing target; a dead FUSE mount is {@link
 *       MountState.Corrupted}, not {@link MountState.Mounted}.
 * </ul>
 *
 * <p>Callers serialize operations on one target; implementations must allow operations on different
 * targets to run concurrently.
 */
public interface Mounter {

  /**
   * Returns what is mounted at a target.
   *
   * @param target an absolute directory path
   * @return the state; never {@code null}
   */
  MountState state(Path target);

  /**
   * Mounts a volume at its target, which must exist as an empty directory with nothing mounted.
   *
   * @param spec what to mount and how
   * @throws io.s3csi.core.error.DriverException if the client fails or does not serve in time
   */
  void mount(MountSpec spec);

  /**
   * Rewrites the files a live mount's client reads again while it serves (see {@link
   * io.s3csi.core.fuse.FuseCommand#rereadFiles}) from a newer spec of the same mount, such as a
   * rotated web-identity token, without remounting. Other parts of the spec are not compared: a
   * changed role or option takes effect at the next mount.
   *
   * @param spec the mount's spec with its current credentials
   * @return how many files were rewritten; 0 when the credentials have no such file
   * @throws io.s3csi.core.error.DriverException if the files cannot be rewritten
   */
  int refreshCredentials(MountSpec spec);

  /**
   * Unmounts a target and stops its client, then removes the mount's private files.
   *
   * @param target an absolute directory path
   * @throws io.s3csi.core.error.DriverException if the target stays mounted
   */
  void unmount(Path target);
}
