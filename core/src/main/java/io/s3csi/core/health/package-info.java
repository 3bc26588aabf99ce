/**
 * The health of the node's mounts over time: {@link io.s3csi.core.health.MountSweeper} finds what
 * dead clients, crashes and unmounts behind the driver's back left, cleans what is safe and tells a
 * {@link io.s3csi.core.health.SweepListener}.
 */
package io.s3csi.core.health;
