#!/usr/bin/env bash
# Runs every test: unit, contract, HTTP, Redis and end-to-end against the packaged jar.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/jdk.sh
exec ./mvnw -B verify "$@"
