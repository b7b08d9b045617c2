#!/usr/bin/env bash
# Samples the dashboard's steady state with `perf record` (cpu-clock, 999 Hz, call graphs): SECONDS of
# the executive layout at --interval 1s, 120x40 in tmux, scraping a separate `lookout demo --serve-only`;
# then quits with q and prints the inclusive share of the parts named in docs/performance.md.
# For when callgrind cannot run the binary (valgrind 3.19 dies at the first thread the current binary
# creates) and the VM has no hardware counters (so `perf stat -e instructions` is not available).
#   scripts/profile-steady-perf.sh [BINARY] [SECONDS] [OUT]   (default .build-release/release/lookout, 60, perf.steady.data)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/.build-release/release/lookout}
SECONDS_RUN=${2:-60}
OUT=${3:-$PWD/perf.steady.data}
command -v perf >/dev/null || { echo "perf is required (apt-get install linux-perf)" >&2; exit 1; }
WORK=$(mktemp -d)
SOCK="lookout-perf-$$"
DEMO_PID=""
# perf resolves symbols from the binary's path when reporting: profile a copy that stays put.
cp "$BIN" "$WORK/lookout"
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; [ -n "$DEMO_PID" ] && kill "$DEMO_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
"$BIN" demo --serve-only > "$WORK/demo.out" 2>&1 &
DEMO_PID=$!
URL=""
for _ in $(seq 1 100); do URL=$(grep -o 'http://[^ ]*' "$WORK/demo.out" | head -1 || true); [ -n "$URL" ] && break; sleep 0.1; done
[ -n "$URL" ] || { echo "demo --serve-only printed no URL" >&2; exit 1; }
tmux -L "$SOCK" -f /dev/null new-session -d -s p -x 120 -y 40 \
    "cd '$ROOT' && env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color perf record -F 999 -e cpu-clock -g -o '$OUT' '$WORK/lookout' --scrape $URL --layout executive --interval 1s 2> $WORK/perf.log; touch $WORK/done; sleep 600"
sleep "$SECONDS_RUN"
tmux -L "$SOCK" send-keys -t p q
for _ in $(seq 1 300); do [ -e "$WORK/done" ] && break; sleep 0.1; done
perf report -i "$OUT" --children --sort symbol --stdio -g none 2>/dev/null > "$WORK/report"
grep -m1 '^# Samples' "$WORK/report"
grep -E 'histogramQuantile|EmbeddedSourceC10rangeQuery|EmbeddedSourceC12instantQuery|DashboardSessionC7compose|ScreenComposerO7compose|QueryPlannerO|DashboardSessionC12maybeRefresh|StoreScrapeStorageC6ingest|TerminalBackend0A0C4draw' \
    "$WORK/report" | awk '{ printf "%8s  %s\n", $1, substr($4, 1, 90) }'
