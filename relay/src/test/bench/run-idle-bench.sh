#!/usr/bin/env bash
# Idle connections, side by side in one run: Soulgraph (berkeleyje, -Xmx512m as bin/soulgraph runs
# it) and GunDB's own relay (gun 0.2020.1241) each hold N idle WebSocket connections (open browser
# tabs); an honest client's put/get p50/p99 is measured before and while they are open, and the
# relay's resident set before and while holding them.
# Usage: run-idle-bench.sh [connections...]   (default: 1000 10000)
# SG_JARS="before=/path/a.jar after=/path/b.jar" compares several relay jars in the same run
# (default: soulgraph=relay/target/soulgraph-relay.jar).
# SG_PROBES sets how many put+get pairs each probe phase sends (default 100; p99 of 100 is the
# second-worst put, so use more for a steadier p99).
# SG_XMX sets Soulgraph's heap (default 512m, as bin/soulgraph; 50,000 connections need about 2g).
# For Soulgraph it also prints the live heap per connection (jcmd GC.class_histogram, after a full
# GC): what the connections themselves hold, unlike RSS, which also counts heap G1 touched once.
# Needs: mvn -pl relay -am package -DskipTests, npm ci in relay/src/test/js, and an open-files limit
# above the connection count (the relay and the client are separate processes, each holds one end;
# raised here up to the hard limit, which only a process with CAP_SYS_RESOURCE, or the operator's
# limits.conf / systemd LimitNOFILE / docker --ulimit, can raise: docs/benchmarks.md, idle connections).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
counts=("${@:-1000 10000}"); [ $# -eq 0 ] && counts=(1000 10000)
read -r -a jars <<< "${SG_JARS:-soulgraph=$root/relay/target/soulgraph-relay.jar}"
js="$root/relay/src/test/js"
tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

wait_for_line() { # file pattern [seconds, default 120]
  for _ in $(seq 1 $(( ${3:-120} * 10 ))); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timeout waiting for $2 in $1" >&2; cat "$1" >&2; return 1
}
rss_kib() { ps -o rss= -p "$1" | tr -d ' '; }
live_heap_bytes() { # pid: live objects after the full GC the histogram forces, or empty
  command -v jcmd > /dev/null && jcmd "$1" GC.class_histogram 2>/dev/null | awk '/^Total/ {print $3}'
}

hold() { # name pid url count
  local out="$tmp/idle-$1-$4.out" fifo="$tmp/hold-$1-$4"
  mkfifo "$fifo"
  local before; before="$(rss_kib "$2")"
  local heap_before=""; [ "$1" != gundb-relay ] && heap_before="$(live_heap_bytes "$2")"
  (cd "$js" && exec node --max-old-space-size=4096 idle-connections.js "$3" "$4" "${SG_PROBES:-100}" < "$fifo" > "$out" 2>&1) &
  local client=$!; pids+=("$client")
  exec 9> "$fifo"
  # GunDB's relay acks a put in ~250 ms: four probe phases of SG_PROBES puts, then the opening
  wait_for_line "$out" '"phase":"holding"' $(( 300 + ${SG_PROBES:-100} * 2 ))
  sleep 3
  local during; during="$(rss_kib "$2")"
  local heap=""
  if [ -n "$heap_before" ]; then
    local heap_during; heap_during="$(live_heap_bytes "$2")"
    heap="; live heap $(( heap_before / 1048576 )) -> $(( heap_during / 1048576 )) MiB ($(( (heap_during - heap_before) / $4 )) bytes per connection)"
  fi
  exec 9>&-
  wait "$client" 2>/dev/null || true
  echo "== $1, $4 idle connections: RSS ${before} -> ${during} KiB ($(( (during - before) / $4 )) KiB per connection)${heap}"
  grep -E '"phase"' "$out"
}

run_soulgraph() { # name=jar count
  local name="${1%%=*}" jar="${1#*=}"; shift
  local log="$tmp/sg-$name-$1.log"
  java "-Xmx${SG_XMX:-512m}" -XX:+ExitOnOutOfMemoryError -jar "$jar" --port 0 --data-dir "$tmp/data-$name-$1" \
    --no-gremlin --no-libp2p --max-connections $(( $1 + 100 )) > "$log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_for_line "$log" 'listening on ws://'
  local port; port="$(grep -oE 'ws://127.0.0.1:[0-9]+' "$log" | head -1 | cut -d: -f3)"
  sleep 2
  hold "$name" "$pid" "ws://127.0.0.1:$port/gun" "$1"
  curl -s "http://127.0.0.1:$port/health"; echo
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_gundb() { # count
  local log="$tmp/gun-$1.log"
  (cd "$js" && exec node gun-relay.js 0 "$tmp/radata-$1") > "$log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_for_line "$log" '"port"'
  local port; port="$(grep -oE '"port":[0-9]+' "$log" | cut -d: -f2)"
  sleep 2
  hold gundb-relay "$pid" "ws://127.0.0.1:$port/gun" "$1"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

max=0; for n in "${counts[@]}"; do [ "$n" -gt "$max" ] && max=$n; done
need=$(( max + 1000 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  [ "$(ulimit -n)" -lt "$need" ] && echo "warning: open files limited to $(ulimit -n) (hard limit), $need needed" >&2
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, open files limit $(ulimit -n)"
for n in "${counts[@]}"; do
  for j in "${jars[@]}"; do run_soulgraph "$j" "$n"; done
  run_gundb "$n"
done
