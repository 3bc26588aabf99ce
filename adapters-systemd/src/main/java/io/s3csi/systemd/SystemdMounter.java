package io.s3csi.systemd;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.fuse.PrivateFile;
import io.s3csi.core.identity.ReadinessCheck;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.mount.ManagedTarget;
import io.s3csi.core.mount.MountEntry;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.Mounter;
import io.s3csi.core.mount.PrivateDirectories;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Mounter} that runs each FUSE client as a transient systemd service of the host, so that
 * mounts outlive the driver: a driver restart or upgrade leaves every volume serving.
 *
 * <p>Each target gets the unit {@code <prefix>-<key>.service} ({@code s3csi-<key>.service} by
 * default), where the key is the target's {@link PrivateDirectories#keyOf key}, the same that names
 * its private directory. The private directory holds the client's credential and configuration
 * files (mode 0600 in a 0700 directory, written before the unit starts; never in unit properties or
 * the environment, which {@code systemctl show} reveals to anyone), the client's log ({@value
 * ClientLog#FILE_NAME}) and a record of the mount ({@value MountRecord#FILE_NAME}: volume id,
 * bucket, client, read-only, unit, start time). The record is what a restarted mounter reads, so
 * this class keeps no state in memory: any instance serves every mount of its private root.
 *
 * <p>{@link #mount} writes the files, starts the unit with {@code StartTransientUnit} (see {@link
 * TransientService} for its settings), and returns once systemd runs it and the kernel lists a FUSE
 * mount at the target that answers. If the unit ends first, or the mount does not serve within the
 * mount timeout, the unit is stopped, the files are removed, and the error names the unit and
 * quotes the client's last output lines with the mount's secrets masked.
 *
 * <p>{@link #unmount} unmounts with {@code umount2} (lazily for a busy or dead mount), stops the
 * unit and waits until it is gone, then removes the private directory. Both clean up a unit or
 * files that a crash left for the target.
 *
 * <p>systemd is reached over D-Bus at the first call, on {@code /run/systemd/private} by default;
 * when it cannot be reached, calls fail with {@code UNAVAILABLE} naming the socket, and the next
 * call tries again (systemd drops connections when it re-executes itself).
 *
 * <p>Operations on different targets run concurrently; callers serialize operations on one target.
 */
public final class SystemdMounter implements Mounter, AutoCloseable {
  /** The default for how long a client may take to serve its mount. */
  public static final Duration DEFAULT_MOUNT_TIMEOUT = Duration.ofSeconds(30);

  /** The default for how long a client may take to exit after SIGTERM (TimeoutStopSec). */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  /** The default for how long a mount may take to answer a probe before it counts as hung. */
  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(5);

  /** The default D-Bus address: systemd's private socket, peer-to-peer. */
  public static final String DEFAULT_ADDRESS = DbusSystemd.PRIVATE_SOCKET;

  /** The address that selects the D-Bus system bus instead. */
  public static final String SYSTEM_BUS = DbusSystemd.SYSTEM_BUS;

  /** The default prefix of unit names. */
  public static final String DEFAULT_UNIT_PREFIX = UnitNames.DEFAULT_PREFIX;

  private static final Logger LOG = System.getLogger(SystemdMounter.class.getName());

  private final PrivateDirectories privateDirectories;
  private final KernelMounts kernel;
  private final Systemd systemd;
  private final UnitNames names;
  private final ProgramResolver programs;
  private final Clock clock;
  private final Duration mountTimeout;
  private final Duration stopTimeout;
  private final Duration probeTimeout;
  private final UnitSupervisor supervisor;

  SystemdMounter(KernelMounts kernel, Systemd systemd, Builder settings) {
    this.privateDirectories = settings.privateDirectories;
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.systemd = Objects.requireNonNull(systemd, "systemd");
    this.names = new UnitNames(settings.unitPrefix);
    this.programs = new ProgramResolver(settings.searchPath);
    this.clock = settings.clock;
    this.mountTimeout = settings.mountTimeout;
    this.stopTimeout = settings.stopTimeout;
    this.probeTimeout = settings.probeTimeout;
    this.supervisor = new UnitSupervisor(systemd, kernel, mountTimeout, stopTimeout, probeTimeout);
  }

  /**
   * Creates a mounter with the default settings; it connects to systemd at its first call.
   *
   * @param privateDirectories where each mount's private files go; the directory must be the same
   *     path on the host, where the units run, as in the driver
   * @throws DriverException if the C library cannot be bound on this platform
   */
  public SystemdMounter(PrivateDirectories privateDirectories) {
    this(KernelMounts.system(), new DbusSystemd(DEFAULT_ADDRESS), builder(privateDirectories));
  }

  /**
   * Checks a value for {@link Builder#address}, for callers that parse it from a flag.
   *
   * @param field the flag or setting, named in the error
   * @param address the value
   * @return the address
   * @throws IllegalArgumentException with a message that starts with {@code field} unless the
   *     address is {@value #SYSTEM_BUS} or a {@code unix:} D-Bus address
   */
  public static String checkAddress(String field, String address) {
    return DbusSystemd.checkAddress(field, address);
  }

  /**
   * Returns a builder for a mounter with other settings.
   *
   * @param privateDirectories where each mount's private files go
   * @return the builder
   */
  public static Builder builder(PrivateDirectories privateDirectories) {
    return new Builder(privateDirectories);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A FUSE mount with a record is {@link MountState.Mounted} with the recorded volume id while
   * its unit runs and it answers {@code statfs} and {@code stat} within the probe timeout; it is
   * {@link MountState.Corrupted} when its unit has ended or is gone, or the probe fails. A mount
   * without a record (not made by this mounter, or its record is lost) is {@link
   * MountState.Mounted} without a volume id, or {@link MountState.Corrupted} if it does not answer.
   *
   * @throws DriverException {@code UNAVAILABLE} if systemd cannot be reached for a recorded mount
   */
  @Override
  public MountState state(Path target) {
    Path path = target.toAbsolutePath().normalize();
    Optional<MountEntry> entry = kernel.at(path);
    if (entry.isEmpty()) {
      return MountState.NOT_MOUNTED;
    }
    Optional<MountRecord> record =
        MountRecord.read(privateDirectories.directoryFor(path)).filter(r -> !r.byProcessMounter());
    UnitState unit =
        record.isPresent() && entry.get().fuse() ? systemd.unit(record.get().unit()) : null;
    return state(path, entry.get(), record, unit);
  }

  private MountState state(
      Path path, MountEntry mount, Optional<MountRecord> record, UnitState unit) {
    if (!mount.fuse()) {
      return new MountState.Mounted(Optional.empty(), mount.readOnly(), mount.fsType());
    }
    Optional<String> volumeId = record.map(MountRecord::volumeId);
    if (unit != null && !unit.running()) {
      return new MountState.Corrupted(
          volumeId, "its unit " + unit.name() + " is " + unit.describe());
    }
    Optional<String> problem = kernel.problem(path, probeTimeout);
    if (problem.isPresent()) {
      return new MountState.Corrupted(volumeId, problem.get());
    }
    return new MountState.Mounted(volumeId, mount.readOnly(), mount.fsType());
  }

  /**
   * {@inheritDoc}
   *
   * @throws DriverException {@code FAILED_PRECONDITION} when the client is not installed, when
   *     something is mounted at the target, or when the unit ends before it serves (the message
   *     names the unit and quotes the client); {@code DEADLINE_EXCEEDED} when it does not serve
   *     within the mount timeout; {@code UNAVAILABLE} when systemd cannot be reached
   */
  @Override
  public void mount(MountSpec spec) {
    Path target = spec.target().normalize();
    String unit = names.forTarget(target);
    kernel
        .at(target)
        .ifPresent(
            entry -> {
              throw DriverException.failedPrecondition(
                  "target " + target + " already has a " + entry.fsType() + " mount; unmount it");
            });
    supervisor.clearLeftovers(target, unit);
    privateDirectories.remove(target);
    FuseCommand command = FuseCommand.forSpec(spec, privateDirectories.directoryFor(target));
    SecretRedactor redactor = SecretRedactor.forCredentials(spec.credentials());
    TransientService service =
        TransientService.forMount(spec, unit, command, programs, stopTimeout);
    service.requireNoSecret(redactor);
    long started = System.nanoTime();
    try {
      privateDirectories.write(command);
      // systemd would create the log with its umask (0644); the client may log a secret
      privateDirectories.writeFile(new PrivateFile(service.logFile(), Secret.of("")));
      MountRecord.of(spec, target, unit, clock.instant()).write(privateDirectories);
      systemd.start(service);
      supervisor.awaitServing(spec, target, service, redactor, started + mountTimeout.toNanos());
    } catch (RuntimeException e) {
      abandon(target, unit, e);
      throw e;
    }
    LOG.log(
        Level.INFO,
        "mounted {0} at {1} with {2} in unit {3} in {4} ms",
        spec.source(),
        target,
        service.program(),
        unit,
        Long.toString(Duration.ofNanos(System.nanoTime() - started).toMillis()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Rewrites the files in the mount's private directory, each atomically.
   */
  @Override
  public int refreshCredentials(MountSpec spec) {
    Path target = spec.target().toAbsolutePath().normalize();
    FuseCommand command = FuseCommand.forSpec(spec, privateDirectories.directoryFor(target));
    return privateDirectories.rewrite(command, command.rereadFiles());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Unmounts with {@code umount2}, lazily if the mount is busy or dead, then stops the unit (the
   * client gets SIGTERM, and SIGKILL after the stop timeout), waits until it has ended, and removes
   * the private directory.
   *
   * @throws DriverException {@code UNAVAILABLE} when systemd cannot be reached (the mount is gone
   *     already; a retry stops the unit and removes the files); {@code DEADLINE_EXCEEDED} when the
   *     unit does not stop
   */
  @Override
  public void unmount(Path target) {
    Path path = target.toAbsolutePath().normalize();
    kernel.unmount(path);
    supervisor.stop(names.forTarget(path));
    privateDirectories.remove(path);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The usage comes from the same probe as {@link #state}, within the probe timeout.
   */
  @Override
  public Optional<FileSystemUsage> usage(Path target) {
    Path path = target.toAbsolutePath().normalize();
    Optional<MountEntry> entry = kernel.at(path);
    if (entry.isEmpty() || !entry.get().fuse()) {
      return Optional.empty();
    }
    return kernel.usage(path, probeTimeout);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Lists every private directory of its root (with the target and volume from its record; a
   * directory without a record has no known target) whose client, the unit named by its key, runs
   * or not; and every unit of its prefix that has no private directory (no known target). Records
   * of a {@link ProcessMounter} sharing the root are left out.
   *
   * @throws DriverException {@code UNAVAILABLE} when systemd cannot be reached
   */
  @Override
  public List<ManagedTarget> managedTargets() {
    List<ManagedTarget> all = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (String key : privateDirectories.keys()) {
      keys.add(key);
      managedKey(key, MountRecord.read(privateDirectories.root().resolve(key))).ifPresent(all::add);
    }
    for (String unit : systemd.units(names.glob())) {
      Optional<String> key = names.keyOf(unit);
      if (key.isPresent() && !keys.contains(key.get()) && !systemd.unit(unit).ended()) {
        all.add(
            new ManagedTarget(
                key.get(), Optional.empty(), Optional.empty(), true, clock.instant()));
      }
    }
    all.sort(Comparator.comparing(ManagedTarget::key));
    return List.copyOf(all);
  }

  /**
   * {@inheritDoc}
   *
   * @return the entry when this mounter has a record of the target
   * @throws DriverException {@code UNAVAILABLE} when systemd cannot be reached
   */
  @Override
  public Optional<ManagedTarget> managedTarget(Path target) {
    Path path = target.toAbsolutePath().normalize();
    Optional<MountRecord> record = MountRecord.read(privateDirectories.directoryFor(path));
    return record.isEmpty() ? Optional.empty() : managedKey(PrivateDirectories.keyOf(path), record);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Stops the unit of the entry's key and waits until it has ended, then removes the private
   * directory.
   */
  @Override
  public void forget(ManagedTarget managed) {
    Optional<Path> target = managed.target();
    if (target.isPresent()) {
      Path path = target.get().toAbsolutePath().normalize();
      kernel
          .at(path)
          .ifPresent(
              entry -> {
                throw DriverException.failedPrecondition(
                    "cannot forget " + path + ": a " + entry.fsType() + " mount is there");
              });
      supervisor.stop(names.forTarget(path));
      privateDirectories.remove(path);
    } else {
      supervisor.stop(names.forKey(managed.key()));
      privateDirectories.removeKey(managed.key());
    }
    LOG.log(
        Level.INFO,
        "forgot {0}: stopped unit {1} and removed its private files",
        target.map(Path::toString).orElse("key " + managed.key()),
        names.forKey(managed.key()));
  }

  private Optional<ManagedTarget> managedKey(String key, Optional<MountRecord> record) {
    if (record.isPresent() && record.get().byProcessMounter()) {
      return Optional.empty();
    }
    boolean running = !systemd.unit(names.forKey(key)).ended();
    if (record.isEmpty()) {
      return Optional.of(
          new ManagedTarget(
              key,
              Optional.empty(),
              Optional.empty(),
              running,
              privateDirectories.modified(key).orElse(clock.instant())));
    }
    MountRecord r = record.get();
    return Optional.of(
        new ManagedTarget(
            key, Optional.of(r.target()), Optional.of(r.volumeId()), running, r.since()));
  }

  /**
   * Returns the mounts this mounter has records of (those of its private root), with their state
   * now. Mounts of other mounters, and units without a record, are not listed.
   *
   * @return the mounts, ordered by target
   * @throws DriverException {@code UNAVAILABLE} when systemd cannot be reached
   */
  public List<ManagedMount> list() {
    List<ManagedMount> mounts = new ArrayList<>();
    for (String key : privateDirectories.keys()) {
      Optional<MountRecord> record = MountRecord.read(privateDirectories.root().resolve(key));
      record.filter(r -> !r.byProcessMounter()).ifPresent(r -> mounts.add(describe(r)));
    }
    mounts.sort((a, b) -> a.target().compareTo(b.target()));
    return List.copyOf(mounts);
  }

  /**
   * Returns the mount this mounter has a record of at a target.
   *
   * @param target an absolute directory
   * @return the mount with its state now, or empty when this mounter has no record for the target
   * @throws DriverException {@code UNAVAILABLE} when systemd cannot be reached
   */
  public Optional<ManagedMount> managed(Path target) {
    Path path = target.toAbsolutePath().normalize();
    return MountRecord.read(privateDirectories.directoryFor(path))
        .filter(r -> !r.byProcessMounter())
        .map(this::describe);
  }

  /**
   * Looks at what a previous driver left, at start: logs every recorded mount with its state, and
   * every unit of this mounter's prefix that has no record. Changes nothing: a mount that no longer
   * serves, or a unit without a mount, is cleaned up by the next publish or unpublish of its
   * target.
   *
   * @return the recorded mounts, as {@link #list()} returns them
   * @throws DriverException {@code UNAVAILABLE} when systemd cannot be reached
   */
  public List<ManagedMount> recover() {
    List<ManagedMount> mounts = list();
    Set<String> recorded = new HashSet<>();
    for (ManagedMount mount : mounts) {
      recorded.add(mount.unit());
      LOG.log(
          mount.serving() ? Level.INFO : Level.WARNING,
          "found volume {0} ({1}/{2}) at {3} in unit {4} ({5}): {6}",
          mount.volumeId(),
          mount.bucket(),
          mount.prefix().orElse(""),
          mount.target(),
          mount.unit(),
          mount.unitState(),
          mount.state());
    }
    for (String unit : systemd.units(names.glob())) {
      if (!recorded.contains(unit) && names.keyOf(unit).isPresent()) {
        LOG.log(
            Level.WARNING,
            "unit {0} runs but has no mount record under {1}; s3csi cannot tell which target it"
                + " serves: stop it with ''systemctl stop {0}'' once nothing uses it",
            unit,
            privateDirectories.root());
      }
    }
    return mounts;
  }

  /**
   * Returns a readiness check for the CSI Probe: whether systemd answers on this mounter's D-Bus
   * connection (a read of the manager's {@code Version} property) within {@code timeout}. The
   * reason it gives names the socket, as the mounter's own errors do.
   *
   * @param timeout how long a check waits for systemd's answer
   * @return the check
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public ReadinessCheck readinessCheck(Duration timeout) {
    return new SystemdReadinessCheck(systemd, timeout);
  }

  /** Closes the D-Bus connection; the mounts and their units stay. Idempotent. */
  @Override
  public void close() {
    systemd.close();
  }

  @Override
  public String toString() {
    return "SystemdMounter[" + systemd.address() + ", " + privateDirectories.root() + "]";
  }

  private ManagedMount describe(MountRecord record) {
    UnitState unit = systemd.unit(record.unit());
    Optional<MountEntry> entry = kernel.at(record.target());
    MountState state =
        entry.isEmpty()
            ? MountState.NOT_MOUNTED
            : state(record.target(), entry.get(), Optional.of(record), unit);
    return new ManagedMount(
        record.target(),
        record.volumeId(),
        record.bucket(),
        record.prefix(),
        record.client(),
        record.readOnly(),
        record.unit(),
        record.since(),
        state,
        unit.describe());
  }

  /** Leaves nothing behind of a failed mount: no mount, no unit, no private files. */
  private void abandon(Path target, String unit, RuntimeException failure) {
    try {
      kernel.unmount(target);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    try {
      supervisor.stop(unit);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    try {
      privateDirectories.remove(target);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Settings of a {@link SystemdMounter}. Not thread-safe. */
  public static final class Builder {
    private final PrivateDirectories privateDirectories;
    private Duration mountTimeout = DEFAULT_MOUNT_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
    private List<Path> searchPath = ProgramResolver.DEFAULT_SEARCH_PATH;
    private String address = DEFAULT_ADDRESS;
    private String unitPrefix = DEFAULT_UNIT_PREFIX;
    private Clock clock = Clock.systemUTC();

    private Builder(PrivateDirectories privateDirectories) {
      this.privateDirectories = Objects.requireNonNull(privateDirectories, "privateDirectories");
    }

    /**
     * Sets how long a client may take to serve its mount; default {@link #DEFAULT_MOUNT_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder mountTimeout(Duration timeout) {
      this.mountTimeout = Durations.positive("mountTimeout", timeout);
      return this;
    }

    /**
     * Sets how long a client may take to exit after SIGTERM before systemd kills it (the unit's
     * {@code TimeoutStopSec}); default {@link #DEFAULT_STOP_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Durations.positive("stopTimeout", timeout);
      return this;
    }

    /**
     * Sets how long a mount may take to answer {@code statfs} and {@code stat} before it counts as
     * hung; default {@link #DEFAULT_PROBE_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder probeTimeout(Duration timeout) {
      this.probeTimeout = Durations.positive("probeTimeout", timeout);
      return this;
    }

    /**
     * Sets the directories searched, in order, for a client's program and for {@code sh}; default
     * {@code /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin}. The unit runs the
     * path found here, on the host: where the driver runs in a container, the programs must be at
     * the same path on the host.
     *
     * @throws IllegalArgumentException if empty or a directory is not absolute
     */
    public Builder searchPath(List<Path> directories) {
      this.searchPath = ProgramResolver.checkSearchPath(directories);
      return this;
    }

    /**
     * Sets where systemd is reached: a peer-to-peer D-Bus address (default {@value
     * #DEFAULT_ADDRESS}), or {@value #SYSTEM_BUS} for the D-Bus system bus.
     *
     * @throws IllegalArgumentException for any other value
     */
    public Builder address(String address) {
      this.address = checkAddress("systemdAddress", address);
      return this;
    }

    /**
     * Sets the prefix of unit names (default {@value #DEFAULT_UNIT_PREFIX}): units are named {@code
     * <prefix>-<16 hex digits>.service}. Mounters with different private roots on one host should
     * use different prefixes.
     *
     * @throws IllegalArgumentException unless lowercase letters, digits and inner hyphens, at most
     *     40 characters
     */
    public Builder unitPrefix(String prefix) {
      new UnitNames(prefix);
      this.unitPrefix = prefix;
      return this;
    }

    /** Sets the clock that stamps the start time of mounts; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the mounter; it connects to systemd at its first call.
     *
     * @throws DriverException if the C library cannot be bound on this platform
     */
    public SystemdMounter build() {
      return new SystemdMounter(KernelMounts.system(), new DbusSystemd(address), this);
    }

    SystemdMounter build(KernelMounts kernel, Systemd systemd) {
      return new SystemdMounter(kernel, systemd, this);
    }
  }
}
