#!/usr/bin/env bash
# Tributary vs kinesalite vs a do-nothing "ceiling" server, on this machine, same scenarios.
# Builds what it needs, starts the three targets side by side on free loopback ports, runs the
# load tool against them in interleaved rounds (so load from other processes on a shared machine
# hits every target alike; the report takes the median round), stops them, and prints a Markdown
# report (also kept in $WORK/results.md).
#
#   benchmarks/run.sh                      # everything, about 7 minutes
#   ROUNDS=1 DURATION=5 benchmarks/run.sh  # a quick smoke run
#   SKIP_BUILD=1 benchmarks/run.sh         # use the jars already in */target
#
# Knobs (environment): ROUNDS (3), DURATION (s per measured run, 8), WARMUP (s, 2), WRITERS (4),
# RATE (records/s of tail-latency, 2000), TAIL_DURATION (s, 12), STARTUP_REPEATS (5),
# CLIENT (apache|netty), KINESALITE_DIR (/tmp/kinesalite), SKIP_BUILD.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-2}
WRITERS=${WRITERS:-4}
RATE=${RATE:-2000}
TAIL_DURATION=${TAIL_DURATION:-12}
STARTUP_REPEATS=${STARTUP_REPEATS:-5}
CLIENT=${CLIENT:-apache}
KINESALITE_DIR=${KINESALITE_DIR:-/tmp/kinesalite}
KINESALITE_VERSION=3.3.3
TRIBUTARY_JAR="$ROOT/emulator/target/tributary.jar"
BENCH_JAR="$ROOT/benchmarks/target/tributary-bench.jar"
KINESALITE="$KINESALITE_DIR/node_modules/.bin/kinesalite"
LOCK=/tmp/tributary-mvn.lock

WORK=$(mktemp -d /tmp/tributary-bench.XXXXXX)
RESULTS="$WORK/results.txt"
: > "$RESULTS"
declare -A PID PORT

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

stop_all() {
  local p
  for p in "${PID[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PID[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  PID=()
}
cleanup() { stop_all; rm -rf "$WORK/data" "$WORK"/*.jar; }
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_mib() { awk '/^VmRSS:/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }

# Busy percentage of both cores over one second, all processes (ours included).
busy_pct() {
  local u1 n1 s1 i1 w1 q1 sq1 st1 u2 n2 s2 i2 w2 q2 sq2 st2
  read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < /proc/stat
  sleep 1
  read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ < /proc/stat
  local total=$(( (u2+n2+s2+i2+w2+q2+sq2+st2) - (u1+n1+s1+i1+w1+q1+sq1+st1) ))
  echo $(( total > 0 ? 100 * (total - (i2 - i1) - (w2 - w1)) / total : 0 ))
}

# wait_http URL STATUS: polls every 10 ms for at most 30 s; STATUS "any" accepts every HTTP answer.
wait_http() {
  for _ in $(seq 1 3000); do
    local code
    code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$1" 2>/dev/null || true)
    if [[ "$2" == any && "$code" != 000 && -n "$code" ]] || [[ "$code" == "$2" ]]; then return 0; fi
    sleep 0.01
  done
  log "not ready after 30 s: $1"; return 1
}

# load TARGET PROTOCOL ROUND ARGS...: one load-tool run; RESULT lines go to $RESULTS with round=.
load() {
  local target=$1 protocol=$2 round=$3; shift 3
  local cbor=true; [[ "$protocol" == json ]] && cbor=false
  log "round $round: $target ($protocol) $*"
  timeout 600 java -Daws.cborEnabled=$cbor -jar "$BENCH_JAR" --endpoint "http://127.0.0.1:${PORT[$target]}" \
      --label "$target" --target-pid "${PID[$target]}" --client "$CLIENT" --writers "$WRITERS" \
      --duration-seconds "$DURATION" --warmup-seconds "$WARMUP" --rate "$RATE" "$@" \
      2> >(grep -v '^SLF4J' >&2) | sed "s/^RESULT /RESULT round=$round /" | tee -a "$RESULTS" \
      | grep -E '^RESULT' | cut -c1-250 >&2 || true
  echo "BUSY round=$round target=$target busy_pct_after=$(busy_pct)" >> "$RESULTS"
}

# ---------------------------------------------------------------------------------------- build
if [[ -z "${SKIP_BUILD:-}" ]]; then
  log "building emulator and benchmarks"
  (cd "$ROOT" && flock "$LOCK" mvn -B -o -q install -DskipTests -pl shard-store,firehose,analytics,emulator) \
    || log "emulator build failed; using the existing $TRIBUTARY_JAR"
  (cd "$ROOT" && flock "$LOCK" mvn -B -o -q -Pbenchmarks -pl benchmarks package)
fi
[[ -f "$BENCH_JAR" && -f "$TRIBUTARY_JAR" ]] || { log "missing $BENCH_JAR or $TRIBUTARY_JAR"; exit 1; }
# Run private copies: a rebuild in the tree replaces the jars under running JVMs otherwise
# (classes not loaded yet then fail with NoClassDefFoundError).
cp "$TRIBUTARY_JAR" "$WORK/tributary.jar" && TRIBUTARY_JAR="$WORK/tributary.jar"
cp "$BENCH_JAR" "$WORK/tributary-bench.jar" && BENCH_JAR="$WORK/tributary-bench.jar"
if [[ ! -x "$KINESALITE" ]]; then
  log "installing kinesalite@$KINESALITE_VERSION into $KINESALITE_DIR"
  mkdir -p "$KINESALITE_DIR"
  (cd "$KINESALITE_DIR" && npm install --no-audit --no-fund "kinesalite@$KINESALITE_VERSION" >/dev/null)
fi

{
  echo "MACHINE nproc=$(nproc) mem_gib=$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)" \
       "cpu=\"$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)\""
  echo "MACHINE java=\"$(java -version 2>&1 | head -1 | tr -d '"')\" node=$(node --version 2>/dev/null || echo none)"
  echo "MACHINE tributary_jar_built=\"$(ls -l --time-style=+%FT%T "$ROOT/emulator/target/tributary.jar" | awk '{print $6}')\"" \
       "git=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo none)"
} >> "$RESULTS"

# -------------------------------------------------------------------------------------- startup
# Alternating single runs, so both targets see the same machine; the report takes the median.
for r in $(seq 1 "$STARTUP_REPEATS"); do
  port=$(free_port)
  java -cp "$BENCH_JAR" dev.tributary.bench.StartupProbe --label tributary --repeat 1 \
    --url "http://127.0.0.1:$port/_tributary/health" --status 200 -- \
    java -jar "$TRIBUTARY_JAR" --port "$port" --kafka-port -1 --data-dir '{tmp}' --create-stream-delay 0 2>/dev/null \
    | tee -a "$RESULTS" >&2
  port=$(free_port)
  java -cp "$BENCH_JAR" dev.tributary.bench.StartupProbe --label kinesalite --repeat 1 \
    --url "http://127.0.0.1:$port/" --status any -- \
    "$KINESALITE" --port "$port" --createStreamMs 0 --deleteStreamMs 0 --updateStreamMs 0 \
    --shardLimit 1000 2>/dev/null | tee -a "$RESULTS" >&2
done

# ---------------------------------------------------------------------------------------- targets
mkdir -p "$WORK/data"
PORT[ceiling]=$(free_port)
java -cp "$BENCH_JAR" dev.tributary.bench.CeilingServer --port "${PORT[ceiling]}" > "$WORK/ceiling.log" 2>&1 &
PID[ceiling]=$!
PORT[tributary]=$(free_port)
java -jar "$TRIBUTARY_JAR" --port "${PORT[tributary]}" --kafka-port -1 --data-dir "$WORK/data" --create-stream-delay 0 \
  > "$WORK/tributary.log" 2>&1 &
PID[tributary]=$!
PORT[kinesalite]=$(free_port)
# kinesalite 3.3.3 mangles CBOR (truncated PutRecords answers, Data as a JSON-ified Buffer), so the
# SDK talks JSON to it (-Daws.cborEnabled=false).
"$KINESALITE" --port "${PORT[kinesalite]}" --createStreamMs 0 --deleteStreamMs 0 --updateStreamMs 0 \
  --shardLimit 1000 > "$WORK/kinesalite.log" 2>&1 &
PID[kinesalite]=$!
wait_http "http://127.0.0.1:${PORT[ceiling]}/" any
wait_http "http://127.0.0.1:${PORT[tributary]}/_tributary/health" 200
wait_http "http://127.0.0.1:${PORT[kinesalite]}/" any
for t in tributary kinesalite ceiling; do
  echo "RSS target=$t when=after_start rss_mib=$(rss_mib "${PID[$t]}")" | tee -a "$RESULTS" >&2
done

# ------------------------------------------------------------------------------- (a) putrecords
for r in $(seq 1 "$ROUNDS"); do
  load ceiling cbor "$r" --scenario putrecords --stream "bench-r$r"
  load tributary cbor "$r" --scenario putrecords --stream "bench-r$r"
  load kinesalite json "$r" --scenario putrecords --stream "bench-r$r"
  load ceiling json "$r" --scenario putrecords --stream "bench-json-r$r"
  load tributary json "$r" --scenario putrecords --stream "bench-json-r$r"
done
for t in tributary kinesalite; do
  echo "RSS target=$t when=after_putrecords rss_mib=$(rss_mib "${PID[$t]}")" | tee -a "$RESULTS" >&2
done
echo "DISK target=tributary data_dir_mib=$(du -sm "$WORK/data" | cut -f1)" >> "$RESULTS"

# ------------------------------------------------------------------------------------ (c) drain
# Each reads back round 1's stream (written with warm-up included) until caught up; 120 s cap.
DURATION=120 load tributary cbor 1 --scenario drain --stream bench-r1
DURATION=120 load kinesalite json 1 --scenario drain --stream bench-r1

# -------------------------------------------------------------------------------- (b) putrecord
for r in $(seq 1 "$ROUNDS"); do
  load ceiling cbor "$r" --scenario putrecord --stream single
  load tributary cbor "$r" --scenario putrecord --stream single
  load kinesalite json "$r" --scenario putrecord --stream single
done

# ----------------------------------------------------------------------------- (d) tail-latency
for r in $(seq 1 "$ROUNDS"); do
  DURATION=$TAIL_DURATION load tributary cbor "$r" --scenario tail-latency --stream "tail-r$r"
  DURATION=$TAIL_DURATION load kinesalite json "$r" --scenario tail-latency --stream "tail-r$r"
  DURATION=$TAIL_DURATION load tributary json "$r" --scenario tail-latency --stream "tail-json-r$r"
done
for t in tributary kinesalite; do
  echo "RSS target=$t when=end rss_mib=$(rss_mib "${PID[$t]}")" | tee -a "$RESULTS" >&2
done
stop_all

# ---------------------------------------------------------------------------------------- report
python3 "$ROOT/benchmarks/report.py" "$RESULTS" > "$WORK/results.md"
echo
cat "$WORK/results.md"
log "raw results: $RESULTS"
