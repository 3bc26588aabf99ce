package io.s3csi.testkit.junit;

import io.s3csi.testkit.systemd.SystemdNamespace;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts one {@link SystemdNamespace} per test class and injects it into parameters of that type
 * ({@code @BeforeAll}, {@code @BeforeEach}, test methods...). It is closed after the last test of
 * the class; {@code @Nested} classes share their enclosing class's namespace.
 *
 * <pre>{@code
 * @ExtendWith(SystemdExtension.class)
 * class MounterIT {
 *   @Test
 *   void mount_transientUnit_isActive(SystemdNamespace systemd) {
 *     systemd.systemctl("start", "hello.service").requireSuccess();
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>To add unit files or manager environment, register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SystemdExtension SYSTEMD =
 *     new SystemdExtension(b -> b.unitFile("hello.service", "[Service]\nExecStart=/bin/true\n"));
 * }</pre>
 *
 * <p>When the machine cannot run systemd in a namespace (not root, no systemd installed, a kernel
 * or container that forbids the namespaces), the class's tests are aborted (reported as skipped)
 * with {@link SystemdNamespace#availability() the reason}. That the machine's pid 1 is not systemd
 * is no reason: the namespace brings its own. When a test fails, the end of systemd's console
 * (units started, stopped, failed) is printed to standard output, since it usually explains the
 * failure. Needs {@code junit-jupiter-api} on the test classpath.
 */
public final class SystemdExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher {

  /** How much of the end of systemd's console a failed test prints. */
  static final int CONSOLE_TAIL = 20_000;

  private static final Namespace NAMESPACE = Namespace.create(SystemdExtension.class);
  private static final String SYSTEMD = "systemd";

  private final Consumer<SystemdNamespace.Builder> customizer;

  /** Creates the extension with the default namespace; used by {@code @ExtendWith}. */
  public SystemdExtension() {
    this(builder -> {});
  }

  /**
   * Creates the extension with a customized namespace; for {@code @RegisterExtension}.
   *
   * @param customizer adds unit files, environment or timeouts to the builder before it starts
   */
  public SystemdExtension(Consumer<SystemdNamespace.Builder> customizer) {
    this.customizer = Objects.requireNonNull(customizer, "customizer");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    if (store.get(SYSTEMD, SystemdNamespace.class) != null) {
      return; // a @Nested class: the enclosing class's namespace serves
    }
    SystemdNamespace.Availability availability = SystemdNamespace.availability();
    if (!availability.available()) {
      Assumptions.abort("systemd cannot run in a private namespace here: " + availability.reason());
    }
    SystemdNamespace.Builder builder = SystemdNamespace.builder();
    customizer.accept(builder);
    store.put(SYSTEMD, builder.start());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // remove() only sees this class's own store: a @Nested class leaves its parent's namespace.
    SystemdNamespace systemd = context.getStore(NAMESPACE).remove(SYSTEMD, SystemdNamespace.class);
    if (systemd != null) {
      systemd.close();
    }
  }

  /** Prints the end of systemd's console, which usually explains why the test failed. */
  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    SystemdNamespace systemd = context.getStore(NAMESPACE).get(SYSTEMD, SystemdNamespace.class);
    if (systemd != null) {
      String console = systemd.consoleOutput();
      System.out.println(
          "[%s] systemd's console:%n%s"
              .formatted(
                  context.getDisplayName(),
                  console.substring(Math.max(0, console.length() - CONSOLE_TAIL))));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SystemdNamespace.class;
  }

  @Override
  public SystemdNamespace resolveParameter(ParameterContext parameter, ExtensionContext context) {
    SystemdNamespace systemd = context.getStore(NAMESPACE).get(SYSTEMD, SystemdNamespace.class);
    if (systemd == null) {
      throw new ParameterResolutionException(
          "SystemdExtension starts systemd before all tests of a class: register it on the"
              + " class (@ExtendWith or a static @RegisterExtension field), and do not ask for"
              + " the namespace in the constructor of a PER_CLASS test instance");
    }
    return systemd;
  }
}
