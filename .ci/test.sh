#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh machine (the FUSE clients
# from Debian, Maven through the wrapper) and runs the whole suite, unit tests and ITs.
# Extra arguments go to Maven, e.g. `bash .ci/test.sh -pl core`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v s3fs >/dev/null 2>&1 || missing+=(s3fs)
command -v rclone >/dev/null 2>&1 || missing+=(rclone)
command -v fusermount3 >/dev/null 2>&1 || missing+=(fuse3)
if ((${#missing[@]})); then
  echo "installing ${missing[*]} (needed by the FUSE integration tests)"
  if [ "$(id -u)" -ne 0 ]; then
    echo "the integration tests need root and FUSE; run as root or install: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends s3fs rclone fuse3 >/dev/null
fi

./mvnw -B -ntp verify "$@"
