/**
 * The node host: everything that touches the node's kernel and init system. {@link
 * io.s3csi.systemd.SystemdMounter} runs each FUSE client as a transient systemd unit of the host,
 * over D-Bus, so that mounts outlive the driver (the node plugin's default); {@link
 * io.s3csi.systemd.ProcessMounter} runs FUSE clients as supervised child processes (machines
 * without systemd, {@code s3csi mount --foreground}); the same package reads the kernel mount
 * table, probes FUSE mounts for dead or hung clients, and unmounts with {@code umount2(2)}.
 */
package io.s3csi.systemd;
