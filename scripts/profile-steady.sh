#!/usr/bin/env bash
# Profiles the dashboard's steady state with callgrind: SECONDS of the executive layout at
# --interval 1s, 120x40 in tmux, scraping a separate `lookout demo --serve-only`; then quits with q
# and prints the top functions (inclusive) and the total instructions.
#   scripts/profile-steady.sh [BINARY] [SECONDS] [OUT]   (default .build-release/release/lookout, 30, callgrind.steady.out)
# SETTLE=N leaves out the first N seconds (start-up, the first scrapes and the first whole windows):
# collection starts after them and lasts SECONDS.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/.build-release/release/lookout}
SECONDS_RUN=${2:-30}
OUT=${3:-$PWD/callgrind.steady.out}
WORK=$(mktemp -d)
# Valgrind 3.19 needs a copy without DWARF 5 and a libdispatch with a writable .rodata (see valgrind-prep.sh).
. "$ROOT/scripts/valgrind-prep.sh"
valgrind_prep "$BIN" "$WORK"
. "$ROOT/scripts/steady-run.sh"
SETTLE=${SETTLE:-0}
if [ "$SETTLE" -gt 0 ]; then
  # Switched on from outside once the dashboard has settled (callgrind_control finds it by pid).
  ( sleep "$SETTLE"; callgrind_control -i on >/dev/null 2>&1 || echo "callgrind_control -i on failed" >&2 ) &
  SECONDS_RUN=$((SECONDS_RUN + SETTLE))
  steady_run "LD_LIBRARY_PATH='$VG_LIBS'" "valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file='$OUT' '$VG_BIN'"
else
  steady_run "LD_LIBRARY_PATH='$VG_LIBS'" "valgrind --tool=callgrind --callgrind-out-file='$OUT' '$VG_BIN'"
fi
grep "refs" "$WORK/profiler.log" || true
callgrind_annotate --inclusive=yes "$OUT" 2>/dev/null | sed -n '/^Ir/,$p' | head -45 | cut -c1-200
