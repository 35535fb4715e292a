#!/usr/bin/env bash
# Builds payhook's container images with podman, from Debian packages and the build's JDK, with no
# container registry:
#   scripts/image.sh [--rebuild-base] [--jar FILE] [payhook] [redis] [prometheus]    (default: payhook)
#
#   localhost/payhook-base:bookworm       Debian bookworm minbase made by debootstrap, kept as a cache
#   localhost/payhook:latest, :<version>  jlink'ed runtime, the jar (app/target/payhook.jar), a CDS archive
#   localhost/payhook-redis:bookworm      Debian's redis-server      } for the tests and the compose stack
#   localhost/payhook-prometheus:bookworm Debian's prometheus        } where no registry is reachable
#
# The base, Redis and Prometheus images are rebuilt only when their recipe changes (or with
# --rebuild-base, e.g. for Debian security updates); payhook's image is rebuilt on every run. Images
# named together are built in parallel. Needs root, podman (see scripts/podman.sh) and, to make the
# base, debootstrap. DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR choose the Debian mirrors.
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
repo=$PWD

suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
base_image=localhost/payhook-base:$suite
jar=$repo/app/target/payhook.jar
rebuild_base=false
wanted=()

while [ $# -gt 0 ]; do
  case $1 in
    --rebuild-base) rebuild_base=true ;;
    --jar) jar=$2; [[ $jar == /* ]] || jar=$caller/$jar; shift ;;
    payhook | redis | prometheus) wanted+=("$1") ;;
    *) echo "usage: scripts/image.sh [--rebuild-base] [--jar FILE] [payhook] [redis] [prometheus]" >&2; exit 2 ;;
  esac
  shift
done
[ ${#wanted[@]} -gt 0 ] || wanted=(payhook)

source scripts/podman.sh || exit 1
cache=${PAYHOOK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/payhook}
logs=$(mktemp -d "${TMPDIR:-/tmp}/payhook-image.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$logs"' EXIT

say() { printf 'image.sh: %s\n' "$*" >&2; }

image_label() {
  podman image inspect --format "{{index .Labels \"$2\"}}" "$1" 2>/dev/null || true
}

image_size() {
  podman image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1000000 }'
}

# --- the base: Debian minbase, trimmed, imported into podman -----------------------------------------

make_base() {
  local work=$1 root=$1/root
  # No fsync after every file dpkg unpacks: an interrupted build is thrown away anyway.
  local -x DPKG_FORCE=unsafe-io
  debootstrap --variant=minbase --components=main "$suite" "$root" "$mirror"
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
EOF
  # Services installed into images must not be started at install time.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90payhook"
  # Packages installed later (Redis, Prometheus) leave out documentation and translations, too, and
  # are unpacked without fsync like the base.
  cat >"$root/etc/dpkg/dpkg.cfg.d/90payhook" <<'EOF'
force-unsafe-io
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  chroot "$root" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -y -qq upgrade
  chroot "$root" apt-get clean
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$root"/usr/share/{man,info,locale,lintian}/* "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
    "$root"/var/log/* "$root"/etc/resolv.conf "$root"/etc/hostname "$root"/tmp/* "$root"/root/.bash_history
  : >"$root/etc/machine-id"
  tar --numeric-owner -C "$root" -c . | podman import \
    --change "LABEL dev.payhook.base-recipe=$base_recipe" \
    --change 'CMD ["/bin/bash"]' - "$base_image" >/dev/null
  podman image prune -f --filter label=dev.payhook.base-recipe >/dev/null
}

# Any change to the recipe above, or to the mirrors, makes a new base.
base_recipe=$( { declare -f make_base; echo "$suite $mirror $security_mirror"; } | sha256sum | cut -c1-16)

ensure_base() {
  if ! $rebuild_base && [ "$(image_label "$base_image" dev.payhook.base-recipe)" = "$base_recipe" ]; then
    return 0
  fi
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || {
    say "debootstrap is missing; install it with: apt-get install --no-install-recommends debootstrap (.ci/run does)"
    exit 1
  }
  say "building the base image $base_image with debootstrap (one to three minutes)"
  local work started=$SECONDS
  work=$(mktemp -d "${TMPDIR:-/tmp}/payhook-base.XXXXXX")
  # In the background, as in a condition bash would ignore set -e inside make_base.
  PATH="$PATH:/usr/sbin:/sbin" make_base "$work" >"$logs/base.log" 2>&1 &
  if ! wait $!; then
    tail -n 40 "$logs/base.log" >&2
    rm -rf "$work"
    say "the base image could not be built (output above)"
    exit 1
  fi
  rm -rf "$work"
  say "built $base_image in $((SECONDS - started)) s ($(image_size "$base_image"))"
}

# --- images from Debian packages on top of the base ---------------------------------------------------

# Rebuilt only when the Containerfile or the base changes.
build_packaged() {
  local name=$1 file=deploy/image/$1.Containerfile tag=localhost/payhook-$1:$suite recipe
  recipe=$( { cat "$file"; podman image inspect --format '{{.Id}}' "$base_image"; } | sha256sum | cut -c1-16)
  if [ "$(image_label "$tag" dev.payhook.recipe)" = "$recipe" ]; then
    echo "$tag is up to date ($(image_size "$tag"))"
    return 0
  fi
  local started=$SECONDS
  podman build --pull=never --format docker --build-arg "BASE=$base_image" \
    --label "dev.payhook.recipe=$recipe" -t "$tag" -f "$file" deploy/image
  podman image prune -f --filter "label=dev.payhook.image=$name" >/dev/null
  echo "built $tag in $((SECONDS - started)) s ($(image_size "$tag"))"
}

# --- payhook's image ----------------------------------------------------------------------------------

java_feature() {
  "$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }'
}

# The modules the jar needs (jdeps), plus what it reaches only by reflection or service lookup: EC
# crypto for TLS on JDKs where it is still a module of its own, and jcmd for thread dumps in production.
# jdeps takes its time on a jar this size, so the answer is kept per JDK and set of libraries: the
# jar's listing (names, sizes, times) without payhook's own classes, which change on every build.
runtime_modules() {
  local key file modules extra
  key=$( { "$JAVA_HOME/bin/java" -version 2>&1
           "$JAVA_HOME/bin/jar" tvf "$jar" | grep -v -e ' dev/' -e ' META-INF/MANIFEST.MF$' -e ' META-INF/maven/dev.payhook/'
         } | sha256sum | cut -c1-16)
  file=$cache/modules-$key
  if [ ! -s "$file" ]; then
    modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release "$(java_feature)" \
      --print-module-deps "$jar")
    for extra in jdk.crypto.ec jdk.jcmd; do
      if "$JAVA_HOME/bin/java" --list-modules | grep -q "^$extra@"; then modules+=",$extra"; fi
    done
    find "$cache" -maxdepth 1 -name 'modules-*' -delete
    echo "$modules" >"$file"
  fi
  cat "$file"
}

# A jlink'ed runtime with a CDS archive of its own classes, kept in the cache per JDK and module set.
# Prints its directory.
runtime() {
  local modules key dir
  modules=$(runtime_modules)
  key=$( { "$JAVA_HOME/bin/java" -version 2>&1; echo "$JAVA_HOME $modules"; } | sha256sum | cut -c1-16)
  dir=$cache/runtime-$key
  if [ ! -x "$dir/bin/java" ]; then
    rm -rf "$dir" "$dir.tmp"
    "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
      --generate-cds-archive --output "$dir.tmp" >&2
    mv "$dir.tmp" "$dir"
    find "$cache" -maxdepth 1 -name 'runtime-*' -not -name "runtime-$key" -exec rm -rf {} +
  fi
  echo "$dir"
}

# Builds the image on the runtime in directory $1.
build_payhook() {
  local runtime_dir=$1 started=$SECONDS version context
  version=$(cd "$logs" && "$JAVA_HOME/bin/jar" xf "$jar" META-INF/MANIFEST.MF \
    && awk -F': ' '/^Implementation-Version:/ { gsub(/\r/, "", $2); print $2 }' META-INF/MANIFEST.MF)
  context=$logs/payhook-context
  mkdir -p "$context"
  cp -al "$runtime_dir" "$context/runtime" 2>/dev/null || cp -a "$runtime_dir" "$context/runtime"
  cp -a deploy/image/bin "$context/bin"
  cp deploy/jvm.options "$context/bin/jvm.options"
  cp "$jar" "$context/payhook.jar"
  cp deploy/image/Containerfile "$context/Containerfile"
  # No network: the training run listens on 8080 in a namespace of its own.
  podman build --pull=never --format docker --network none --build-arg "BASE=$base_image" \
    --label "org.opencontainers.image.title=payhook" \
    --label "org.opencontainers.image.version=${version:-unknown}" \
    --label "org.opencontainers.image.revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    -t localhost/payhook:latest ${version:+-t "localhost/payhook:$version"} -f "$context/Containerfile" "$context"
  podman image prune -f --filter "label=dev.payhook.image=payhook" >/dev/null
  echo "built localhost/payhook:latest${version:+ (localhost/payhook:$version)} in $((SECONDS - started)) s ($(image_size localhost/payhook:latest))"
}

# --- main ------------------------------------------------------------------------------------------

if [[ " ${wanted[*]} " == *" payhook "* ]]; then
  [ -f "$jar" ] || { say "$jar not found; build it first: ./mvnw -B -DskipTests package"; exit 1; }
  source scripts/jdk.sh || exit 1
  "$JAVA_HOME/bin/java" --list-modules >/dev/null 2>&1 && [ -x "$JAVA_HOME/bin/jlink" ] \
    || { say "the JDK in $JAVA_HOME has no jlink"; exit 1; }
fi
# One run at a time, also across parallel test runs: they would build the same tags.
exec 9>"$cache/image.lock"
flock -w 900 9 || { say "another scripts/image.sh has held $cache/image.lock for 15 minutes"; exit 1; }

started=$SECONDS
declare -A jobs=()
if [[ " ${wanted[*]} " == *" payhook "* ]]; then
  runtime >"$logs/runtime" 2>"$logs/runtime.log" &    # needs no base: runs while debootstrap does
  jobs[runtime]=$!
fi
ensure_base
for image in "${wanted[@]}"; do
  [ "$image" = payhook ] && continue
  build_packaged "$image" >"$logs/$image.log" 2>&1 &
  jobs[$image]=$!
done
if [ -n "${jobs[runtime]:-}" ]; then
  wait "${jobs[runtime]}" || { cat "$logs/runtime.log" >&2; say "jlink could not make the runtime (output above)"; exit 1; }
  unset 'jobs[runtime]'
  build_payhook "$(cat "$logs/runtime")" >"$logs/payhook.log" 2>&1 &
  jobs[payhook]=$!
fi
failed=()
for image in "${!jobs[@]}"; do
  if wait "${jobs[$image]}"; then
    say "$(tail -n 1 "$logs/$image.log")"
  else
    tail -n 40 "$logs/$image.log" >&2
    failed+=("$image")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  say "could not build: ${failed[*]} (output above)"
  exit 1
fi
say "done in $((SECONDS - started)) s"
