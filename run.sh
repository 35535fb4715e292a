#!/usr/bin/env bash
# Builds the service and runs it. With no environment set it listens on :8080 on the in-memory store.
# Arguments go to payhook (./run.sh --check-config); JAVA_OPTS passes JVM options, e.g. a trust store for
# Redis over TLS (see scripts/payhook).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/jdk.sh
./mvnw -q -B -DskipTests package
exec scripts/payhook "$@"
