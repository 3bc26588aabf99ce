/**
 * The CSI gRPC edge of s3csi: serving the CSI services on a unix domain socket.
 *
 * <ul>
 *   <li>{@link io.s3csi.grpc.Endpoint} parses the {@code unix:///path.sock} endpoint Kubernetes
 *       hands a driver.
 *   <li>{@link io.s3csi.grpc.CsiServer} serves a set of CSI services on that socket (mode 0660,
 *       stale sockets replaced, graceful drain on shutdown).
 *   <li>{@link io.s3csi.grpc.LoggingInterceptor} logs each call once, with secrets redacted.
 *   <li>{@link io.s3csi.grpc.CallContextInterceptor} makes each call's volume id, target path and
 *       pod UID the {@link io.s3csi.grpc.CallContext} of the thread that handles it, for log
 *       fields.
 *   <li>{@link io.s3csi.grpc.CsiClient} calls a driver over its socket, for probes and tests.
 * </ul>
 *
 * <p>The CSI v1 messages and stubs generated from {@code csi.proto} live in {@link
 * io.s3csi.grpc.csi.v1}.
 */
package io.s3csi.grpc;
