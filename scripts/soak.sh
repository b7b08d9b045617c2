#!/usr/bin/env bash
# Soak: the dashboard (in a private tmux server) scrapes, every INTERVAL for SECONDS, a target whose
# series churn (new label values on every scrape, cycling through a bounded set), a target that fails
# and heals every 30 s (truncated bodies, then fine), a hung one and a refused one. Every 5 s it
# samples the dashboard's resident memory, open descriptors and threads, then prints a summary:
# RSS change after warm-up (first 20 %), descriptor and thread ranges. Figures go in docs/reliability.md.
#   scripts/soak.sh [SECONDS=600] [INTERVAL=100ms]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
interval="${2:-100ms}"
out=.build/soak
rm -rf "$out" && mkdir -p "$out"
swift build --product lookout >/dev/null || exit 1
socket="lookout-soak-$$"
pids=()
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
}
trap cleanup EXIT

# The churning target: 10 series per scrape out of 100 ids, shifted by one on every scrape.
python3 - "$out/churn.port" <<'PY' &
import socket, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
count = [0]
lock = threading.Lock()
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        with lock:
            count[0] += 1
            n = count[0]
        body = "# TYPE churn_series gauge\n" + "".join(
            'churn_series{id="s%d"} %d\n' % ((n + i) % 100, n) for i in range(10))
        body += "# TYPE churn_scrapes_total counter\nchurn_scrapes_total %d\n" % n
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
server = ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
pids+=($!)
python3 scripts/fault-server.py >"$out/fault.txt" 2>/dev/null &
pids+=($!)
for _ in $(seq 50); do [ -s "$out/churn.port" ] && [ -s "$out/fault.txt" ] && break; sleep 0.1; done
churn=$(cat "$out/churn.port")
read -r _ fault _ closed < "$out/fault.txt"
echo "targets: churn :$churn, faults :$fault, refused :$closed; interval $interval for ${seconds}s"

tmux -L "$socket" -f /dev/null new-session -d -x 160 -y 50 \
    "exec env LANG=C.UTF-8 TERM=tmux-256color .build/debug/lookout --interval '$interval' \
     --scrape churn=http://127.0.0.1:$churn/metrics --scrape flaky=http://127.0.0.1:$fault/truncated/metrics \
     --scrape hung=http://127.0.0.1:$fault/hang/metrics --scrape refused=http://127.0.0.1:$closed/metrics"
sleep 1
pid=$(tmux -L "$socket" display -p '#{pane_pid}')
echo "t_s,rss_kb,fds,threads" > "$out/samples.csv"
start=$(date +%s)
healed=0
while :; do
    now=$(date +%s); t=$((now - start))
    [ "$t" -ge "$seconds" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then echo "soak: the dashboard died at ${t}s"; exit 1; fi
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    threads=$(awk '/^Threads/ {print $2}' "/proc/$pid/status")
    fds=$(ls "/proc/$pid/fd" | wc -l)
    echo "$t,$rss,$fds,$threads" >> "$out/samples.csv"
    # Fail for 30 s, heal for 30 s.
    if [ $(( (t / 30) % 2 )) -eq 1 ] && [ "$healed" -eq 0 ]; then
        curl -s -o /dev/null "http://127.0.0.1:$fault/heal"; healed=1
    elif [ $(( (t / 30) % 2 )) -eq 0 ] && [ "$healed" -eq 1 ]; then
        curl -s -o /dev/null "http://127.0.0.1:$fault/break"; healed=0
    fi
    sleep 5
done
tmux -L "$socket" capture-pane -p > "$out/last-screen.txt"
awk -F, -v warm="$((seconds / 5))" 'NR > 1 && $1 >= warm {
        if (n == 0) { first = $2; rmin = $2; rmax = $2; fmin = $3; fmax = $3; tmin = $4; tmax = $4 }
        n++; last = $2
        if ($2 < rmin) rmin = $2; if ($2 > rmax) rmax = $2
        if ($3 < fmin) fmin = $3; if ($3 > fmax) fmax = $3
        if ($4 < tmin) tmin = $4; if ($4 > tmax) tmax = $4
    } END {
        printf "after warm-up (%d samples): RSS %d -> %d KiB (min %d, max %d, change %.1f %%, spread %.1f %%); fds %d-%d; threads %d-%d\n",
            n, first, last, rmin, rmax, 100 * (last - first) / first, 100 * (rmax - rmin) / rmin, fmin, fmax, tmin, tmax
    }' "$out/samples.csv"
