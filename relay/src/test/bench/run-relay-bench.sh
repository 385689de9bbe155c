#!/usr/bin/env bash
# Side-by-side load run: Soulgraph (berkeleyje), Soulgraph (inmemory), GunDB's own relay
# (gun 0.2020.1241 from relay/src/test/js, axe:false, RAD in a temp dir), one after the other in
# one run, same load (RelayLoad), then a routing-only baseline (ack + forward, no storage).
# Usage: run-relay-bench.sh [writers] [window] [subscribers] [seconds]
# Needs: mvn -pl relay -am package -DskipTests, and npm ci in relay/src/test/js.
#
# Before/after: BEFORE_JAR=/path/to/older/soulgraph-relay.jar run-relay-bench.sh [writers] [window]
# [subscribers...] [seconds] runs, in one run, the older jar and this tree's jar (berkeleyje and
# inmemory, alternating) with the same load for each subscriber count given (default "4 32"),
# ROUNDS times (default 1; odd rounds run the older jar first, even rounds this tree's first),
# STORAGES (default "inmemory berkeleyje"), and skips GunDB and the routing-only baseline.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
writers="${1:-4}" window="${2:-16}" subscribers="${3:-4}" seconds="${4:-15}"
jar="$root/relay/target/soulgraph-relay.jar"
cp="$root/relay/target/test-classes:$jar"
tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

wait_for_line() { # file pattern
  for _ in $(seq 1 600); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timeout waiting for $2 in $1" >&2; cat "$1" >&2; return 1
}

run_soulgraph() { # storage [relay jar] [label] [subscribers]
  local relay_jar="${2:-$jar}" label="${3:-soulgraph-$1}" subs="${4:-$subscribers}"
  local log="$tmp/sg-$label.log"
  rm -rf "$tmp/data-$1"
  java -Xmx1g -jar "$relay_jar" --port 0 --storage "$1" --data-dir "$tmp/data-$1" \
    --rate 1000000 --max-in-flight 100000 > "$log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_for_line "$log" 'listening on ws://'
  local port; port="$(grep -oE 'ws://127.0.0.1:[0-9]+' "$log" | head -1 | cut -d: -f3)"
  java -Xmx512m -cp "$cp" io.soulgraph.relay.bench.RelayLoad "ws://127.0.0.1:$port/gun" \
    "$writers" "$window" "$subs" "$seconds" "$label"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

if [[ -n "${BEFORE_JAR:-}" ]]; then
  writers="${1:-4}" window="${2:-16}" counts="${3:-4 32}" seconds="${4:-15}"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  for round in $(seq 1 "${ROUNDS:-1}"); do
    for subs in $counts; do
      for storage in ${STORAGES:-inmemory berkeleyje}; do
        if (( round % 2 == 1 )); then
          run_soulgraph "$storage" "$BEFORE_JAR" "before-$storage-s$subs-r$round" "$subs"
          run_soulgraph "$storage" "$jar" "after-$storage-s$subs-r$round" "$subs"
        else
          run_soulgraph "$storage" "$jar" "after-$storage-s$subs-r$round" "$subs"
          run_soulgraph "$storage" "$BEFORE_JAR" "before-$storage-s$subs-r$round" "$subs"
        fi
      done
    done
  done
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

run_gundb() {
  local log="$tmp/gun.log"
  (cd "$root/relay/src/test/js" && exec node gun-relay.js 0 "$tmp/radata") > "$log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_for_line "$log" '"port"'
  local port; port="$(grep -oE '"port":[0-9]+' "$log" | cut -d: -f2)"
  java -Xmx512m -cp "$cp" io.soulgraph.relay.bench.RelayLoad "ws://127.0.0.1:$port/gun" \
    "$writers" "$window" "$subscribers" "$seconds" "gundb-relay"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_routing_only() {
  local log="$tmp/routing.log"
  java -Xmx1g -cp "$cp" io.soulgraph.relay.bench.RoutingOnlyRelay > "$log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_for_line "$log" 'listening on ws://'
  local port; port="$(grep -oE 'ws://127.0.0.1:[0-9]+' "$log" | head -1 | cut -d: -f3)"
  java -Xmx512m -cp "$cp" io.soulgraph.relay.bench.RelayLoad "ws://127.0.0.1:$port/gun" \
    "$writers" "$window" "$subscribers" "$seconds" "routing-only"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_soulgraph berkeleyje
run_soulgraph inmemory
run_gundb
run_routing_only
