/**
 * The Container Storage Interface v1.12 API (protobuf package {@code csi.v1}): messages and gRPC
 * stubs generated at build time from {@code src/main/proto/csi.proto}.
 *
 * <p>Service implementations extend {@code IdentityGrpc.IdentityImplBase}, {@code
 * NodeGrpc.NodeImplBase}, {@code ControllerGrpc.ControllerImplBase} and so on. Fields marked secret
 * by the specification can be recognised through the {@code Csi.csiSecret} extension on their
 * {@code FieldOptions}.
 *
 * <p>Wire names and numbers are the specification's, except that the Java-facing field name of
 * {@code mutable_parameters} is {@code mutable_params} in {@code CreateVolumeRequest}, {@code
 * ValidateVolumeCapabilitiesRequest} and {@code ValidateVolumeCapabilitiesResponse.Confirmed} (the
 * spec's name makes protoc's Java output clash with the {@code parameters} map).
 */
package io.s3csi.grpc.csi.v1;
