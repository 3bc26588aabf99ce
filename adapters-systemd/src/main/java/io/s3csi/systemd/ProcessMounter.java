package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.MountSpec;
import io.s3csi.core.mount.FileSystemUsage;
import io.s3csi.core.mount.ManagedTarget;
import io.s3csi.core.mount.MountEntry;
import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.Mounter;
import io.s3csi.core.mount.PrivateDirectories;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link Mounter} that runs each FUSE client as a child process of the driver, in the foreground,
 * and supervises it: the bare-host mode of the node plugin, for machines without systemd.
 *
 * <p>{@link #mount} resolves the client's program in a fixed list of directories, writes the
 * mount's private files, starts the client with exactly the environment its {@link FuseCommand}
 * names, and returns once the kernel lists a FUSE mount at the target and that mount answers. If
 * the client exits first, or does not serve within the mount timeout, it is stopped, its private
 * files are removed, and the error quotes the client's last output lines with every secret value of
 * the mount masked.
 *
 * <p><b>The driver owns its clients.</b> The clients are children of the driver's JVM: {@link
 * #close()} unmounts every target this mounter mounted and stops its client, so a driver restart
 * with this mounter ends its mounts, and pods that use them see their volume go away. That is why
 * systemd transient units are the default for the node plugin: they outlive the driver. If the JVM
 * dies without {@link #close()}, the clients survive as orphans and keep serving; a new mounter
 * knows their volume from the record each mount leaves in its private directory ({@value
 * MountRecord#FILE_NAME}), reports their mounts as {@link MountState.Mounted} and can still {@link
 * #unmount} them (the clients exit on their own once their mount is gone). This class registers no
 * shutdown hook; the launcher that owns the JVM closes it.
 *
 * <p>Operations on different targets run concurrently; callers serialize operations on one target.
 */
public final class ProcessMounter implements Mounter, AutoCloseable {
  /** The default for how long a client may take to serve its mount. */
  public static final Duration DEFAULT_MOUNT_TIMEOUT = Duration.ofSeconds(30);

  /** The default for how long a client may take to exit after SIGTERM. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  /** The default for how long a mount may take to answer a probe before it counts as hung. */
  public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = System.getLogger(ProcessMounter.class.getName());
  private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

  private final PrivateDirectories privateDirectories;
  private final KernelMounts kernel;
  private final ProgramResolver programs;
  private final Duration mountTimeout;
  private final Duration stopTimeout;
  private final Duration probeTimeout;
  private final Clock clock;
  private final ConcurrentMap<Path, ClientProcess> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  ProcessMounter(PrivateDirectories privateDirectories, KernelMounts kernel, Builder settings) {
    this.privateDirectories = Objects.requireNonNull(privateDirectories, "privateDirectories");
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.programs = new ProgramResolver(settings.searchPath);
    this.mountTimeout = settings.mountTimeout;
    this.stopTimeout = settings.stopTimeout;
    this.probeTimeout = settings.probeTimeout;
    this.clock = Clock.systemUTC();
  }

  /**
   * Creates a mounter with the default settings.
   *
   * @param privateDirectories where each mount's private files go
   * @throws DriverException if the C library cannot be bound on this platform
   */
  public ProcessMounter(PrivateDirectories privateDirectories) {
    this(privateDirectories, KernelMounts.system(), new Builder());
  }

  /**
   * Returns a builder for a mounter with other settings.
   *
   * @param privateDirectories where each mount's private files go
   * @return the builder
   */
  public static Builder builder(PrivateDirectories privateDirectories) {
    return new Builder().privateDirectories(privateDirectories);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A FUSE mount is {@link MountState.Mounted} (with the volume id when this mounter, or one
   * before it with the same private root, made it) only while it answers {@code stat} and {@code
   * statfs} within the probe timeout and its client, if this mounter runs it, is alive; otherwise
   * it is {@link MountState.Corrupted}. Any other mount at the target is {@link MountState.Mounted}
   * without a volume id.
   */
  @Override
  public MountState state(Path target) {
    Path path = target.toAbsolutePath().normalize();
    ClientProcess client = clients.get(path);
    Optional<MountEntry> entry = kernel.at(path);
    if (entry.isEmpty()) {
      return MountState.NOT_MOUNTED;
    }
    MountEntry mount = entry.get();
    if (!mount.fuse()) {
      return new MountState.Mounted(Optional.empty(), mount.readOnly(), mount.fsType());
    }
    Optional<String> volumeId =
        client != null ? Optional.of(client.volumeId()) : record(path).map(MountRecord::volumeId);
    if (client != null && !client.isAlive()) {
      return new MountState.Corrupted(volumeId, client.describeExit());
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
   *     something is already mounted at the target, or when the client exits before it serves (the
   *     message quotes its last output); {@code DEADLINE_EXCEEDED} when it does not serve within
   *     the mount timeout; {@code INTERNAL} when it cannot be started
   */
  @Override
  public void mount(MountSpec spec) {
    if (closed) {
      throw DriverException.failedPrecondition("the process mounter is closed");
    }
    Path target = spec.target().normalize();
    kernel
        .at(target)
        .ifPresent(
            entry -> {
              throw DriverException.failedPrecondition(
                  "target " + target + " already has a " + entry.fsType() + " mount; unmount it");
            });
    ClientProcess stale = clients.remove(target);
    if (stale != null) {
      stale.stop(stopTimeout);
    }
    FuseCommand command = FuseCommand.forSpec(spec, privateDirectories.directoryFor(target));
    Path executable = programs.resolve(command.program());
    try {
      privateDirectories.write(command);
      MountRecord.of(spec, target, "", clock.instant()).write(privateDirectories);
    } catch (RuntimeException e) {
      privateDirectories.remove(target);
      throw e;
    }
    ClientProcess client;
    try {
      client =
          ClientProcess.start(
              executable,
              command,
              spec.volumeId(),
              SecretRedactor.forCredentials(spec.credentials()));
    } catch (IOException e) {
      privateDirectories.remove(target);
      throw DriverException.internal("cannot start " + executable + ": " + e.getMessage(), e);
    }
    long started = System.nanoTime();
    try {
      awaitServing(spec, target, client, started + mountTimeout.toNanos());
    } catch (RuntimeException e) {
      abandon(target, client, e);
      throw e;
    }
    clients.put(target, client);
    if (closed) {
      unmount(target);
      throw DriverException.failedPrecondition(
          "the process mounter was closed while mounting " + spec.source() + " at " + target);
    }
    LOG.log(
        Level.INFO,
        "mounted {0} at {1} with {2} (pid {3}) in {4} ms",
        spec.source(),
        target,
        client.name(),
        Long.toString(client.pid()),
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
   * <p>Unmounts with {@code umount2}, lazily if the mount is busy or dead, then sends the client
   * SIGTERM and, after the stop timeout, SIGKILL, and removes the private files.
   */
  @Override
  public void unmount(Path target) {
    Path path = target.toAbsolutePath().normalize();
    kernel.unmount(path);
    ClientProcess client = clients.remove(path);
    if (client != null) {
      client.stop(stopTimeout);
    }
    privateDirectories.remove(path);
  }

  /** {@inheritDoc} */
  @Override
  public Optional<FileSystemUsage> usage(Path target) {
    Path path = target.toAbsolutePath().normalize();
    ClientProcess client = clients.get(path);
    Optional<MountEntry> entry = kernel.at(path);
    if (entry.isEmpty() || !entry.get().fuse() || (client != null && !client.isAlive())) {
      return Optional.empty();
    }
    return kernel.usage(path, probeTimeout);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Lists the targets whose client this mounter runs, and every private directory of its root
   * with the target and volume from its record (a directory without a record has no known target;
   * records of a {@link SystemdMounter} sharing the root are left out). The client of a target runs
   * only if this mounter started it and it is alive: an orphan of a previous driver is not seen.
   */
  @Override
  public List<ManagedTarget> managedTargets() {
    Map<String, Path> running = new HashMap<>();
    clients.keySet().forEach(target -> running.put(PrivateDirectories.keyOf(target), target));
    List<ManagedTarget> all = new ArrayList<>();
    for (String key : privateDirectories.keys()) {
      Optional<MountRecord> record = MountRecord.read(privateDirectories.root().resolve(key));
      Optional<Path> target = Optional.ofNullable(running.remove(key));
      if (record.isPresent() && record.get().byProcessMounter()) {
        all.add(entry(key, record.get().target(), record));
      } else if (record.isEmpty()) {
        all.add(
            target
                .map(t -> entry(key, t, Optional.empty()))
                .orElseGet(
                    () ->
                        new ManagedTarget(
                            key,
                            Optional.empty(),
                            Optional.empty(),
                            false,
                            privateDirectories.modified(key).orElse(clock.instant()))));
      }
    }
    running.forEach((key, target) -> all.add(entry(key, target, Optional.empty())));
    all.sort(Comparator.comparing(ManagedTarget::key));
    return List.copyOf(all);
  }

  /**
   * {@inheritDoc}
   *
   * @return the entry when this mounter runs the target's client or has a record of it
   */
  @Override
  public Optional<ManagedTarget> managedTarget(Path target) {
    Path path = target.toAbsolutePath().normalize();
    Optional<MountRecord> record = record(path);
    if (record.isEmpty() && !clients.containsKey(path)) {
      return Optional.empty();
    }
    return Optional.of(entry(PrivateDirectories.keyOf(path), path, record));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Stops the target's client (SIGTERM, then SIGKILL after the stop timeout) and removes the
   * private directory.
   */
  @Override
  public void forget(ManagedTarget managed) {
    if (managed.target().isEmpty()) {
      privateDirectories.removeKey(managed.key());
      return;
    }
    Path path = managed.target().get().toAbsolutePath().normalize();
    kernel
        .at(path)
        .ifPresent(
            entry -> {
              throw DriverException.failedPrecondition(
                  "cannot forget " + path + ": a " + entry.fsType() + " mount is there");
            });
    ClientProcess client = clients.remove(path);
    if (client != null) {
      client.stop(stopTimeout);
    }
    privateDirectories.remove(path);
    LOG.log(Level.INFO, "forgot {0}: stopped its client and removed its private files", path);
  }

  private ManagedTarget entry(String key, Path target, Optional<MountRecord> record) {
    ClientProcess client = clients.get(target);
    return new ManagedTarget(
        key,
        Optional.of(target),
        record
            .map(MountRecord::volumeId)
            .or(() -> Optional.ofNullable(client).map(ClientProcess::volumeId)),
        client != null && client.isAlive(),
        record
            .map(MountRecord::since)
            .or(() -> privateDirectories.modified(key))
            .orElse(clock.instant()));
  }

  private Optional<MountRecord> record(Path target) {
    return MountRecord.read(privateDirectories.directoryFor(target))
        .filter(MountRecord::byProcessMounter);
  }

  /**
   * Unmounts every target this mounter mounted and stops their clients; see the class description.
   * Later calls to {@link #mount} fail. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    for (Path target : List.copyOf(clients.keySet())) {
      try {
        unmount(target);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "cannot unmount " + target + " while closing", e);
      }
    }
  }

  private void awaitServing(MountSpec spec, Path target, ClientProcess client, long deadline) {
    String lastProblem = "the kernel lists no mount at the target";
    Backoff backoff = new Backoff(POLL_INTERVAL);
    while (true) {
      long seen = kernel.changes();
      Optional<MountEntry> entry = kernel.sharedTable().at(target);
      if (entry.isPresent() && entry.get().fuse()) {
        // Two answers in a row: s3fs checks the bucket in its FUSE init callback, after the mount
        // appeared, and on failure stops its session; a worker thread that was already waiting
        // may still answer the first probe, but nothing answers a second one.
        Optional<String> problem = probe(target, deadline);
        if (problem.isEmpty() && client.isAlive()) {
          problem = probe(target, deadline);
          if (problem.isEmpty() && client.isAlive() && kernel.at(target).isPresent()) {
            return;
          }
        }
        lastProblem = problem.orElse(lastProblem);
      }
      if (!client.isAlive()) {
        throw DriverException.failedPrecondition(
            client.describeExit()
                + " before serving "
                + spec.source()
                + " at "
                + target
                + "; "
                + client.quoteOutput());
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        client.stop(stopTimeout);
        throw DriverException.deadlineExceeded(
            client.name()
                + " did not serve "
                + spec.source()
                + " at "
                + target
                + " within "
                + mountTimeout.toMillis()
                + " ms ("
                + lastProblem
                + ") and was stopped; "
                + client.quoteOutput());
      }
      kernel.awaitChange(seen, Duration.ofNanos(Math.min(left, backoff.next().toNanos())));
    }
  }

  private Optional<String> probe(Path target, long deadline) {
    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    return kernel.problem(target, left.compareTo(probeTimeout) < 0 ? left : probeTimeout);
  }

  /** Leaves nothing behind of a failed mount: no mount, no process, no private files. */
  private void abandon(Path target, ClientProcess client, RuntimeException failure) {
    try {
      kernel.unmount(target);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    client.stop(stopTimeout);
    try {
      privateDirectories.remove(target);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Settings of a {@link ProcessMounter}. Not thread-safe. */
  public static final class Builder {
    private PrivateDirectories privateDirectories;
    private Duration mountTimeout = DEFAULT_MOUNT_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
    private List<Path> searchPath = ProgramResolver.DEFAULT_SEARCH_PATH;

    private Builder() {}

    private Builder privateDirectories(PrivateDirectories privateDirectories) {
      this.privateDirectories = Objects.requireNonNull(privateDirectories, "privateDirectories");
      return this;
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
     * Sets how long a client may take to exit after SIGTERM before it is killed; default {@link
     * #DEFAULT_STOP_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Durations.positive("stopTimeout", timeout);
      return this;
    }

    /**
     * Sets how long a mount may take to answer {@code stat} and {@code statfs} before {@link
     * ProcessMounter#state} reports it as hung; default {@link #DEFAULT_PROBE_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder probeTimeout(Duration timeout) {
      this.probeTimeout = Durations.positive("probeTimeout", timeout);
      return this;
    }

    /**
     * Sets the directories searched, in order, for a client's program; default {@code
     * /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin}. The driver's own {@code
     * PATH} is never used.
     *
     * @throws IllegalArgumentException if empty or a directory is not absolute
     */
    public Builder searchPath(List<Path> directories) {
      this.searchPath = ProgramResolver.checkSearchPath(directories);
      return this;
    }

    /**
     * Builds the mounter.
     *
     * @throws DriverException if the C library cannot be bound on this platform
     */
    public ProcessMounter build() {
      return new ProcessMounter(privateDirectories, KernelMounts.system(), this);
    }

    ProcessMounter build(KernelMounts kernel) {
      return new ProcessMounter(privateDirectories, kernel, this);
    }
  }
}
