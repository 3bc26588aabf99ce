package io.s3csi.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.s3csi.testkit.s3.EmbeddedS3Server;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class S3ServerExtensionTest {

  private static final List<EmbeddedS3Server> SEEN = new CopyOnWriteArrayList<>();
  private static final String FIXTURE_SWITCH =
      "io.s3csi.testkit.junit.S3ServerExtensionTest#runningFixtures";

  // The nested fixture classes only run inside run(); selected directly (e.g. -Dtest=...*) they
  // report as skipped instead of failing on purpose.
  private static volatile boolean runningFixtures;

  @BeforeEach
  void forgetServers() {
    SEEN.clear();
  }

  @Test
  void extension_onAClass_injectsOneRunningServerAndClosesItAfterTheClass() {
    Events tests = run(SharedServerTests.class);

    tests.assertStatistics(stats -> stats.started(3).succeeded(3));
    assertThat(SEEN).hasSize(4).allSatisfy(server -> assertThat(server).isSameAs(SEEN.get(0)));
    EmbeddedS3Server server = SEEN.get(0);
    assertThat(server.isRunning()).isFalse();
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close())
        .isInstanceOf(ConnectException.class)
        .hasMessage("Connection refused");
    assertThatThrownBy(() -> server.createBucket("bkt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the embedded S3 server was closed");
  }

  @Test
  void extension_onTwoClasses_givesEachItsOwnServer() {
    run(SharedServerTests.class);
    run(StoppingTests.class);

    assertThat(SEEN).hasSize(5);
    assertThat(SEEN.get(4)).isNotSameAs(SEEN.get(0));
  }

  @Test
  void extension_serverLeftStopped_isStillClosed() {
    run(StoppingTests.class).assertStatistics(stats -> stats.succeeded(1));

    assertThat(SEEN).singleElement().satisfies(server -> assertThat(server.isRunning()).isFalse());
    assertThatThrownBy(SEEN.get(0)::restart)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the embedded S3 server was closed");
  }

  @Test
  void extension_registeredOnAnInstanceField_explainsHowToRegisterIt() {
    run(InstanceFieldTests.class)
        .assertThatEvents()
        .haveExactly(
            1,
            event(
                finishedWithFailure(
                    instanceOf(ParameterResolutionException.class),
                    message(
                        "S3ServerExtension starts its server before all tests of a class:"
                            + " register it on the class (@ExtendWith or a static"
                            + " @RegisterExtension field), and do not ask for the server in the"
                            + " constructor of a PER_CLASS test instance"))));
  }

  static boolean runningFixtures() {
    return runningFixtures;
  }

  private static Events run(Class<?> testClass) {
    runningFixtures = true;
    try {
      return EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(testClass))
          .execute()
          .testEvents();
    } finally {
      runningFixtures = false;
    }
  }

  @EnabledIf(FIXTURE_SWITCH)
  @ExtendWith(S3ServerExtension.class)
  static class SharedServerTests {

    @BeforeAll
    static void beforeAll(EmbeddedS3Server server) {
      SEEN.add(server);
      server.createBucket("bkt");
    }

    @Test
    void first(EmbeddedS3Server server) {
      SEEN.add(server);
      assertThat(server.isRunning()).isTrue();
    }

    @Test
    void second(EmbeddedS3Server server) {
      SEEN.add(server);
      assertThat(server.createBucket("bkt")).isFalse();
    }

    @Nested
    class Inner {
      @Test
      void nested(EmbeddedS3Server server) {
        SEEN.add(server);
        assertThat(server.isRunning()).isTrue();
        assertThat(server.createBucket("bkt")).isFalse();
      }
    }
  }

  @EnabledIf(FIXTURE_SWITCH)
  @ExtendWith(S3ServerExtension.class)
  static class StoppingTests {
    @Test
    void stops(EmbeddedS3Server server) {
      SEEN.add(server);
      server.stop();
    }
  }

  @EnabledIf(FIXTURE_SWITCH)
  static class InstanceFieldTests {
    @RegisterExtension final S3ServerExtension s3 = new S3ServerExtension();

    @Test
    void needsServer(EmbeddedS3Server server) {
      SEEN.add(server);
    }
  }
}
