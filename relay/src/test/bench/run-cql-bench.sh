#!/usr/bin/env bash
# Side-by-side load run for scale-out: one relay on berkeleyje, one relay on a one-node Cassandra,
# and two relays on a two-node Cassandra cluster (RF 2, QUORUM; relay B dials relay A), each
# under the same RelayLoad load (both relays of the pair at once, one generator each).
# Each configuration is measured [rounds] times after one warm-up: quote the medians.
# Usage: run-cql-bench.sh [writers] [window] [subscribers] [seconds] [rounds]   (per relay)
# Needs: mvn -pl relay -am package -DskipTests; the Cassandra jars (tools/cassandra/cassandra-cluster fetch).
# BENCH_JFR=<dir>: every relay records a JFR profile there (<name>.jfr, written when it stops),
# with the settings BENCH_JFR_SETTINGS (a .jfc; by default the JDK's profile settings with
# jdk.ThreadPark recorded from 1 ms, so that jfr-writer-waits.py shows where the writer thread
# waits on Cassandra).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
writers="${1:-4}" window="${2:-16}" subscribers="${3:-4}" seconds="${4:-20}" rounds="${5:-3}"
jar="$root/relay/target/soulgraph-relay.jar"
cp="$root/relay/target/test-classes:$jar"
cluster="$root/tools/cassandra/cassandra-cluster"
tmp="$(mktemp -d)"
export CASSANDRA_WORK="$tmp/cassandra" CASSANDRA_CQL_PORT="${CASSANDRA_CQL_PORT:-29042}"
export CASSANDRA_STORAGE_PORT="${CASSANDRA_STORAGE_PORT:-27000}"
mkdir -p "$tmp/pids"
if [[ -n "${BENCH_JFR:-}" && -z "${BENCH_JFR_SETTINGS:-}" ]]; then
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  BENCH_JFR_SETTINGS="$tmp/park.jfc"
  sed '/name="jdk.ThreadPark"/,/<\/event>/ s/>10 ms</>1 ms</' \
    "$java_home/lib/jfr/profile.jfc" > "$BENCH_JFR_SETTINGS"
fi
stop_relays() { # relays are started in command substitutions (subshells): their pids are files
  local f
  for f in "$tmp"/pids/*; do
    [[ -f "$f" ]] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.1; done
    rm -f "$f"
  done
}
cleanup() {
  stop_relays
  "$cluster" stop || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

wait_for_line() { # file pattern
  for _ in $(seq 1 1200); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timeout waiting for $2 in $1" >&2; cat "$1" >&2; return 1
}

start_relay() { # name storage-args... ; prints the port
  local name="$1"; shift
  local log="$tmp/$name.log"
  local -a jfr=()
  [[ -n "${BENCH_JFR:-}" ]] && mkdir -p "$BENCH_JFR" \
    && jfr=("-XX:StartFlightRecording=filename=$BENCH_JFR/$name.jfr,settings=${BENCH_JFR_SETTINGS:-profile},dumponexit=true")
  java -Xmx1g "${jfr[@]}" -jar "$jar" --port 0 --data-dir "$tmp/data-$name" --no-gremlin --no-libp2p \
    --rate 1000000 --max-in-flight 100000 "$@" > "$log" 2>&1 &
  echo "$!" > "$tmp/pids/$name"
  wait_for_line "$log" 'listening on ws://'
  grep -oE 'ws://127.0.0.1:[0-9]+' "$log" | head -1 | cut -d: -f3
}

load() { # port label: a short warm-up (a new keyspace declares the field names on first use,
         # slower than RelayLoad's 10 s patience), then the measured run
  java -Xmx512m -cp "$cp" io.soulgraph.relay.bench.RelayLoad "ws://127.0.0.1:$1/gun" \
    "$writers" "$window" "$subscribers" 5 "warm-up $2" > /dev/null 2>&1 || true
  local round
  for round in $(seq 1 "$rounds"); do
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Xmx512m -cp "$cp" io.soulgraph.relay.bench.RelayLoad "ws://127.0.0.1:$1/gun" \
      "$writers" "$window" "$subscribers" "$seconds" "$2, round $round"
  done
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
port="$(start_relay bdb --storage berkeleyje)"
load "$port" "1 relay, berkeleyje"
stop_relays

"$cluster" start 1
port="$(start_relay cql1 --storage cql --cql-hosts 127.0.0.1 --cql-port "$CASSANDRA_CQL_PORT")"
load "$port" "1 relay, 1-node Cassandra"
stop_relays
"$cluster" wipe
mkdir -p "$CASSANDRA_WORK"

"$cluster" start 2
hosts="127.0.0.1,127.0.0.2"
port_a="$(start_relay cqlA --storage cql --cql-hosts "$hosts" --cql-port "$CASSANDRA_CQL_PORT" \
  --cql-replication 2)"
port_b="$(start_relay cqlB --storage cql --cql-hosts "$hosts" --cql-port "$CASSANDRA_CQL_PORT" \
  --cql-replication 2 --peer "ws://127.0.0.1:$port_a/gun")"
load "$port_a" "relay A of 2, 2-node Cassandra RF 2" &
a=$!
load "$port_b" "relay B of 2, 2-node Cassandra RF 2"
wait "$a"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
