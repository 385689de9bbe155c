#!/usr/bin/env bash
# Side by side in one run, same load generator (RelayLoad) for every target: Soulgraph
# (berkeleyje, temp dir; durable acks), GunDB's own relay (gun 0.2020.1241 from relay/src/test/js,
# axe:false, RAD in a temp dir) and the routing-only Java relay (ack + forward, no storage: the
# limit of this machine and stack). Optional targets: Soulgraph inmemory (INMEMORY=1) and an older
# Soulgraph jar on berkeleyje (BEFORE_JAR=/path/to/soulgraph-relay.jar, label "before"), and this
# jar on berkeleyje with JVM options of its own (ALT_JAVA_OPTS="-XX:…", label "alt").
#
# Usage: run-relay-bench.sh [seconds]            (default 10 measured seconds per run)
# Configurations (issue 15), each with 1,000 souls (4 writers × 250), 1-field puts:
#   light    4 writers × 16 in flight, 4 subscribers
#   light32  4 writers × 16 in flight, 32 subscribers
#   sat      4 writers × 512 in flight, 4 subscribers (saturation)
# Every run first has its subscribers ask for all 1,000 souls before any is written and times
# until every get is answered ("setup": 4 subscribers × 1,000 gets of unknown souls in light).
# Every relay's CPU (utime+stime from /proc/PID/stat over the measured seconds) per acked put and
# its peak RSS (VmHWM) are read by RelayLoad. ROUNDS rounds (default 3), each running every
# configuration on every target, the order of targets rotated each round; the summary gives
# medians over the rounds. Then the memory run (once): MEMORY_SOULS souls (default 100000, 0 to
# skip) × 10 fields put into each storing relay, RSS once every put is acked and again after
# REST seconds idle (default 120; JVM and V8 alike give memory back only at rest); then that relay is
# restarted on the filled data dir (start to ready timed: with 100k souls, 1M fields on disk) and
# GETS_SUBSCRIBERS (default 4) subscribers each ask for GETS_SOULS (default 1,000) of the filled
# souls, now on disk but not in memory ("cold gets of souls on disk").
# MEMORY_TARGETS="berkeleyje before" limits the memory run's targets.
# Start to ready (launch to listening, data dir empty) is timed at every start of a relay too,
# with the relay's CPU seconds until then. Soulgraph starts through bin/soulgraph, as a user
# starts it: its first start after a build writes the class-sharing archive when it stops, and
# every later start maps it (BEFORE_JAR starts with java -jar, as that jar's launcher did).
# CONFIGS="light sat" limits the configurations. WARMUP=S runs each load S seconds (default 2)
# before its measured seconds, for every target alike (WARMUP=40 measures warm JVMs: a fresh
# relay's JIT compiler takes about half a core for its first 30 s under load).
# WARM_GETS=1: once each load's writers stop, its subscribers ask for as many souls never seen
# again ("warm setup s"): the setup above is the first work of a fresh process, so it times the
# JIT as much as the missing souls; this times the missing souls on warmed processes.
# RATE=N paces each writer at N puts a second (default 0: every window kept full), so every target
# carries the same offered load and its latencies are its path's, not its queue's.
# On the shared 2-core machine (load 15-27) a run takes ~50 s, a round of 3 configurations × 4
# targets (with BEFORE_JAR) ~11 min (GunDB with 32 subscribers ~2.5 min of it), 3 rounds ~33 min;
# the memory run ~25 s per 10k souls per relay (MEMORY_SOULS=10000 for a quick one).
# FIRST_ROUND=N resumes a run at round N (with RESULTS=<file> appending to the earlier results).
# Needs: mvn -pl relay -am package -DskipTests, and npm ci in relay/src/test/js.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
seconds="${1:-10}"
warmup="${WARMUP:-2}"
warm_gets=false; [[ -n "${WARM_GETS:-}" ]] && warm_gets=true
rounds="${ROUNDS:-3}"
configs="${CONFIGS:-light light32 sat}"
memory_souls="${MEMORY_SOULS:-100000}"
gets_souls="${GETS_SOULS:-1000}"
gets_subscribers="${GETS_SUBSCRIBERS:-4}"
jar="$root/relay/target/soulgraph-relay.jar"
cp="$root/relay/target/test-classes:$jar"
tmp="$(mktemp -d)"
results="${RESULTS:-$tmp/results.txt}"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

targets="berkeleyje gundb routing"
[[ -n "${INMEMORY:-}" ]] && targets="$targets inmemory"
[[ -n "${BEFORE_JAR:-}" ]] && targets="$targets before"
[[ -n "${ALT_JAVA_OPTS:-}" ]] && targets="$targets alt"

wait_for_line() { # file pattern
  # 3 minutes: a relay restarted on 1M fields at load 30 took more than one
  for _ in $(seq 1 1800); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timeout waiting for $2 in $1" >&2; cat "$1" >&2; return 1
}

free_port() { # a port nothing listens on (Gremlin's option takes no 0)
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (echo > "/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

server_pid="" server_port=""
start_target() { # target [keep: start on the data dir as the last run left it]
  local log="$tmp/$1.log" keep="${2:-}" started
  : > "$log" # a restart must not find the last start's line
  started="$(date +%s%N)"
  case "$1" in
    berkeleyje|inmemory|before|alt)
      # as a user starts it, class sharing too
      local storage="$1" launch=("$root/bin/soulgraph") opts="-Xmx1g ${RELAY_JAVA_OPTS:-}"
      [[ "$1" == before ]] \
        && storage=berkeleyje launch=(java -Xmx1g ${RELAY_JAVA_OPTS:-} -jar "$BEFORE_JAR")
      [[ "$1" == alt ]] && storage=berkeleyje opts="$opts $ALT_JAVA_OPTS"
      [[ -n "$keep" ]] || rm -rf "$tmp/data-$1"
      JAVA_OPTS="$opts" "${launch[@]}" --port 0 --storage "$storage" \
        --data-dir "$tmp/data-$1" --rate 1000000 --max-in-flight 100000 \
        --gremlin-port "$(free_port)" --libp2p-port 0 > "$log" 2>&1 &
      server_pid=$!; pids+=("$server_pid")
      wait_for_line "$log" 'listening on ws://'
      server_port="$(grep -oE 'ws://127.0.0.1:[0-9]+' "$log" | head -1 | cut -d: -f3)" ;;
    gundb)
      [[ -n "$keep" ]] || rm -rf "$tmp/radata"
      (cd "$root/relay/src/test/js" && exec node gun-relay.js 0 "$tmp/radata") > "$log" 2>&1 &
      server_pid=$!; pids+=("$server_pid")
      wait_for_line "$log" '"port"'
      server_port="$(grep -oE '"port":[0-9]+' "$log" | cut -d: -f2)" ;;
    routing)
      java -Xmx1g -cp "$cp" io.soulgraph.relay.bench.RoutingOnlyRelay > "$log" 2>&1 &
      server_pid=$!; pids+=("$server_pid")
      wait_for_line "$log" 'listening on ws://'
      server_port="$(grep -oE 'ws://127.0.0.1:[0-9]+' "$log" | head -1 | cut -d: -f3)" ;;
  esac
  local ready=$(( ($(date +%s%N) - started) / 1000000 )) dir=empty stat cpu
  [[ -n "$keep" ]] && dir=filled
  # the relay's own CPU until ready (utime + stime, 1/100 s): on a loaded machine the wall time
  # is mostly waiting for a core
  stat="$(cut -d')' -f2- "/proc/$server_pid/stat")"
  cpu=$(( $(echo "$stat" | cut -d' ' -f13) + $(echo "$stat" | cut -d' ' -f14) ))
  [[ "$1" == routing ]] || printf 'RESULT label=%s/start-%s mode=start seconds=%d.%03d cpus=%d.%02d\n' \
    "$1" "$dir" $((ready / 1000)) $((ready % 1000)) $((cpu / 100)) $((cpu % 100)) >> "$results"
}

stop_target() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }

load() { # target config
  local window=16 subs=4
  case "$2" in light32) subs=32 ;; sat) window=512 ;; esac
  start_target "$1"
  java -Xmx512m -Dbench.pid="$server_pid" -Dbench.warmup="$warmup" \
    -Dbench.warmgets="$warm_gets" -Dbench.rate="${RATE:-0}" -cp "$cp" io.soulgraph.relay.bench.RelayLoad \
    "ws://127.0.0.1:$server_port/gun" 4 "$window" "$subs" "$seconds" "$1/$2" | tee -a "$results"
  stop_target
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
read -r -a order <<< "$targets"
for round in $(seq "${FIRST_ROUND:-1}" "$rounds"); do
  for config in $configs; do
    n=${#order[@]}
    for i in $(seq 0 $((n - 1))); do
      load "${order[$(((i + round - 1) % n))]}" "$config"
    done
  done
  echo "load average after round $round: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
done

if (( memory_souls > 0 )); then
  for target in ${MEMORY_TARGETS:-$targets}; do
    [[ "$target" == routing ]] && continue
    start_target "$target"
    java -Xmx512m -Dbench.pid="$server_pid" -Dbench.run=fill -Dbench.rest="${REST:-120}" -cp "$cp" \
      io.soulgraph.relay.bench.RelayLoad \
      "ws://127.0.0.1:$server_port/gun" fill "$memory_souls" 10 "$target/memory" | tee -a "$results"
    stop_target
    start_target "$target" keep
    tail -1 "$results"
    java -Xmx512m -Dbench.pid="$server_pid" -cp "$cp" io.soulgraph.relay.bench.RelayLoad \
      "ws://127.0.0.1:$server_port/gun" gets fill "$gets_souls" "$gets_subscribers" \
      "$target/disk-gets" | tee -a "$results"
    stop_target
  done
  echo "load average after the memory run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
fi

java -cp "$cp" io.soulgraph.relay.bench.RelayLoad summary "$results"
