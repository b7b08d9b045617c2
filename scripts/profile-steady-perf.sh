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
# perf resolves symbols from the binary's path when reporting: profile a copy that stays put.
cp "$BIN" "$WORK/lookout"
. "$ROOT/scripts/steady-run.sh"
WAIT_TENTHS=300 steady_run "" "perf record -F 999 -e cpu-clock -g -o '$OUT' '$WORK/lookout'"
perf report -i "$OUT" --children --sort symbol --stdio -g none 2>/dev/null > "$WORK/report"
grep -m1 '^# Samples' "$WORK/report"
grep -E 'histogramQuantile|EmbeddedSourceC10rangeQuery|EmbeddedSourceC12instantQuery|DashboardSessionC7compose|ScreenComposerO7compose|QueryPlannerO|DashboardSessionC12maybeRefresh|StoreScrapeStorageC6ingest|TerminalBackend0A0C4draw' \
    "$WORK/report" | awk '{ printf "%8s  %s\n", $1, substr($4, 1, 90) }'
