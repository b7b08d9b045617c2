#!/usr/bin/env bash
# Start-up: launch to the first frame with data from a loopback endpoint (a separate
# `lookout demo --serve-only`), history query included.
#   snapshot: wall time of `lookout snapshot --scrape URL --layout executive` (whole process);
#   TUI: from starting the dashboard in tmux to a panel value with a unit on the screen.
#   scripts/bench-startup.sh [BINARY] [RUNS]   (default .build-release/release/lookout, 5 runs; prints medians)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/.build-release/release/lookout}
RUNS=${2:-5}
WORK=$(mktemp -d)
SOCK="lookout-start-$$"
DEMO_PID=""
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; [ -n "$DEMO_PID" ] && kill "$DEMO_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
"$BIN" demo --serve-only > "$WORK/demo.out" 2>&1 &
DEMO_PID=$!
URL=""
for _ in $(seq 1 100); do URL=$(grep -o 'http://[^ ]*' "$WORK/demo.out" | head -1 || true); [ -n "$URL" ] && break; sleep 0.1; done
[ -n "$URL" ] || { echo "demo --serve-only printed no URL" >&2; exit 1; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ms_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'; }

snap=()
for _ in $(seq 1 "$RUNS"); do
    t0=$(date +%s%N)
    (cd "$ROOT" && "$BIN" snapshot --scrape "$URL" --layout executive --size 120x40 --color never > "$WORK/snap.txt")
    snap+=("$(ms_since "$t0")")
done
tui=()
for _ in $(seq 1 "$RUNS"); do
    t0=$(date +%s%N)
    tmux -L "$SOCK" -f /dev/null new-session -d -s s -x 120 -y 40 \
        "cd '$ROOT' && env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color '$BIN' --scrape $URL --layout executive --interval 1s"
    took=timeout
    for _ in $(seq 1 1000); do
        if tmux -L "$SOCK" capture-pane -p -t s 2>/dev/null | grep -Eq '[0-9](\.[0-9]+)? ?(ms|req/s|%)'; then took=$(ms_since "$t0"); break; fi
        sleep 0.005
    done
    tui+=("$took")
    tmux -L "$SOCK" kill-server 2>/dev/null || true
done
echo "start-up of $BIN against $URL ($RUNS runs, ms)"
printf '%-10s median %8s   runs: %s\n' snapshot "$(printf '%s\n' "${snap[@]}" | median)" "${snap[*]}"
printf '%-10s median %8s   runs: %s\n' TUI "$(printf '%s\n' "${tui[@]}" | median)" "${tui[*]}"
