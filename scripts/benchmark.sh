#!/usr/bin/env bash
# Measures payhook against reference servers on this machine and prints a table with the targets of
# docs/performance.md:
#   scripts/benchmark.sh                           new and duplicate events, 64 connections
#   SIMULATED_LATENCY=100ms scripts/benchmark.sh   slow gateway: payhook against the floor server, which
#                                                  sleeps as long between its two Redis calls; 1000 connections
# Settings (environment): WARMUP seconds per server and workload (20), DURATION seconds per round (15),
# ROUNDS (2, the best counts), THREADS (2), CONNECTIONS (64, or 1000 in slow-gateway mode), DUPLICATES
# (size of the pre-paid set, 1000), STARTS (start-to-ready samples, 5), SERVERS (what to run, by default
# "start bare payhook-memory floor payhook-redis peer", where start is the start-to-ready measurement),
# PROFILE (1 records the measured rounds of every server with JFR). Everything it writes goes to
# target/benchmark/<time>/. It starts its own redis-server and stops everything it started when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-cli >/dev/null || missing+=(redis-tools)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "The benchmark needs: ${missing[*]}. Install with: apt-get install ${missing[*]}" >&2
  exit 1
fi
source scripts/jdk.sh
source scripts/cds.sh

WARMUP=${WARMUP:-20}
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}
DUPLICATES=${DUPLICATES:-1000}
STARTS=${STARTS:-5}
PROFILE=${PROFILE:-0}
SIMULATED_LATENCY=${SIMULATED_LATENCY:-}
pause_ms=0
if [ -n "$SIMULATED_LATENCY" ]; then
  case $SIMULATED_LATENCY in
    *ms) pause_ms=${SIMULATED_LATENCY%ms} ;;
    *s) pause_ms=$(( ${SIMULATED_LATENCY%s} * 1000 )) ;;
    *) echo "SIMULATED_LATENCY must be like 100ms or 1s" >&2; exit 1 ;;
  esac
  CONNECTIONS=${CONNECTIONS:-1000}
  SERVERS=${SERVERS:-floor payhook-redis}
else
  CONNECTIONS=${CONNECTIONS:-64}
  SERVERS=${SERVERS:-start bare payhook-memory floor payhook-redis peer}
fi
ROUND_TRIP_SAMPLES=50
ulimit -n 65536 2>/dev/null || true

out=$PWD/target/benchmark/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
java="$JAVA_HOME/bin/java"
clock_ticks=$(getconf CLK_TCK)

# --- processes: every one started is stopped on exit ---------------------------------------------------
started=()
stop_process() {
  local pid=$1 waited=0
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [ $waited -lt 150 ]; do sleep 0.1; waited=$((waited + 1)); done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${started[@]}"; do stop_process "$pid"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "[$(date +%H:%M:%S)] $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

free_port() {
  local port
  while :; do
    port=$((12000 + RANDOM % 10768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU time of the whole machine, every process of every user: busy = all but idle and iowait.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# --- build once ---------------------------------------------------------------------------------------
say "building payhook and the reference servers (./mvnw package)"
./mvnw -q -B -DskipTests package
if [ ! -f app/target/test-classes/dev/payhook/bench/FloorServer.class ]; then
  echo "app/target/test-classes has no benchmark servers: was the build run with -Dmaven.test.skip?" >&2
  exit 1
fi
# The reference servers run on the service's own jar (same libraries, same versions) plus the test classes.
bench_cp="app/target/test-classes:app/target/payhook.jar"
if [[ " $SERVERS " == *" peer "* ]]; then
  say "building the Spring Boot peer (bench/spring-peer)"
  ./mvnw -q -B -f bench/spring-peer/pom.xml -DskipTests package
fi

# --- Redis --------------------------------------------------------------------------------------------
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$out" \
  --logfile "$out/redis.log" &
redis_pid=$!
started+=("$redis_pid")
for _ in $(seq 100); do
  [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
[ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] || { echo "redis-server did not start" >&2; exit 1; }
redis_url="redis://127.0.0.1:$redis_port"
rinfo() { redis-cli -p "$redis_port" info "$1" | tr -d '\r' | awk -F: -v k="$2" '$1 == k { print $2 }'; }

# --- the servers --------------------------------------------------------------------------------------
# command_for KIND PORT: sets cmd to the environment assignments and command that start that server.
command_for() {
  local port=$2
  case $1 in
    bare) cmd=("$java" -cp "$bench_cp" dev.payhook.bench.BareJsonServer "$port") ;;
    floor) cmd=("$java" -cp "$bench_cp" dev.payhook.bench.FloorServer "$port" "$redis_url" "$pause_ms") ;;
    # Every new event stays in memory for 24 h; the default bound (100,000 records) would be reached within
    # seconds at these rates and answer the rest store-full, so the run allows more (about 300 B each).
    payhook-memory) cmd=(PORT="$port" MEMORY_STORE_MAX_RECORDS=5000000 "$java" "@deploy/jvm.options"
                         -jar app/target/payhook.jar) ;;
    payhook-redis) cmd=(PORT="$port" REDIS_URL="$redis_url" SIMULATED_LATENCY="${SIMULATED_LATENCY:-0ms}"
                        "$java" "@deploy/jvm.options" -jar app/target/payhook.jar) ;;
    payhook-cds) cmd=(PORT="$port" "$java" "@deploy/jvm.options" $PAYHOOK_CDS_OPTS -jar "$PAYHOOK_JAR") ;;
    peer) cmd=("$java" -jar bench/spring-peer/target/spring-peer.jar --server.port="$port"
               --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$redis_port") ;;
  esac
}

# launch KIND LOG: starts the server on a free port with nothing but PATH from this environment;
# sets server_pid and server_port.
launch() {
  server_port=$(free_port)
  command_for "$1" "$server_port"
  env -i PATH="$PATH" "${cmd[@]}" >"$2" 2>&1 &
  server_pid=$!
  started+=("$server_pid")
}

# await_ready LOG: polls /health/ready until 200; fails with the server's output after 60 s.
await_ready() {
  local deadline=$((SECONDS + 60))
  while [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$server_port/health/ready")" != 200 ]; do
    if ! kill -0 "$server_pid" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
      echo "the server did not get ready; its output ($1):" >&2
      tail -20 "$1" >&2
      exit 1
    fi
    sleep 0.01
  done
}

post() { # EVENT_ID: prints the answer's body
  curl -s --max-time 5 -H 'Content-Type: application/json' \
    -d "{\"event_id\":\"$1\",\"amount\":1000}" "http://127.0.0.1:$server_port/webhooks"
}

# expect_answer EVENT_ID STATUS: one request whose answer must carry that status, or the run stops.
expect_answer() {
  local body
  body=$(post "$1")
  case $body in
    *"\"status\":\"$2\""*) ;;
    *) echo "$current: event $1 should have been answered $2, got: $body" >&2; exit 1 ;;
  esac
}

# --- measuring ----------------------------------------------------------------------------------------
declare -A rps p50 p99 errors cpu loads rt_new rt_dup bytes rss s2r s2r_all

# run_wrk SECONDS SCRIPT-ARGS...: one wrk run; sets the w_* results and the CPU used meanwhile by the
# server, Redis, wrk and everything else on the machine (other users' work), in % of one core.
run_wrk() {
  local seconds=$1 server_before redis_before machine_before timing line
  shift
  server_before=$(cpu_ticks "$server_pid")
  redis_before=$(cpu_ticks "$redis_pid")
  machine_before=$(machine_ticks)
  timing=$( { TIMEFORMAT='%U %S'; time wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" \
      -s bench/wrk/webhooks.lua "http://127.0.0.1:$server_port" -- "$@" >"$out/wrk.txt" 2>&1; } 2>&1 )
  cat "$out/wrk.txt" >>"$out/wrk-all.txt"
  line=$(grep '^RESULT' "$out/wrk.txt") || { echo "wrk failed:" >&2; cat "$out/wrk.txt" >&2; exit 1; }
  w_rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
  w_p50=$(sed -E 's/.* p50_ms=([0-9.]+).*/\1/' <<<"$line")
  w_p99=$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$line")
  w_errors=$(sed -E 's/.* status_errors=([0-9]+) socket_errors=([0-9]+).*/\1 \2/' <<<"$line" | awk '{ print $1 + $2 }')
  w_cpu=$(awk -v s="$(( $(cpu_ticks "$server_pid") - server_before ))" \
              -v r="$(( $(cpu_ticks "$redis_pid") - redis_before ))" -v m="$(( $(machine_ticks) - machine_before ))" \
              -v t="$timing" -v hz="$clock_ticks" -v d="$seconds" \
              'BEGIN { split(t, w, " "); s = 100 * s / hz / d; r = 100 * r / hz / d; k = 100 * (w[1] + w[2]) / d
                       o = 100 * m / hz / d - s - r - k; printf "%d/%d/%d/%d", s, r, k, o < 0 ? 0 : o }')
}

# measure KEY WORKLOAD: warms up, then runs ROUNDS rounds and keeps the best; WORKLOAD is new or duplicates.
measure() {
  local key=$1 workload=$2 round best=-1 errs=0 warm_args round_args
  if [ "$workload" = duplicates ]; then
    warm_args=(duplicates "$DUPLICATES")
  else
    warm_args=(new w0)
  fi
  loads[$key]=$(load)
  say "$key: warm-up ${WARMUP} s (load ${loads[$key]})"
  run_wrk "$WARMUP" "${warm_args[@]}"
  # Redis's memory after the warm-up, when the server's connections exist: what grows from here is records.
  mem_mark=$(rinfo memory used_memory)
  keys_mark=$(redis-cli -p "$redis_port" dbsize)
  if [ "$PROFILE" = 1 ]; then
    jcmd "$server_pid" JFR.start name=bench settings=profile filename="$out/${key//\//-}.jfr" >/dev/null
  fi
  for round in $(seq "$ROUNDS"); do
    if [ "$workload" = duplicates ]; then round_args=(duplicates "$DUPLICATES"); else round_args=(new "r$round"); fi
    run_wrk "$DURATION" "${round_args[@]}"
    say "$key: round $round: $w_rps req/s, p50 $w_p50 ms, p99 $w_p99 ms, errors $w_errors, cpu server/redis/wrk/others $w_cpu %"
    errs=$((errs + w_errors))
    if awk -v a="$w_rps" -v b="$best" 'BEGIN { exit !(a > b) }'; then
      best=$w_rps; rps[$key]=$w_rps; p50[$key]=$w_p50; p99[$key]=$w_p99; cpu[$key]=$w_cpu
    fi
  done
  errors[$key]=$errs
  if [ "$PROFILE" = 1 ]; then
    jcmd "$server_pid" JFR.stop name=bench >/dev/null
    "$java" bench/jfr/Hotspots.java "$out/${key//\//-}.jfr" >"$out/${key//\//-}-hotspots.txt"
  fi
}

# prepay: pays the duplicate set once, so that the duplicates workload meets only paid events.
prepay() {
  local config=$out/prepay.curl i paid
  for ((i = 0; i < DUPLICATES; i++)); do
    [ "$i" = 0 ] || echo next
    printf 'url = "http://127.0.0.1:%s/webhooks"\nsilent\nheader = "Content-Type: application/json"\n' "$server_port"
    printf 'data = "{\\"event_id\\":\\"evt_dup_%017d\\",\\"amount\\":1000}"\n' "$i"
    printf 'output = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n'
  done >"$config"
  paid=$(curl -s --parallel --parallel-max 16 -K "$config" 2>"$out/prepay.err" | grep -c '^200$' || true)
  [ "$paid" = "$DUPLICATES" ] || { echo "$current: only $paid of $DUPLICATES pre-payments were answered 200" >&2; exit 1; }
}

# count_commands FILE: Redis commands sent by clients (not by scripts, tagged lua) as "total breakdown".
count_commands() {
  awk '/^[0-9]/ && $3 != "lua]" { c = toupper($4); gsub(/"/, "", c); if (c != "ECHO" && c != "PING") n[c]++ }
       END { t = 0; for (c in n) { t += n[c]; b = b sprintf(" %s %d", c, n[c]) } print t b }' "$1"
}

await_line() { # PATTERN FILE: waits up to 10 s for a line of FILE to match
  local tries=0
  until grep -q "$1" "$2" 2>/dev/null; do
    tries=$((tries + 1))
    [ $tries -lt 500 ] || { echo "MONITOR wrote nothing to $2" >&2; exit 1; }
    sleep 0.02
  done
}

# monitored FILE COMMAND...: runs COMMAND while MONITOR writes every Redis command to FILE.
monitored() {
  local file=$1 monitor_pid
  shift
  redis-cli -p "$redis_port" monitor >"$file" &
  monitor_pid=$!
  started+=("$monitor_pid")
  await_line '^OK' "$file"
  "$@"
  redis-cli -p "$redis_port" echo end-of-sample >/dev/null
  await_line end-of-sample "$file"
  stop_process "$monitor_pid"
}

send_samples() { # STATUS: ROUND_TRIP_SAMPLES requests on the round-trip ids, each expected to be answered STATUS
  local i
  for ((i = 0; i < ROUND_TRIP_SAMPLES; i++)); do expect_answer "$(printf 'evt_rt_%017d' "$i")" "$1"; done
}

# await_quiet_redis: waits (30 s at most) until Redis processes no command for 300 ms, so that requests
# wrk left in flight (a slow gateway keeps many) are not counted with the samples.
await_quiet_redis() {
  local before after waited=0
  after=$(rinfo stats total_commands_processed)
  while [ $waited -lt 100 ]; do
    before=$after
    sleep 0.3
    after=$(rinfo stats total_commands_processed)
    # INFO itself is one command.
    [ $((after - before)) -le 1 ] && return
    waited=$((waited + 1))
  done
}

# round_trips KEY: Redis commands per new event and per duplicate, from MONITOR over a few requests.
round_trips() {
  local key=$1 counted
  await_quiet_redis
  monitored "$out/monitor-$key-new.txt" send_samples success
  counted=$(count_commands "$out/monitor-$key-new.txt")
  rt_new[$key]=$(awk -v c="$counted" -v n="$ROUND_TRIP_SAMPLES" 'BEGIN { split(c, f, " "); printf "%.2f", f[1] / n }')
  monitored "$out/monitor-$key-dup.txt" send_samples already_processed
  counted=$(count_commands "$out/monitor-$key-dup.txt")
  rt_dup[$key]=$(awk -v c="$counted" -v n="$ROUND_TRIP_SAMPLES" 'BEGIN { split(c, f, " "); printf "%.2f", f[1] / n }')
  say "$key: Redis commands per new event ${rt_new[$key]} ($(cut -d' ' -f2- <<<"$(count_commands "$out/monitor-$key-new.txt")")), per duplicate ${rt_dup[$key]}"
}

rss_mib() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server_pid/status"; }

# bench_server KIND WORKLOAD...: starts KIND, runs the workloads on it, then stops it.
bench_server() {
  local kind=$1 workload
  shift
  current=$kind
  redis-cli -p "$redis_port" flushall >/dev/null
  say "$kind: starting"
  launch "$kind" "$out/$kind.log"
  await_ready "$out/$kind.log"
  for workload in "$@"; do
    case $workload in
      new)
        measure "$kind/new" new
        if [[ $kind != bare && $kind != payhook-memory ]]; then
          bytes[$kind]=$(awk -v m="$(( $(rinfo memory used_memory) - mem_mark ))" \
            -v k="$(( $(redis-cli -p "$redis_port" dbsize) - keys_mark ))" 'BEGIN { printf "%d", m / k }')
        fi
        ;;
      duplicates)
        prepay
        measure "$kind/duplicates" duplicates
        ;;
    esac
  done
  if [[ $kind != bare && $kind != payhook-memory ]]; then
    round_trips "$kind"
  elif [ "$kind" = payhook-memory ]; then
    expect_answer evt_check_000000000000000 success
    expect_answer evt_check_000000000000000 already_processed
  else
    expect_answer evt_check_000000000000000 success
  fi
  rss[$kind]=$(rss_mib)
  stop_process "$server_pid"
}

# start_to_ready KIND: STARTS times from process start to the first 200 on /health/ready; the median in ms.
start_to_ready() {
  local kind=$1 i t0 t1 samples=()
  for ((i = 0; i < STARTS; i++)); do
    t0=$(date +%s%N)
    launch "$kind" "$out/start-$kind.log"
    await_ready "$out/start-$kind.log"
    t1=$(date +%s%N)
    samples+=($(( (t1 - t0) / 1000000 )))
    stop_process "$server_pid"
  done
  s2r_all[$kind]="${samples[*]}"
  s2r[$kind]=$(printf '%s\n' "${samples[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  say "$kind: start to ready ${s2r[$kind]} ms (median of: ${s2r_all[$kind]})"
}

# --- the runs -----------------------------------------------------------------------------------------
runs=" $SERVERS "
load_start=$(load)
if [[ $runs == *" start "* ]]; then
  say "start to ready, $STARTS starts each (load $(load))"
  start_to_ready bare
  start_to_ready payhook-memory
  # The class-data archive as run.sh makes it: a first run writes it when it stops.
  payhook_cds_prepare
  rm -f "$payhook_cds_dir/payhook.jsa"
  current=payhook-cds
  launch payhook-cds "$out/cds-training.log"
  await_ready "$out/cds-training.log"
  expect_answer evt_cds_00000000000000000 success
  stop_process "$server_pid"
  [ -f "$payhook_cds_dir/payhook.jsa" ] || { echo "the first run wrote no class-data archive" >&2; exit 1; }
  start_to_ready payhook-cds
fi
for kind in bare payhook-memory floor payhook-redis peer; do
  [[ $runs == *" $kind "* ]] || continue
  case $kind in
    bare | payhook-memory) bench_server "$kind" new ;;
    *) if [ -n "$SIMULATED_LATENCY" ]; then bench_server "$kind" new; else bench_server "$kind" new duplicates; fi ;;
  esac
done
load_end=$(load)

# --- the report ---------------------------------------------------------------------------------------
name() {
  case $1 in
    bare) echo "bare Javalin JSON app" ;;
    floor) if [ -n "$SIMULATED_LATENCY" ]; then echo "floor (sleeps ${pause_ms} ms)"; else echo "floor: Javalin + store calls"; fi ;;
    payhook-memory) echo "payhook, in memory" ;;
    payhook-redis) echo "payhook, Redis" ;;
    peer) echo "Spring Boot peer (GET+SET)" ;;
    payhook-cds) echo "payhook, class-data archive" ;;
  esac
}
# target LABEL FIELD KEY OP FACTOR OTHER-KEY: compares FIELD (rps or p99) of two runs when both ran.
target() {
  local label=$1 field=$2 key=$3 op=$4 factor=$5 other=$6 a b ratio verdict
  declare -n values=$field
  a=${values[$key]:-}
  b=${values[$other]:-}
  [ -n "$a" ] && [ -n "$b" ] || return 0
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
  verdict=$(awk -v r="$ratio" -v op="$op" -v t="$factor" 'BEGIN { print (op == ">=" ? r >= t : r <= t) ? "PASS" : "FAIL" }')
  if [ "${errors[$key]}" != 0 ]; then verdict="FAIL (${errors[$key]} errors)"; fi
  printf '  %-50s %5s×  (%s %s×)  %s\n' "$label" "$ratio" "$op" "$factor" "$verdict"
}

echo
if [ -n "$SIMULATED_LATENCY" ]; then
  echo "payhook benchmark, slow gateway ($SIMULATED_LATENCY), $(date -u +%Y-%m-%dT%H:%MZ)"
else
  echo "payhook benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
fi
echo "$(nproc) cores; $("$java" -version 2>&1 | head -1); $(redis-server --version | cut -d' ' -f1-3); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "wrk -t$THREADS -c$CONNECTIONS, warm-up ${WARMUP} s per server and workload, best of $ROUNDS rounds of ${DURATION} s"
echo "load average: $load_start at the start, $load_end at the end"
if [ -n "${rps[*]+x}" ]; then
  echo
  printf '%-30s %-11s %9s %8s %8s %7s %20s  %s\n' server workload req/s "p50 ms" "p99 ms" errors "cpu% srv/rds/wrk/oth" "load before"
  for key in bare/new payhook-memory/new floor/new floor/duplicates payhook-redis/new payhook-redis/duplicates \
             peer/new peer/duplicates; do
    [ -n "${rps[$key]:-}" ] || continue
    printf '%-30s %-11s %9.0f %8.2f %8.2f %7s %20s  %s\n' "$(name "${key%/*}")" "${key#*/}" "${rps[$key]}" \
      "${p50[$key]}" "${p99[$key]}" "${errors[$key]}" "${cpu[$key]}" "${loads[$key]}"
  done
fi
if [ -n "${rss[*]+x}" ]; then
  echo
  printf '%-30s %14s %14s %12s %9s\n' server "Redis cmds/new" "cmds/duplicate" "bytes/record" "RSS MiB"
  for kind in bare payhook-memory floor payhook-redis peer; do
    [ -n "${rss[$kind]:-}" ] || continue
    printf '%-30s %14s %14s %12s %9s\n' "$(name "$kind")" "${rt_new[$kind]:--}" "${rt_dup[$kind]:--}" \
      "${bytes[$kind]:--}" "${rss[$kind]}"
  done
fi
if [ -n "${s2r[payhook-cds]:-}" ]; then
  echo
  echo "start to ready (process start to the first 200 on /health/ready), median of $STARTS:"
  for kind in bare payhook-memory payhook-cds; do
    printf '  %-30s %6s ms   (%s)\n' "$(name "$kind")" "${s2r[$kind]}" "${s2r_all[$kind]}"
  done
fi

echo
echo "targets:"
if [ -z "$SIMULATED_LATENCY" ]; then
  target "new events: payhook ≥ 0.9× the floor" rps payhook-redis/new ">=" 0.9 floor/new
  target "new events: payhook ≥ 1.0× the Spring Boot peer" rps payhook-redis/new ">=" 1.0 peer/new
  target "new events: p99 ≤ 1.5× the floor's" p99 payhook-redis/new "<=" 1.5 floor/new
  target "duplicates: payhook ≥ 0.8× the floor" rps payhook-redis/duplicates ">=" 0.8 floor/duplicates
  target "duplicates: p99 ≤ 1.5× the floor's" p99 payhook-redis/duplicates "<=" 1.5 floor/duplicates
  target "in memory: payhook ≥ 0.5× the bare JSON app" rps payhook-memory/new ">=" 0.5 bare/new
  target "in memory: p99 ≤ 3× the bare JSON app's" p99 payhook-memory/new "<=" 3 bare/new
  if [ -n "${rt_new[payhook-redis]:-}" ]; then
    verdict=FAIL
    [ "${rt_new[payhook-redis]}" = 2.00 ] && [ "${rt_dup[payhook-redis]}" = 1.00 ] && verdict=PASS
    printf '  %-50s %s and %s  (2 and 1)  %s\n' "Redis round trips per new event and duplicate" \
      "${rt_new[payhook-redis]}" "${rt_dup[payhook-redis]}" "$verdict"
  fi
  if [ -n "${s2r[payhook-cds]:-}" ]; then
    verdict=$(awk -v v="${s2r[payhook-cds]}" 'BEGIN { print v <= 1000 ? "PASS" : "FAIL" }')
    printf '  %-50s %s ms  (<= 1000 ms)  %s\n' "start to ready, as run.sh starts it" "${s2r[payhook-cds]}" "$verdict"
  fi
else
  target "slow gateway: payhook ≥ 0.8× the floor" rps payhook-redis/new ">=" 0.8 floor/new
  target "slow gateway: p99 ≤ 1.5× the floor's" p99 payhook-redis/new "<=" 1.5 floor/new
fi
echo
details="wrk output, server logs, MONITOR samples"
[ "$PROFILE" = 1 ] && details="$details, JFR recordings and their hotspots (bench/jfr/Hotspots.java)"
echo "details ($details): $out"
