#!/usr/bin/env bash
# Scale (issue 12, point 6), whole process, release build:
#   1. one target of 1,000,000 series (a generated 58 MB body): the scrape fails with the series-limit
#      error (default 100,000 per target) and memory and time stay bounded (snapshot, /usr/bin/time);
#   2. keys while that target is scraped every 5 s in the TUI (served over HTTP by python3 http.server,
#      so each scrape is in progress for about a second): `+`/`-` sent every 250 ms for 12 s, the time
#      from the key to the next bytes on the terminal (tmux pipe-pane, file size polled every ms);
#   3. cost per scrape with 50, 100 and 200 node_exporter-sized targets (one real node_exporter body,
#      57 KB, ~1,070 lines, served under distinct URLs) at --interval 5s for SECONDS: CPU ticks of the
#      process (/proc/PID/stat) per scrape.
#   scripts/bench-scale.sh [BINARY] [SECONDS]   (default .build-release/release/lookout, 30)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/.build-release/release/lookout}
SECONDS_RUN=${2:-30}
WORK=$(mktemp -d)
SOCK="lookout-scale-$$"
HTTP_PID=""
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
TICK=$(getconf CLK_TCK)

python3 - "$WORK/big.prom" <<'PY'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('# TYPE synthetic_series gauge\n')
    for i in range(1_000_000):
        f.write('synthetic_series{shard="%d",instance="host-%d"} %d\n' % (i % 64, i, i))
PY
# A node_exporter-sized body: the real exporter's if it is installed, else the benchmark fixture.
if command -v prometheus-node-exporter >/dev/null; then
    PORT_NE=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    prometheus-node-exporter --web.listen-address=127.0.0.1:$PORT_NE > /dev/null 2>&1 &
    NE_PID=$!
    for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT_NE/metrics" > "$WORK/node.prom" && break; sleep 0.1; done
    kill "$NE_PID"
else
    cp "$(ls "$ROOT"/Benchmarks/Fixtures/*node* | head -1)" "$WORK/node.prom"
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# http.server's listen backlog is 5: 200 scrapes connecting in the same millisecond overflow it,
# the dropped SYNs are sent again after 1 s and 3 s, and targets time out as a real exporter's
# server (backlog 4096) would not let them. A deeper backlog, so that it is Lookout being measured.
(cd "$WORK" && exec python3 -c '
import http.server, sys
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 1024
Server(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()
' "$PORT" > /dev/null 2>&1) &
HTTP_PID=$!
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/node.prom" && break; sleep 0.1; done

echo "== 1. one target of 1,000,000 series ($(du -m "$WORK/big.prom" | cut -f1) MB)"
/usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$BIN" snapshot --scrape "file://$WORK/big.prom" --after 0s \
    --color never --size 160x40 > "$WORK/big-snap.txt" 2>&1 || true
read -r wall rss < "$WORK/time.txt"
err=$(grep -o 'over series_limit[^·]*' "$WORK/big-snap.txt" | head -1 || true)
echo "snapshot: ${wall} s, max RSS $((rss / 1024)) MB, error shown: ${err:-NONE}"
[ -n "$err" ] || { echo "FAIL: no series-limit error" >&2; status=1; }

start_tui() {  # start_tui ARGS...  → PID of lookout in the pane
    tmux -L "$SOCK" -f /dev/null new-session -d -s s -x 120 -y 40 \
        "exec env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color '$BIN' $* --interval 5s"
    tmux -L "$SOCK" display -p -t s '#{pane_pid}'
}
stop_tui() { tmux -L "$SOCK" kill-server 2>/dev/null || true; while tmux -L "$SOCK" has-session 2>/dev/null; do sleep 0.05; done; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

echo "== 2. keys while the 1,000,000-series target is scraped (over HTTP, every 5 s)"
start_tui --scrape "http://127.0.0.1:$PORT/big.prom" --layout executive > /dev/null
sleep 2
tmux -L "$SOCK" pipe-pane -o -t s "cat >> '$WORK/pane.bytes'"
sleep 0.5
lat=()
key=+
for _ in $(seq 1 48); do
    before=$(stat -c %s "$WORK/pane.bytes" 2>/dev/null || echo 0)
    t0=$(date +%s%N)
    tmux -L "$SOCK" send-keys -t s "$key"
    got=timeout
    for _ in $(seq 1 2000); do
        now=$(stat -c %s "$WORK/pane.bytes" 2>/dev/null || echo 0)
        if [ "$now" -gt "$before" ]; then got=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'); break; fi
        sleep 0.001
    done
    lat+=("$got")
    [ "$key" = + ] && key=- || key=+
    sleep 0.25
done
stop_tui
printf '%s\n' "${lat[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "key to frame (ms, %d keys over 12 s, scrapes of ~1 s running every 5 s): median %s, p90 %s, max %s\n", NR, a[int((NR + 1) / 2)], a[int(NR * 0.9)], a[NR] }'

echo "== 3. cost per scrape, node_exporter-sized targets at 5 s, ${SECONDS_RUN} s each"
for n in 50 100 200; do
    args=""
    for i in $(seq 1 "$n"); do args="$args --scrape t$i=http://127.0.0.1:$PORT/node.prom?t=$i"; done
    pid=$(start_tui $args --layout executive)
    sleep 3
    a=$(ticks "$pid"); sleep "$SECONDS_RUN"; b=$(ticks "$pid")
    rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status")
    up=$(tmux -L "$SOCK" capture-pane -p -t s | grep -o 'targets [0-9]*/[0-9]* up' || true)
    stop_tui
    awk -v n="$n" -v t=$((b - a)) -v hz="$TICK" -v s="$SECONDS_RUN" -v rss="$rss" -v up="$up" 'BEGIN {
        scrapes = n * s / 5; cpu = t / hz
        printf "%3d targets: %4d ticks in %d s (%.1f %% of a core), %.2f ms CPU per scrape, RSS %d MB, %s\n", n, t, s, cpu * 100 / s, cpu * 1000 / scrapes, rss, up }'
done
exit ${status:-0}
