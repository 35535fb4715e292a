#!/usr/bin/env bash
# Builds the service and runs it. With no environment set it listens on :8080 on the in-memory store.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/jdk.sh
source scripts/cds.sh
./mvnw -q -B -DskipTests package
# Starts faster from the second run on: the first one leaves a class-data archive behind when it stops.
payhook_cds_prepare
# JAVA_OPTS passes JVM options, e.g. a trust store for Redis over TLS.
exec java $PAYHOOK_CDS_OPTS ${JAVA_OPTS:-} -jar "$PAYHOOK_JAR"
