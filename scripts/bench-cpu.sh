#!/usr/bin/env bash
# Steady-state cost of the live dashboard beside btop, measured in one run on this machine:
# CPU ticks (utime+stime from /proc/PID/stat) over a window, bytes written to the terminal
# (tmux pipe-pane) and resident memory (VmRSS) at the end.
#   scripts/bench-cpu.sh [BINARY] [SECONDS]   (default .build-release/release/lookout, 40 s)
# Lookout: executive layout, --interval 1s, 120x40, scraping a separate `lookout demo --serve-only`.
# btop: update_ms = 1000 in a private config, 120x40. Both start, warm up 5 s, then are measured together.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/.build-release/release/lookout}
WINDOW=${2:-40}
LAYOUT=${LAYOUT:-executive}
command -v tmux >/dev/null || { echo "tmux is required" >&2; exit 1; }
command -v btop >/dev/null || { echo "btop is required (apt-get install btop)" >&2; exit 1; }
WORK=$(mktemp -d)
SOCK="lookout-cpu-$$"
DEMO_PID=""
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    [ -n "$DEMO_PID" ] && kill "$DEMO_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# The scraped service, in its own process.
"$BIN" demo --serve-only > "$WORK/demo.out" 2>&1 &
DEMO_PID=$!
URL=""
for _ in $(seq 1 100); do
    URL=$(grep -o 'http://[^ ]*' "$WORK/demo.out" | head -1 || true)
    [ -n "$URL" ] && break
    sleep 0.1
done
[ -n "$URL" ] || { echo "demo --serve-only printed no URL" >&2; cat "$WORK/demo.out" >&2; exit 1; }

mkdir -p "$WORK/config/btop"
printf 'update_ms = 1000\n' > "$WORK/config/btop/btop.conf"

start_pane() {  # name, command
    tmux -L "$SOCK" -f /dev/null new-session -d -s "$1" -x 120 -y 40 \
        "cd '$ROOT' && env -i PATH=/usr/bin:/bin HOME=$WORK XDG_CONFIG_HOME=$WORK/config LANG=C.UTF-8 TERM=tmux-256color sh -c 'echo \$\$ > $WORK/$1.pid; exec $2'"
    tmux -L "$SOCK" pipe-pane -t "$1" "cat > $WORK/$1.bytes"
}
start_pane lookout "'$BIN' --scrape $URL --layout $LAYOUT --interval 1s"
start_pane btop "btop"
sleep 5
ticks() { awk '{ print $14 + $15 }' "/proc/$(cat "$WORK/$1.pid")/stat"; }
systicks() { awk '{ print $15 }' "/proc/$(cat "$WORK/$1.pid")/stat"; }
# CPU time in nanoseconds over every thread (the scheduler's own count, finer than the 10 ms ticks;
# threads that ended are not in it, so it can only read low).
cpuns() { cat /proc/"$(cat "$WORK/$1.pid")"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%d", s }'; }
bytes() { stat -c %s "$WORK/$1.bytes" 2>/dev/null || echo 0; }
rss() { awk '/VmRSS/ { print $2 }' "/proc/$(cat "$WORK/$1.pid")/status"; }
l0=$(ticks lookout); b0=$(ticks btop); lw0=$(bytes lookout); bw0=$(bytes btop)
ls0=$(systicks lookout); bs0=$(systicks btop); ln0=$(cpuns lookout); bn0=$(cpuns btop)
sleep "$WINDOW"
l1=$(ticks lookout); b1=$(ticks btop); lw1=$(bytes lookout); bw1=$(bytes btop)
ls1=$(systicks lookout); bs1=$(systicks btop); ln1=$(cpuns lookout); bn1=$(cpuns btop)
HZ=$(getconf CLK_TCK)
lt=$((l1 - l0)); bt=$((b1 - b0)); lb=$((lw1 - lw0)); bb=$((bw1 - bw0))
pct() { awk -v t="$1" -v hz="$HZ" -v w="$WINDOW" 'BEGIN { printf "%.2f", 100 * t / hz / w }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.3f", a / b }'; }
echo "window ${WINDOW}s, CLK_TCK $HZ, layout $LAYOUT, 120x40, interval 1s"
printf '%-22s %12s %12s %10s\n' "" "lookout" "btop" "ratio"
printf '%-22s %12s %12s %10s\n' "CPU ticks" "$lt" "$bt" "$(ratio "$lt" "$bt")"
printf '%-22s %12s %12s\n' "  of them in the kernel" "$((ls1 - ls0))" "$((bs1 - bs0))"
lms=$(( (ln1 - ln0) / 1000000 )); bms=$(( (bn1 - bn0) / 1000000 ))
printf '%-22s %12s %12s %10s\n' "CPU ms (schedstat)" "$lms" "$bms" "$(ratio "$lms" "$bms")"
printf '%-22s %12s %12s\n' "CPU % of one core" "$(pct "$lt")" "$(pct "$bt")"
printf '%-22s %12s %12s %10s\n' "terminal bytes" "$lb" "$bb" "$(ratio "$lb" "$bb")"
printf '%-22s %12s %12s %10s\n' "resident KiB" "$(rss lookout)" "$(rss btop)" "$(ratio "$(rss lookout)" "$(rss btop)")"
