#!/usr/bin/env bash
# Resident memory of the live dashboard over a long run: embedded mode at --interval 1s, 120x40 in
# tmux, scraping the three real exporters (node_exporter, redis_exporter, postgres_exporter) that
# scripts/stack.sh starts on loopback. Samples VmRSS every 10 s and prints one line a minute, then
# the end figure split by mapping (from /proc/PID/smaps): the binary, the shared libraries, the heap
# and anonymous memory, with Pss and private figures beside RSS.
#   scripts/bench-memory.sh [BINARY] [SECONDS] [LAYOUT]   (default .build-release/release/lookout, 600, technical)
# Issue 12's target for this run: at most 40 MB after 10 minutes on the technical layout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/.build-release/release/lookout}
SECONDS_RUN=${2:-600}
LAYOUT=${3:-technical}
[ -x "$BIN" ] || { echo "no binary at $BIN (build one: swift build -c release --product lookout)" >&2; exit 1; }
WORK=$(mktemp -d)
chmod 755 "$WORK"  # postgres runs as its own user and needs to reach its data directory inside
SOCK="lookout-memory-$$"
cleanup() {
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  "$ROOT/scripts/stack.sh" stop "$WORK/stack" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/scripts/stack.sh" start "$WORK/stack" >"$WORK/stack.log" 2>&1 || { cat "$WORK/stack.log" >&2; exit 1; }
# shellcheck disable=SC1091
. "$WORK/stack/stack.env"
tmux -L "$SOCK" -f /dev/null new-session -d -s m -x 120 -y 40 \
  "cd '$ROOT' && env -i PATH=/usr/bin:/bin HOME=$WORK LANG=C.UTF-8 TERM=tmux-256color sh -c 'echo \$\$ > $WORK/pid; exec $BIN --scrape $NODE_URL --scrape $REDIS_EXPORTER_URL --scrape $PG_EXPORTER_URL --layout $LAYOUT --interval 1s'"
for _ in $(seq 1 50); do [ -s "$WORK/pid" ] && break; sleep 0.1; done
PID=$(cat "$WORK/pid")
rss() { awk '/VmRSS/ { print $2 }' "/proc/$PID/status"; }

echo "layout $LAYOUT, --interval 1s, 120x40, scraping node_exporter, redis_exporter and postgres_exporter; $SECONDS_RUN s"
echo "elapsed   RSS KiB"
peak=0
for ((t = 10; t <= SECONDS_RUN; t += 10)); do
  sleep 10
  kill -0 "$PID" 2>/dev/null || { echo "the dashboard exited early; its screen:" >&2; tmux -L "$SOCK" capture-pane -p -t m >&2; exit 1; }
  r=$(rss)
  [ "$r" -gt "$peak" ] && peak=$r
  if [ $((t % 60)) -eq 0 ] || [ "$t" -eq "$SECONDS_RUN" ]; then printf '%5ds  %8d\n' "$t" "$r"; fi
done
printf 'peak    %8d KiB\n' "$peak"

# The end figure by mapping: what is code shared with other processes and what is this process' own.
python3 - "$PID" "$BIN" <<'PY'
import os, sys
pid, binary = sys.argv[1], os.path.realpath(sys.argv[2])
parts, current = {}, None
for line in open(f"/proc/{pid}/smaps"):
    fields = line.split()
    if "-" in fields[0] and len(fields) >= 5 and ":" in fields[3]:
        path = fields[5] if len(fields) > 5 else "[anonymous]"
        if os.path.realpath(path) == binary: key = "the binary"
        elif ".so" in path: key = "shared libraries"
        elif path in ("[heap]", "[anonymous]"): key = "heap and anonymous"
        else: key = "other (" + path + ")" if path.startswith("[") else "other files"
        current = parts.setdefault(key, {"Rss": 0, "Pss": 0, "Private": 0})
    elif current is not None and fields[0] in ("Rss:", "Pss:", "Private_Clean:", "Private_Dirty:"):
        name = "Private" if fields[0].startswith("Private") else fields[0][:-1]
        current[name] += int(fields[1])
print("%-22s %8s %8s %8s" % ("part (KiB)", "Rss", "Pss", "Private"))
total = {"Rss": 0, "Pss": 0, "Private": 0}
for key, v in sorted(parts.items(), key=lambda kv: -kv[1]["Rss"]):
    print("%-22s %8d %8d %8d" % (key, v["Rss"], v["Pss"], v["Private"]))
    for k in total: total[k] += v[k]
print("%-22s %8d %8d %8d" % ("total", total["Rss"], total["Pss"], total["Private"]))
PY
