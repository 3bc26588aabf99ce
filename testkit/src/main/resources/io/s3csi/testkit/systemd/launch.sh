#!/bin/sh
# Host side of io.s3csi.testkit.systemd.SystemdNamespace.
# Arguments: the cgroup directories this process moves into before it unshares.
# Environment: S3CSI_INIT (init.sh), S3CSI_UNITS (unit directory), S3CSI_TARGET (target unit).
# Standard input is a pipe the JVM holds open: when it closes (close() or the JVM died), the
# namespace is killed. Standard output carries the console of systemd (a pseudo-terminal that
# script(1) relays), standard error this script's own errors.
set -eu

for dir in "$@"; do
  echo $$ > "$dir/cgroup.procs"
done

exec 3<&0
# script(1) gives systemd a terminal for /dev/console: systemd logs only to a tty.
# unshare --kill-child SIGKILLs systemd (and so the whole pid namespace) if unshare dies, which
# it does on the hangup that follows the death of script(1).
script -q -e -c 'exec unshare --pid --fork --kill-child --mount --mount-proc --cgroup \
    --propagation private /bin/sh "$S3CSI_INIT" "$S3CSI_UNITS" "$S3CSI_TARGET"' /dev/null \
  </dev/null 3<&- &
namespace=$!

(
  read -r _ <&3 || true
  kill -KILL "$namespace" 2>/dev/null || true
) &
watchdog=$!
exec 3<&-

status=0
wait "$namespace" || status=$?
kill "$watchdog" 2>/dev/null || true
exit "$status"
