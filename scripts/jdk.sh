# Sourced by run.sh, test.sh and .ci/run: puts a JDK 21 or newer first on PATH and in JAVA_HOME.
# Order: JAVA_HOME if it is one, else `java` on PATH, else the newest under /usr/lib/jvm.

java_major() {
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

is_jdk21_or_newer() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(java_major "$1/bin/java")" -ge 21 ] 2>/dev/null
}

payhook_pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && is_jdk21_or_newer "$JAVA_HOME"; then
    return 0
  fi
  local on_path
  on_path=$(command -v java 2>/dev/null) && on_path=$(dirname "$(dirname "$(readlink -f "$on_path")")")
  if [ -n "$on_path" ] && is_jdk21_or_newer "$on_path"; then
    JAVA_HOME=$on_path
    return 0
  fi
  local candidate newest="" newest_major=0
  for candidate in /usr/lib/jvm/*; do
    if is_jdk21_or_newer "$candidate"; then
      local major
      major=$(java_major "$candidate/bin/java")
      if [ "$major" -gt "$newest_major" ]; then newest=$candidate; newest_major=$major; fi
    fi
  done
  if [ -z "$newest" ]; then
    echo "payhook needs a JDK 21 or newer: install one and set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME=$newest
}

payhook_pick_jdk || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries touch sun.misc.Unsafe, which JDK 24+ warns about on every run.
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
