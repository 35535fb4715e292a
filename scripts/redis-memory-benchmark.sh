#!/usr/bin/env bash
# Writes N (default 100000) SUCCEEDED records through the Redis adapter into a private redis-server,
# then the same ids in the original format, and prints the bytes per record of each.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
records=${1:-100000}
./mvnw -q -B -pl adapters-redis -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/benchmark-classpath.txt
classpath="adapters-redis/target/test-classes:adapters-redis/target/classes:domain/target/classes"
classpath="$classpath:domain/target/test-classes:$(cat adapters-redis/target/benchmark-classpath.txt)"
exec java -cp "$classpath" dev.payhook.redis.MemoryFootprint "$records"
