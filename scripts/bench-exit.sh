#!/usr/bin/env bash
# Exit latency of the live dashboard: from the key or signal to the shell running its next command
# (terminal restored, process gone), for q, SIGINT, SIGTERM and SIGHUP, in a private tmux server.
#   scripts/bench-exit.sh [BINARY] [RUNS]     (default .build-release/release/lookout, else .build/debug/lookout; 3 runs)
#   env ARGS: the dashboard's arguments (default "demo --interval 1s"), e.g. "--scrape http://127.0.0.1:PORT/metrics"
#   to quit while a scrape of a server that never answers is in flight.
# Prints one line per trigger: the median and all runs in milliseconds.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-}
if [ -z "$BIN" ]; then
    BIN="$ROOT/.build-release/release/lookout"
    [ -x "$BIN" ] || BIN="$ROOT/.build/debug/lookout"
fi
RUNS=${2:-3}
ARGS=${ARGS:-demo --interval 1s}
command -v tmux >/dev/null || { echo "tmux is required" >&2; exit 1; }
WORK=$(mktemp -d)
SOCK="lookout-exit-$$"
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

now_ns() { date +%s%N; }

one_run() {  # $1 = q|INT|TERM|HUP ; prints milliseconds
    rm -f "$WORK/pid" "$WORK/done"
    tmux -L "$SOCK" -f /dev/null new-session -d -s x -x 120 -y 40 \
        "cd '$ROOT' && env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color sh -c 'echo \$\$ > $WORK/pid; exec \"\$0\" $ARGS' '$BIN'; date +%s%N > $WORK/done; exec sleep 600"
    for _ in $(seq 1 300); do
        tmux -L "$SOCK" capture-pane -p -t x 2>/dev/null | grep -q "LOOKOUT" && break
        sleep 0.1
    done
    sleep 1
    local sent; sent=$(now_ns)
    if [ "$1" = q ]; then tmux -L "$SOCK" send-keys -t x q; else kill -"$1" "$(cat "$WORK/pid")"; fi
    for _ in $(seq 1 2000); do [ -s "$WORK/done" ] && break; sleep 0.005; done
    local done_at; done_at=$(cat "$WORK/done" 2>/dev/null || echo 0)
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    if [ "$done_at" = 0 ]; then echo "timeout"; else awk -v a="$sent" -v b="$done_at" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'; fi
}

echo "exit latency of $BIN $ARGS ($RUNS runs each, ms)"
for trigger in q INT TERM HUP; do
    runs=()
    for _ in $(seq 1 "$RUNS"); do runs+=("$(one_run "$trigger")"); done
    median=$(printf '%s\n' "${runs[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    printf '%-8s median %8s ms   runs: %s\n' "$trigger" "$median" "${runs[*]}"
done
