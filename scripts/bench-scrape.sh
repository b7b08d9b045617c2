#!/usr/bin/env bash
# Benchmark: 50 node_exporter-sized scrape targets at a 1 s interval (issue 4).
# Saves one real node_exporter body (or uses $1), serves it on 50 paths with fault-server.py and
# runs the ScrapeBenchmark test, which prints cycle wall time, CPU per cycle and store figures.
#   scripts/bench-scrape.sh [BODY_FILE]     env: CONFIG=release|debug, TARGETS=50, CYCLES=10
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
NODE_PID=""
cleanup() { [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

BODY="${1:-}"
if [ -z "$BODY" ]; then
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    prometheus-node-exporter --web.listen-address="127.0.0.1:$PORT" --no-collector.systemd >/dev/null 2>&1 &
    NODE_PID=$!
    for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/metrics" -o "$WORK/node.prom" && break; sleep 0.1; done
    kill "$NODE_PID"; NODE_PID=""
    BODY="$WORK/node.prom"
fi
echo "body: $(wc -c <"$BODY") bytes, $(grep -vc '^#' "$BODY") samples"
cd "$REPO"
LOOKOUT_BENCH_BODY="$BODY" LOOKOUT_BENCH_TARGETS="${TARGETS:-50}" LOOKOUT_BENCH_CYCLES="${CYCLES:-10}" \
    swift test -c "${CONFIG:-release}" --filter ScrapeBenchmark 2>&1 | grep -E "scrape benchmark|cycle|CPU|store:|✔|✘|error"
