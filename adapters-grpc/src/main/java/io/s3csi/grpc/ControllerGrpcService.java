package io.s3csi.grpc;

import io.grpc.stub.StreamObserver;
import io.s3csi.core.provisioning.ControllerService;
import io.s3csi.core.provisioning.ProvisionedVolume;
import io.s3csi.core.provisioning.Validation;
import io.s3csi.grpc.csi.v1.ControllerGetCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.ControllerGetCapabilitiesResponse;
import io.s3csi.grpc.csi.v1.ControllerGrpc;
import io.s3csi.grpc.csi.v1.ControllerServiceCapability;
import io.s3csi.grpc.csi.v1.CreateVolumeRequest;
import io.s3csi.grpc.csi.v1.CreateVolumeResponse;
import io.s3csi.grpc.csi.v1.DeleteVolumeRequest;
import io.s3csi.grpc.csi.v1.DeleteVolumeResponse;
import io.s3csi.grpc.csi.v1.ValidateVolumeCapabilitiesRequest;
import io.s3csi.grpc.csi.v1.ValidateVolumeCapabilitiesResponse;
import io.s3csi.grpc.csi.v1.Volume;
import java.util.Objects;

/**
 * The CSI Controller service, bound to {@link ControllerService}: dynamic provisioning of buckets
 * and prefixes. It advertises {@code CREATE_DELETE_VOLUME}; the RPCs of capabilities it does not
 * advertise (publish, snapshots, expansion, listing, capacity) answer {@code UNIMPLEMENTED}, as the
 * spec asks.
 *
 * <pre>{@code
 * ControllerService controller =
 *     new ControllerService(config, new S3BucketProvisioner(), driverCredentials, new VolumeLocks());
 * CsiServer.start(endpoint, List.of(identity, new ControllerGrpcService(controller)), interceptors);
 * }</pre>
 */
public final class ControllerGrpcService extends ControllerGrpc.ControllerImplBase {
  private static final ControllerGetCapabilitiesResponse CAPABILITIES =
      ControllerGetCapabilitiesResponse.newBuilder()
          .addCapabilities(
              ControllerServiceCapability.newBuilder()
                  .setRpc(
                      ControllerServiceCapability.RPC
                          .newBuilder()
                          .setType(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME)))
          .build();

  private final ControllerService controller;

  /**
   * Creates the service.
   *
   * @param controller the controller use-cases
   */
  public ControllerGrpcService(ControllerService controller) {
    this.controller = Objects.requireNonNull(controller, "controller");
  }

  @Override
  public void controllerGetCapabilities(
      ControllerGetCapabilitiesRequest request,
      StreamObserver<ControllerGetCapabilitiesResponse> observer) {
    GrpcErrors.respond(observer, () -> CAPABILITIES);
  }

  @Override
  public void createVolume(
      CreateVolumeRequest request, StreamObserver<CreateVolumeResponse> observer) {
    GrpcErrors.respond(
        observer,
        () -> {
          ProvisionedVolume volume = controller.createVolume(CsiRequests.create(request));
          return CreateVolumeResponse.newBuilder()
              .setVolume(
                  Volume.newBuilder()
                      .setVolumeId(volume.volumeId())
                      .setCapacityBytes(volume.capacityBytes())
                      .putAllVolumeContext(volume.volumeContext()))
              .build();
        });
  }

  @Override
  public void deleteVolume(
      DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> observer) {
    GrpcErrors.respond(
        observer,
        () -> {
          controller.deleteVolume(CsiRequests.delete(request));
          return DeleteVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void validateVolumeCapabilities(
      ValidateVolumeCapabilitiesRequest request,
      StreamObserver<ValidateVolumeCapabilitiesResponse> observer) {
    GrpcErrors.respond(
        observer,
        () -> {
          Validation validation =
              controller.validateVolumeCapabilities(CsiRequests.validate(request));
          if (!validation.confirmed()) {
            return ValidateVolumeCapabilitiesResponse.newBuilder()
                .setMessage(validation.message())
                .build();
          }
          return ValidateVolumeCapabilitiesResponse.newBuilder()
              .setConfirmed(
                  ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
                      .addAllVolumeCapabilities(request.getVolumeCapabilitiesList())
                      .putAllVolumeContext(request.getVolumeContextMap())
                      .putAllParameters(request.getParametersMap()))
              .build();
        });
  }
}
