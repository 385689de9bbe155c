#!/usr/bin/env bash
# Signed vs unsigned puts, side by side in one run, same load (RelayLoad): Soulgraph (inmemory)
# and GunDB's own relay (gun 0.2020.1241 with SEA, from relay/src/test/js, axe:false, RAD in a temp
# dir), each first with plain puts, then with puts to a user space signed as gun's sea.js signs.
# Usage: run-sea-bench.sh [writers] [window] [subscribers] [seconds]
# Needs: mvn -pl relay -am package -DskipTests, and npm ci in relay/src/test/js.
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

load() { # port label [signed]
  java -Xmx512m -cp "$cp" io.soulgraph.relay.bench.RelayLoad "ws://127.0.0.1:$1/gun" \
    "$writers" "$window" "$subscribers" "$seconds" "$2" "${3:-}"
}

run_soulgraph() { # signed|plain
  local log="$tmp/sg-$1.log"
  java -Xmx1g -jar "$jar" --port 0 --storage inmemory --no-gremlin --no-libp2p \
    --rate 1000000 --max-in-flight 100000 > "$log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_for_line "$log" 'listening on ws://'
  local port; port="$(grep -oE 'ws://127.0.0.1:[0-9]+' "$log" | head -1 | cut -d: -f3)"
  load "$port" "soulgraph-inmemory-$1" "$1"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_gundb() { # signed|plain
  local log="$tmp/gun-$1.log"
  (cd "$root/relay/src/test/js" && exec node gun-relay.js 0 "$tmp/radata-$1") > "$log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_for_line "$log" '"port"'
  local port; port="$(grep -oE '"port":[0-9]+' "$log" | cut -d: -f2)"
  load "$port" "gundb-relay-$1" "$1"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run_soulgraph plain
run_soulgraph signed
run_gundb plain
run_gundb signed
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
