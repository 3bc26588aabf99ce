package io.s3csi.systemd;

import io.s3csi.core.error.DriverException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A stateful {@link Systemd}: units are states in a map. A started service runs ({@code active
 * (running)}) and then the {@link #onStart} action runs, which may mount, write a log or end the
 * unit. A stopped unit is gone at once, as if systemd collected it.
 */
final class FakeSystemd implements Systemd {
  private final Map<String, UnitState> units = new ConcurrentHashMap<>();
  private final List<TransientService> started = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();
  private volatile Consumer<TransientService> onStart = service -> {};
  private volatile DriverException failure;
  private volatile boolean closed;
  private volatile Supplier<String> version = () -> "252 (fake)";

  /** Runs an action after each start, such as mounting the target. */
  FakeSystemd onStart(Consumer<TransientService> action) {
    this.onStart = action;
    return this;
  }

  /** Makes every call fail with the exception, as an unreachable systemd does; null to heal. */
  FakeSystemd failWith(DriverException failure) {
    this.failure = failure;
    return this;
  }

  /** Answers {@link #version()} with the supplier, which may block or throw. */
  FakeSystemd answerVersionWith(Supplier<String> answer) {
    this.version = answer;
    return this;
  }

  /** Sets a unit's state. */
  void set(UnitState state) {
    units.put(state.name(), state);
  }

  /** Makes a unit run. */
  void run(String name) {
    set(new UnitState(name, "loaded", "active", "running", false, 4242));
  }

  /** Makes a unit end as systemd does with CollectMode=inactive-or-failed: it is gone. */
  void end(String name) {
    units.remove(name);
  }

  synchronized List<TransientService> started() {
    return List.copyOf(started);
  }

  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void start(TransientService service) {
    record("start " + service.name());
    if (!unit(service.name()).gone()) {
      throw DriverException.failedPrecondition("cannot start unit " + service.name() + ": exists");
    }
    synchronized (this) {
      started.add(service);
    }
    run(service.name());
    onStart.accept(service);
  }

  @Override
  public UnitState unit(String name) {
    check();
    return units.getOrDefault(name, UnitState.gone(name));
  }

  @Override
  public void stop(String name) {
    record("stop " + name);
    units.remove(name);
  }

  @Override
  public void resetFailed(String name) {
    record("reset-failed " + name);
    units.computeIfPresent(name, (n, s) -> s.activeState().equals("failed") ? null : s);
  }

  @Override
  public List<String> units(String glob) {
    check();
    Pattern pattern =
        Pattern.compile(glob.replace(".", "\\.").replace("?", ".").replace("*", ".*"));
    return units.keySet().stream().filter(n -> pattern.matcher(n).matches()).sorted().toList();
  }

  @Override
  public String version() {
    record("version");
    return version.get();
  }

  @Override
  public String address() {
    return "/run/systemd/private";
  }

  @Override
  public void close() {
    closed = true;
  }

  private void record(String call) {
    check();
    synchronized (this) {
      calls.add(call);
    }
  }

  private void check() {
    DriverException e = failure;
    if (e != null) {
      throw e;
    }
  }
}
