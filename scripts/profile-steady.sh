#!/usr/bin/env bash
# Profiles the dashboard's steady state with callgrind: SECONDS of the executive layout at
# --interval 1s, 120x40 in tmux, scraping a separate `lookout demo --serve-only`; then quits with q
# and prints the top functions (inclusive) and the total instructions.
#   scripts/profile-steady.sh [BINARY] [SECONDS] [OUT]   (default .build-release/release/lookout, 30, callgrind.steady.out)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/.build-release/release/lookout}
SECONDS_RUN=${2:-30}
OUT=${3:-$PWD/callgrind.steady.out}
WORK=$(mktemp -d)
SOCK="lookout-prof-$$"
DEMO_PID=""
# Valgrind 3.19 needs a copy without DWARF 5 and a libdispatch with a writable .rodata (see valgrind-prep.sh).
. "$ROOT/scripts/valgrind-prep.sh"
valgrind_prep "$BIN" "$WORK"
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; [ -n "$DEMO_PID" ] && kill "$DEMO_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
"$BIN" demo --serve-only > "$WORK/demo.out" 2>&1 &
DEMO_PID=$!
URL=""
for _ in $(seq 1 100); do URL=$(grep -o 'http://[^ ]*' "$WORK/demo.out" | head -1 || true); [ -n "$URL" ] && break; sleep 0.1; done
[ -n "$URL" ] || { echo "demo --serve-only printed no URL" >&2; exit 1; }
tmux -L "$SOCK" -f /dev/null new-session -d -s p -x 120 -y 40 \
    "cd '$ROOT' && env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color LD_LIBRARY_PATH='$VG_LIBS' valgrind --tool=callgrind --callgrind-out-file='$OUT' '$VG_BIN' --scrape $URL --layout executive --interval 1s 2> $WORK/valgrind.log; touch $WORK/done; sleep 600"
sleep "$SECONDS_RUN"
tmux -L "$SOCK" send-keys -t p q
for _ in $(seq 1 1200); do [ -e "$WORK/done" ] && break; sleep 0.1; done
grep "refs" "$WORK/valgrind.log" || true
callgrind_annotate --inclusive=yes "$OUT" 2>/dev/null | sed -n '/^Ir/,$p' | head -45 | cut -c1-200
