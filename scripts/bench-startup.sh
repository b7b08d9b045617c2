#!/usr/bin/env bash
# Start-up: launch to the first frame with data (executive layout, 120x40), against
#   embedded  a scrape target on loopback (a separate `lookout demo --serve-only`), `--scrape URL`;
#   server    a real Prometheus (scripts/stack.sh) that has scraped that demo service for a minute or
#             more, `--prometheus URL`: the first frame includes the history (range) queries.
# For each:
#   snapshot  wall time of the whole process; embedded with `--after 0s` (return at the first
#             scrape instead of the default two intervals), server mode draws at once by default;
#   TUI       from the pane's shell starting lookout (a timestamp written just before `exec`) to the
#             Health score panel's value on screen (tmux capture-pane polled every ~3 ms).
# A frame counts as "with data" when the Health score gauge shows a number (`┃ 55.0`).
#   scripts/bench-startup.sh [BINARY] [RUNS]   (default .build-release/release/lookout, 5 runs; medians)
# PROMETHEUS_URL and DEMO_URL: use a running stack (e.g. `. /tmp/lookout-stack/stack.env` after
# `LOOKOUT_BIN=… scripts/stack.sh start`); without them the script starts one and waits 65 s.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/.build-release/release/lookout}
RUNS=${2:-5}
TARGET_MS=150
WORK=$(mktemp -d)
SOCK="lookout-start-$$"
STACK_DIR=""
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    [ -n "$STACK_DIR" ] && { "$ROOT/scripts/stack.sh" stop "$STACK_DIR" >/dev/null 2>&1; rm -rf "$STACK_DIR"; }
    rm -rf "$WORK"
}
trap cleanup EXIT
if [ -z "${PROMETHEUS_URL:-}" ] || [ -z "${DEMO_URL:-}" ]; then
    # Not under $WORK: mktemp's mode 700 would keep the postgres user out of its data directory.
    STACK_DIR="/tmp/lookout-bench-startup-$$"
    LOOKOUT_BIN="$BIN" "$ROOT/scripts/stack.sh" start "$STACK_DIR" > "$WORK/stack.log" 2>&1 \
        || { tail -5 "$WORK/stack.log" >&2; exit 1; }
    . "$STACK_DIR/stack.env"
    echo "started the stack; letting Prometheus scrape for 65 s"
    sleep 65
fi
DATA='┃ [0-9]+(\.[0-9]+)? '
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
now_ns() { date +%s%N; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'; }

snapshot_runs() {  # snapshot_runs ARGS...  → one figure per run (ms, or "nodata")
    local t0 t1
    for _ in $(seq 1 "$RUNS"); do
        t0=$(now_ns)
        (cd "$ROOT" && "$BIN" snapshot "$@" --layout executive --size 120x40 --color never > "$WORK/snap.txt" 2>&1) || true
        t1=$(now_ns)
        if grep -Eq "$DATA" "$WORK/snap.txt"; then ms_between "$t0" "$t1"; echo; else echo nodata; fi
    done
}
tui_runs() {  # tui_runs ARGS...
    local t0 t1 found
    for _ in $(seq 1 "$RUNS"); do
        rm -f "$WORK/t0"
        tmux -L "$SOCK" -f /dev/null new-session -d -s s -x 120 -y 40 \
            "cd '$ROOT' && date +%s%N > '$WORK/t0' && exec env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color '$BIN' $* --layout executive"
        found=timeout
        for _ in $(seq 1 3000); do
            if tmux -L "$SOCK" capture-pane -p -t s 2>/dev/null | grep -Eq "$DATA"; then
                t1=$(now_ns); found=$(ms_between "$(cat "$WORK/t0")" "$t1"); break
            fi
            sleep 0.003
        done
        echo "$found"
        tmux -L "$SOCK" kill-server 2>/dev/null || true
        while tmux -L "$SOCK" has-session 2>/dev/null; do sleep 0.05; done
        sleep 0.2
    done
}
report() {  # report NAME FIGURES...
    local name=$1; shift
    local m; m=$(printf '%s\n' "$@" | median)
    local verdict="met"; awk -v m="$m" -v t="$TARGET_MS" 'BEGIN { exit !(m + 0 > t || m !~ /^[0-9.]+$/) }' && verdict="not met"
    printf '%-20s median %8s ms  (%s)   runs: %s\n' "$name" "$m" "$verdict" "$*"
}
# shellcheck disable=SC2046
report "snapshot embedded" $(snapshot_runs --scrape "$DEMO_URL" --after 0s)
# shellcheck disable=SC2046
report "snapshot server" $(snapshot_runs --prometheus "$PROMETHEUS_URL")
# shellcheck disable=SC2046
report "TUI embedded" $(tui_runs --scrape "$DEMO_URL")
# shellcheck disable=SC2046
report "TUI server" $(tui_runs --prometheus "$PROMETHEUS_URL")
echo "(start-up of $BIN, $RUNS runs each; target ≤ $TARGET_MS ms; embedded target $DEMO_URL, Prometheus $PROMETHEUS_URL)"
