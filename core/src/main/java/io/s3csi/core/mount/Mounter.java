package io.s3csi.core.mount;

import io.s3csi.core.fuse.MountSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
 *       MountState.Corrupted}, not {@link MountState.Mounted}: its client died or hangs (the mount
 *       answers {@code ENOTCONN}, {@code EIO} or nothing), or its unit or process is gone.
 *   <li>{@link #usage} and {@link #managedTargets()} only read; they never block longer than the
 *       mounter's probe timeout on a hung mount.
 *   <li>{@link #forget} never touches a kernel mount: it refuses a target that is mounted.
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

  /**
   * Returns what the file system at a target reports to {@code statfs(2)}.
   *
   * @param target an absolute directory path
   * @return the usage; empty when nothing is mounted there, the mount does not answer within the
   *     probe timeout, or the platform's {@code struct statfs} is not known
   */
  Optional<FileSystemUsage> usage(Path target);

  /**
   * Returns everything this mounter keeps for targets: each target with private files or a record,
   * and each client (process or unit) of this mounter, with whether its client runs. Mounts of
   * other mounters are not listed. The kernel mount of each target is not looked at: ask {@link
   * #state} for it.
   *
   * @return the targets, ordered by key
   */
  List<ManagedTarget> managedTargets();

  /**
   * Returns what this mounter keeps for one target.
   *
   * @param target an absolute directory path
   * @return the entry, or empty when the mounter keeps nothing for the target
   */
  Optional<ManagedTarget> managedTarget(Path target);

  /**
   * Stops the client of a managed target and removes its private files, for a target whose mount is
   * gone (a client left by a crash, an unmount behind the driver's back). Idempotent.
   *
   * @param managed an entry of {@link #managedTargets()}
   * @throws io.s3csi.core.error.DriverException {@code FAILED_PRECONDITION} when the kernel lists a
   *     mount at the entry's target (unmount it instead), or the client cannot be stopped
   */
  void forget(ManagedTarget managed);
}
