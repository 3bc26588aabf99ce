package io.s3csi.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.s3csi.core.identity.DriverInfo;
import io.s3csi.core.identity.IdentityService;
import io.s3csi.core.identity.ReadinessCheck;
import io.s3csi.grpc.csi.v1.GetPluginCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
import io.s3csi.grpc.csi.v1.GetPluginInfoResponse;
import io.s3csi.grpc.csi.v1.IdentityGrpc;
import io.s3csi.grpc.csi.v1.PluginCapability;
import io.s3csi.grpc.csi.v1.ProbeRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Identity service through a real in-process gRPC channel and stub. */
class IdentityGrpcServiceTest {
  private final AtomicReference<Optional<String>> backend = new AtomicReference<>(Optional.empty());
  private Server server;
  private ManagedChannel channel;

  private IdentityGrpc.IdentityBlockingStub start(boolean controller) throws Exception {
    ReadinessCheck check = backend::get;
    IdentityService identity =
        new IdentityService(
            new DriverInfo(DriverInfo.DEFAULT_NAME, "1.2.3", Map.of("commit", "abc123")),
            controller,
            List.of(check));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(new IdentityGrpcService(identity))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    return IdentityGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void getPluginInfo_reportsNameVersionAndManifest() throws Exception {
    GetPluginInfoResponse info =
        start(false).getPluginInfo(GetPluginInfoRequest.getDefaultInstance());

    assertThat(info.getName()).isEqualTo("s3.csi.s3csi.io");
    assertThat(info.getVendorVersion()).isEqualTo("1.2.3");
    assertThat(info.getManifestMap()).containsExactly(Map.entry("commit", "abc123"));
  }

  @Test
  void getPluginCapabilities_nodeOnly_advertisesNoControllerService() throws Exception {
    assertThat(
            start(false)
                .getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList())
        .isEmpty();
  }

  @Test
  void getPluginCapabilities_withController_advertisesTheControllerService() throws Exception {
    assertThat(
            start(true)
                .getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList())
        .extracting(c -> c.getService().getType())
        .containsExactly(PluginCapability.Service.Type.CONTROLLER_SERVICE);
  }

  @Test
  void probe_backendReachable_isReady() throws Exception {
    assertThat(start(false).probe(ProbeRequest.getDefaultInstance()).getReady().getValue())
        .isTrue();
  }

  @Test
  void probe_backendDown_isNotReady() throws Exception {
    backend.set(Optional.of("systemd is not reachable at /run/systemd/private"));

    assertThat(start(false).probe(ProbeRequest.getDefaultInstance()))
        .satisfies(
            r -> {
              assertThat(r.hasReady()).isTrue();
              assertThat(r.getReady().getValue()).isFalse();
            });
  }
}
