package io.s3csi.testkit.junit;

import io.s3csi.testkit.s3.EmbeddedS3Server;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one in-memory {@link EmbeddedS3Server} per test class and injects it into parameters of
 * type {@code EmbeddedS3Server} ({@code @BeforeAll}, {@code @BeforeEach}, test methods...). The
 * server is closed after the last test of the class; {@code @Nested} classes share their enclosing
 * class's server.
 *
 * <pre>{@code
 * @ExtendWith(S3ServerExtension.class)
 * class UploadTest {
 *   @Test
 *   void upload_small_file_is_stored(EmbeddedS3Server s3) {
 *     s3.createBucket("bkt");
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>A test may {@link EmbeddedS3Server#stop() stop} and {@link EmbeddedS3Server#restart() restart}
 * the server; it is closed whatever state it is left in. Needs {@code org.gaul:s3proxy} and {@code
 * junit-jupiter-api} on the test classpath.
 */
public final class S3ServerExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(S3ServerExtension.class);
  private static final String SERVER = "server";

  /** Creates the extension; used by {@code @ExtendWith} and {@code @RegisterExtension}. */
  public S3ServerExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    if (store.get(SERVER, EmbeddedS3Server.class) == null) {
      store.put(SERVER, EmbeddedS3Server.builder().start());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // remove() only sees this class's own store: a @Nested class leaves its parent's server alone.
    EmbeddedS3Server server = context.getStore(NAMESPACE).remove(SERVER, EmbeddedS3Server.class);
    if (server != null) {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedS3Server.class;
  }

  @Override
  public EmbeddedS3Server resolveParameter(ParameterContext parameter, ExtensionContext context) {
    EmbeddedS3Server server = context.getStore(NAMESPACE).get(SERVER, EmbeddedS3Server.class);
    if (server == null) {
      throw new ParameterResolutionException(
          "S3ServerExtension starts its server before all tests of a class: register it on the"
              + " class (@ExtendWith or a static @RegisterExtension field), and do not ask for"
              + " the server in the constructor of a PER_CLASS test instance");
    }
    return server;
  }
}
