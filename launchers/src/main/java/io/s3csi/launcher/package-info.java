/**
 * The {@code s3csi} command and the composition roots of the driver.
 *
 * <ul>
 *   <li>{@link io.s3csi.launcher.S3csi} is the {@code s3csi} command: {@code s3csi driver} serves
 *       CSI on a unix socket, {@code s3csi demo} shows a bucket mounted through the driver on one
 *       machine.
 *   <li>{@link io.s3csi.launcher.DriverConfig} holds the driver's settings, parsed from the flags
 *       of {@code s3csi driver}.
 *   <li>{@link io.s3csi.launcher.Driver} wires the core use-cases to the gRPC and host adapters and
 *       serves them; it runs in-process too, for embedders and tests.
 * </ul>
 *
 * <p>Launchers parse, wire, start and wait; the rules live in {@code io.s3csi.core}.
 */
package io.s3csi.launcher;
