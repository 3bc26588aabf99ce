#!/bin/sh
# Pid 1 of the new pid, mount and cgroup namespaces until it becomes systemd.
# Arguments: <unit directory> <target unit>. Standard input/output: a pseudo-terminal.
set -eu
units=$1
target=$2

# The cgroup namespace is rooted at the cgroups launch.sh created; remount every hierarchy so that
# systemd sees that root as "/" and keeps its slices and scopes under it.
awk '{ i = 7; while ($i != "-") i++;
       if ($(i + 1) ~ /^cgroup2?$/ && $5 ~ /^\/sys\/fs\/cgroup/) print $5, $(i + 1), $(i + 3) }' \
    /proc/self/mountinfo |
  while read -r mountpoint type options; do
    umount "$mountpoint"
    mount -t "$type" -o "$options" "$type" "$mountpoint"
  done

# Copies of the host's FUSE mounts would keep those file systems, and their FUSE daemons, alive
# after the host unmounts them; this namespace has no use for them.
awk '{ i = 7; while ($i != "-") i++; if ($(i + 1) ~ /^fuse(blk)?(\..*)?$/) print $5 }' \
    /proc/self/mountinfo | sort -r |
  while read -r mountpoint; do
    umount -l "$mountpoint" 2>/dev/null || true
  done

# systemd, as pid 1, logs to /dev/console and only if it is a terminal.
mount --bind "$(tty)" /dev/console

exec env -i container=s3csi-testkit SYSTEMD_UNIT_PATH="$units" SYSTEMD_COLORS=0 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /lib/systemd/systemd --unit="$target" --log-target=console \
  --default-standard-output=tty --default-standard-error=tty
