#!/usr/bin/env bash
# One big put beside an honest client (issue 18, head-of-line blocking), side by side in one run:
# each relay jar runs as bin/soulgraph does (-Xmx512m, berkeleyje) with --max-put-bytes at the frame
# limit (8 MiB) and --max-put-fields 60000, so that the big puts reach the store; for each case
# big-put.js measures the big put's ack time and the honest client's put-ack latency alone, while
# the big put is in flight (its max is the stall) and after; then reads every acked put back. Each
# relay logs its collector's pauses, and big-put.js counts those during the big put and how many of
# the honest client's slowest 1 % of puts beside the big one met one ("gc" in its line).
# Usage: run-fairness-bench.sh [kind:N ...]   (default: fields:1000 fields:4000 fields:16000
#        souls:1000 souls:4000 souls:16000 fields:50000; also flood:N, N puts from one connection,
#        and getflood:N, N gets of one node from one connection, both at 4,000 a second)
# SG_JARS="before=/path/a.jar after=/path/b.jar" compares jars (default: relay/target/soulgraph-relay.jar).
# Needs: mvn -pl relay -am package -DskipTests, npm ci in relay/src/test/js.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
cases=("$@"); [ $# -eq 0 ] && cases=(fields:1000 fields:4000 fields:16000 souls:1000 souls:4000 souls:16000 fields:50000)
read -r -a jars <<< "${SG_JARS:-soulgraph=$root/relay/target/soulgraph-relay.jar}"
js="$root/relay/src/test/js"
tmp="$(mktemp -d)"
pids=()
running() { local stat; stat="$(cat "/proc/$1/stat" 2>/dev/null)" && [[ "${stat##*) }" != Z* ]]; }
cleanup() { # a relay writes its store's last files as it stops: remove them once it has (30 s at most)
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 300); do running "$p" || break; sleep 0.1; done
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

wait_for_line() { # file pattern
  for _ in $(seq 1 1200); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timeout waiting for $2 in $1" >&2; cat "$1" >&2; return 1
}

declare -A port relay
for j in "${jars[@]}"; do
  name="${j%%=*}"; jar="${j#*=}"; log="$tmp/$name.log"
  java -Xmx512m -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$tmp/$name.gc.log":timemillis \
    -jar "$jar" --port 0 --data-dir "$tmp/data-$name" \
    --no-gremlin --no-libp2p --max-put-bytes 8388608 --max-put-fields 60000 > "$log" 2>&1 &
  relay[$name]=$!; pids+=("$!")
  wait_for_line "$log" 'listening on ws://'
  port[$name]="$(grep -oE 'ws://127.0.0.1:[0-9]+' "$log" | head -1 | cut -d: -f3)"
done
sleep 2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
run=0
for c in "${cases[@]}"; do
  for j in "${jars[@]}"; do
    name="${j%%=*}"; run=$((run + 1))
    if ! kill -0 "${relay[$name]}" 2>/dev/null; then echo "== $name $c: relay is gone"; tail -3 "$tmp/$name.log"; continue; fi
    out="$(cd "$js" && BIG_PUT_TIMEOUT_MS=180000 RELAY_GC_LOG="$tmp/$name.gc.log" timeout 400 node big-put.js "ws://127.0.0.1:${port[$name]}/gun" "${c%%:*}" "${c#*:}" "r$run" || echo '{"error":"client failed"}')"
    rss="$(ps -o rss= -p "${relay[$name]}" || echo 0)"
    echo "== $name $c (load $(cut -d' ' -f1 /proc/loadavg), RSS $(( rss / 1024 )) MiB): $out"
  done
done
for j in "${jars[@]}"; do name="${j%%=*}"; echo "$name OutOfMemoryError lines: $(grep -cE "OutOfMemoryError" "$tmp/$name.log" || true)"; done
