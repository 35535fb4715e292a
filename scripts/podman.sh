#!/usr/bin/env bash
# Runs podman with payhook's own containers.conf, so that nothing in the machine's podman set-up changes:
#   scripts/podman.sh run ...          podman run ...
#   scripts/podman.sh compose ...      podman-compose ... (podman 4.3 has no compose subcommand)
# Sourced (by image.sh), it only checks the tools and exports CONTAINERS_CONF.
#
# Why a private configuration: on hosts without systemd as PID 1, with hybrid cgroups and low hard
# ulimits (the CI machines), podman's defaults fail: crun refuses the cgroup layout, the systemd cgroup
# manager and journald event logger are absent, and podman raises nofile/nproc above the hard limits.

payhook_podman_fail() {
  echo "podman.sh: $*" >&2
  return 1
}

payhook_podman_setup() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v netavark >/dev/null || [ -x /usr/lib/podman/netavark ] || missing+=(netavark)
  [ -x /usr/lib/podman/aardvark-dns ] || command -v aardvark-dns >/dev/null || missing+=(aardvark-dns)
  command -v iptables >/dev/null || [ -x /usr/sbin/iptables ] || missing+=(iptables)
  if [ ${#missing[@]} -gt 0 ]; then
    payhook_podman_fail "missing: ${missing[*]}. Install them with: apt-get install --no-install-recommends ${missing[*]} (.ci/run installs them when missing)"
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    payhook_podman_fail "run as root (sudo): payhook's images are built and tested with rootful podman"
    return 1
  fi

  local cache=${PAYHOOK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/payhook}
  mkdir -p "$cache" || return 1
  # Containers may not get more than this process may have.
  local nofile nproc
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] && nofile=1048576
  if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then nproc=32768; fi
  local conf="$cache/containers.conf" draft
  draft=$(mktemp "$cache/containers.conf.XXXXXX") || return 1
  cat >"$draft" <<EOF
# Written by payhook's scripts/podman.sh; rewritten on every run.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  mv -f "$draft" "$conf"    # atomic: parallel runs never read half a file
  export CONTAINERS_CONF=$conf
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  payhook_podman_setup
  return $?
fi

set -euo pipefail
payhook_podman_setup || exit 1
if [ "${1:-}" = compose ]; then
  command -v podman-compose >/dev/null \
    || payhook_podman_fail "podman-compose is missing: apt-get install --no-install-recommends podman-compose" || exit 1
  shift
  exec podman-compose "$@"
fi
exec podman "$@"
