#!/usr/bin/env bash
# Measures how long payhook's image takes from `podman run` to its first 200 on GET /health/ready, on
# Redis (the Debian-built Redis image, on a podman network), with and without the application
# class-data archive made at build time. Prints every run and the medians.
#   scripts/image-startup.sh [runs]      (default 5; build the images first: scripts/image.sh payhook redis)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
source scripts/podman.sh || exit 1
command -v curl >/dev/null || { echo "image-startup.sh: curl is missing: apt-get install curl" >&2; exit 1; }

id=$$
network=payhook-startup-$id
redis=payhook-startup-redis-$id
service=payhook-startup-$id
# A free port in 12000-22767: nothing answers on it.
port=$((12000 + RANDOM % 10768))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((12000 + RANDOM % 10768)); done
cleanup() {
  podman rm --force --time 0 "$service" "$redis" >/dev/null 2>&1 || true
  podman network rm --force "$network" >/dev/null 2>&1 || true
}
errors=$(mktemp)
trap 'cleanup; rm -f "$errors"' EXIT
podman network create "$network" >/dev/null 2>"$errors" || { cat "$errors" >&2; exit 1; }
podman run --detach --name "$redis" --network "$network" localhost/payhook-redis:bookworm >/dev/null 2>"$errors" \
  || { cat "$errors" >&2; exit 1; }

# One start: milliseconds from `podman run` to ready; the container is removed afterwards.
start_to_ready() {
  local started now
  started=$(date +%s%N)
  podman run --detach --name "$service" --network "$network" --read-only --tmpfs /tmp \
    -p "127.0.0.1:$port:8080" -e "REDIS_URL=redis://$redis:6379" -e "JAVA_OPTS=$1" \
    localhost/payhook:latest >/dev/null 2>"$errors" || { cat "$errors" >&2; exit 1; }
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    now=$(date +%s%N)
    if [ $(((now - started) / 1000000000)) -gt 120 ]; then
      podman logs "$service" >&2
      echo "image-startup.sh: not ready within 120 s" >&2
      exit 1
    fi
    sleep 0.01
  done
  now=$(date +%s%N)
  podman rm --force --time 0 "$service" >/dev/null 2>&1
  echo $(((now - started) / 1000000))
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)) }'
}

start_to_ready "" >/dev/null    # warms the page cache and podman
with=()
without=()
for run in $(seq 1 "$runs"); do
  with+=("$(start_to_ready "")")
  # The last -XX:SharedArchiveFile wins: only the runtime's own archive of JDK classes.
  without+=("$(start_to_ready "-XX:SharedArchiveFile=/opt/payhook/runtime/lib/server/classes.jsa")")
  echo "run $run: ${with[-1]} ms with the application archive, ${without[-1]} ms with the JDK's only"
done
echo "median of $runs: $(printf '%s\n' "${with[@]}" | median) ms with the application archive," \
  "$(printf '%s\n' "${without[@]}" | median) ms with the JDK's only" \
  "(image $(podman image inspect --format '{{.Size}}' localhost/payhook:latest | awk '{ printf "%.0f MB", $1 / 1000000 }'), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg))"
