# Sourced by the steady-state profilers (profile-steady.sh, profile-steady-perf.sh): the same
# workload for both, so their figures compare. Starts `lookout demo --serve-only` from $BIN, runs
# the dashboard in tmux (executive layout, --interval 1s, 120x40) under the wrapper given, scraping
# the demo for $SECONDS_RUN seconds, then quits with q and waits up to WAIT_TENTHS tenths of a
# second for the wrapper to finish. Needs ROOT, BIN, WORK; sets DEMO_PID and the cleanup trap.
SOCK="lookout-steady-$$"
DEMO_PID=""
steady_cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; [ -n "$DEMO_PID" ] && kill "$DEMO_PID" 2>/dev/null; rm -rf "$WORK"; }
trap steady_cleanup EXIT

# steady_run ENV WRAPPED_COMMAND: ENV is extra environment, WRAPPED_COMMAND the profiler and binary
# (the dashboard's arguments are appended); its stderr goes to $WORK/profiler.log.
steady_run() {
  "$BIN" demo --serve-only > "$WORK/demo.out" 2>&1 &
  DEMO_PID=$!
  local url=""
  for _ in $(seq 1 100); do url=$(grep -o 'http://[^ ]*' "$WORK/demo.out" | head -1 || true); [ -n "$url" ] && break; sleep 0.1; done
  [ -n "$url" ] || { echo "demo --serve-only printed no URL" >&2; exit 1; }
  tmux -L "$SOCK" -f /dev/null new-session -d -s p -x 120 -y 40 \
      "cd '$ROOT' && env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 TERM=tmux-256color $1 $2 --scrape $url --layout executive --interval 1s 2> $WORK/profiler.log; touch $WORK/done; sleep 600"
  sleep "$SECONDS_RUN"
  tmux -L "$SOCK" send-keys -t p q
  for _ in $(seq 1 "${WAIT_TENTHS:-1200}"); do [ -e "$WORK/done" ] && break; sleep 0.1; done
}
