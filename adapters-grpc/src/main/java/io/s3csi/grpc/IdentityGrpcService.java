package io.s3csi.grpc;

import com.google.protobuf.BoolValue;
import io.grpc.stub.StreamObserver;
import io.s3csi.core.identity.IdentityService;
import io.s3csi.core.identity.Readiness;
import io.s3csi.grpc.csi.v1.GetPluginCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.GetPluginCapabilitiesResponse;
import io.s3csi.grpc.csi.v1.GetPluginInfoRequest;
import io.s3csi.grpc.csi.v1.GetPluginInfoResponse;
import io.s3csi.grpc.csi.v1.IdentityGrpc;
import io.s3csi.grpc.csi.v1.PluginCapability;
import io.s3csi.grpc.csi.v1.ProbeRequest;
import io.s3csi.grpc.csi.v1.ProbeResponse;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;

/** The CSI Identity service, bound to {@link IdentityService}. */
public final class IdentityGrpcService extends IdentityGrpc.IdentityImplBase {
  private static final Logger LOG = System.getLogger(IdentityGrpcService.class.getName());

  private final IdentityService identity;

  /**
   * Creates the service.
   *
   * @param identity the identity use-cases
   */
  public IdentityGrpcService(IdentityService identity) {
    this.identity = Objects.requireNonNull(identity, "identity");
  }

  @Override
  public void getPluginInfo(
      GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> observer) {
    GrpcErrors.respond(
        observer,
        () ->
            GetPluginInfoResponse.newBuilder()
                .setName(identity.info().name())
                .setVendorVersion(identity.info().version())
                .putAllManifest(identity.info().manifest())
                .build());
  }

  @Override
  public void getPluginCapabilities(
      GetPluginCapabilitiesRequest request,
      StreamObserver<GetPluginCapabilitiesResponse> observer) {
    GrpcErrors.respond(
        observer,
        () -> {
          GetPluginCapabilitiesResponse.Builder response =
              GetPluginCapabilitiesResponse.newBuilder();
          if (identity.controllerService()) {
            response.addCapabilities(
                PluginCapability.newBuilder()
                    .setService(
                        PluginCapability.Service.newBuilder()
                            .setType(PluginCapability.Service.Type.CONTROLLER_SERVICE)));
          }
          return response.build();
        });
  }

  @Override
  public void probe(ProbeRequest request, StreamObserver<ProbeResponse> observer) {
    GrpcErrors.respond(
        observer,
        () -> {
          Readiness readiness = identity.probe();
          if (!readiness.ready()) {
            LOG.log(Level.WARNING, "not ready: {0}", String.join("; ", readiness.reasons()));
          }
          return ProbeResponse.newBuilder().setReady(BoolValue.of(readiness.ready())).build();
        });
  }
}
