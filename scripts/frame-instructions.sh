#!/usr/bin/env bash
# Guards the frame with callgrind instruction counts (exact, unlike wall time on this shared VM).
# Fixed workload: `lookout snapshot --demo --seed 1 --layout executive --size 120x40 --color never
# --after 0s` (start-up, the in-process demo service's first scrape, the queries, one frame).
# Guarded figures (inclusive instructions of one function each, stable to ±0.1 % between runs;
# the whole process's total moves by ±5 % with thread scheduling, so it is printed, not guarded):
#   frame    Snapshot.frame: the frame's queries against the scraped store, rules and composition
#   instant  Engine.instant: the instant queries (panels and rules) evaluated on the scraped store
#            (LocalQueries.instant, guarded before, is now inlined into its caller)
#   compose  ScreenComposer.compose: laying out the panels into the cell buffer
#   encode   ANSIEncoder.encode: the buffer to text
# Fails when a figure exceeds its baseline in scripts/frame-instructions.baseline by more than 10 %.
#   scripts/frame-instructions.sh [BINARY]            check (default .build-release/release/lookout)
#   scripts/frame-instructions.sh --update [BINARY]   write the baseline from this run
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
UPDATE=0
[ "${1:-}" = "--update" ] && { UPDATE=1; shift; }
BIN=${1:-$ROOT/.build-release/release/lookout}
BASELINE=$ROOT/scripts/frame-instructions.baseline
TOLERANCE_PERCENT=10
command -v valgrind >/dev/null || { echo "frame-instructions: valgrind is not installed" >&2; exit 1; }
WORK=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
. "$ROOT/scripts/valgrind-prep.sh"
valgrind_prep "$BIN" "$WORK"
# The inclusive count of the first function whose mangled name matches.
inclusive() { grep -E "$1" "$WORK/annotate.txt" | head -1 | awk '{ gsub(",", "", $1); print $1 }'; }
max() { [ -z "$1" ] && echo "${2:-}" && return; [ -z "${2:-}" ] && echo "$1" && return; [ "$1" -gt "$2" ] && echo "$1" || echo "$2"; }
# Synchronous functions only: callgrind attributes an async function's continuations to it in some
# runs and not in others (SnapshotCommand.run read 32.8 M or 6.9 M). Two runs, the larger figure of each.
declare -A figure=([frame]= [instant]= [compose]= [encode]=)
for run in 1 2; do
    (cd "$ROOT" && LD_LIBRARY_PATH=$VG_LIBS valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
        "$VG_BIN" snapshot --demo --seed 1 --layout executive --size 120x40 --color never --after 0s \
        > "$WORK/frame.txt" 2> "$WORK/valgrind.log") || { tail -20 "$WORK/valgrind.log" >&2; exit 1; }
    grep -q 'Health score' "$WORK/frame.txt" || { echo "frame-instructions: the snapshot drew no dashboard" >&2; head -5 "$WORK/frame.txt" >&2; exit 1; }
    total=$(grep -o 'refs: *[0-9,]*' "$WORK/valgrind.log" | tr -dc 0-9)
    # Every function (the default threshold leaves out the small ones, and a faster frame is small).
    callgrind_annotate --inclusive=yes --threshold=100 "$WORK/cg.out" 2>/dev/null > "$WORK/annotate.txt"
    figure[frame]=$(max "$(inclusive 'App8SnapshotO5frame_6source')" "${figure[frame]}")
    figure[instant]=$(max "$(inclusive 'PromQL6EngineV7instant_2at')" "${figure[instant]}")
    figure[compose]=$(max "$(inclusive 'App14ScreenComposerO7compose5state')" "${figure[compose]}")
    figure[encode]=$(max "$(inclusive 'TerminalBackend11ANSIEncoderO6encode_')" "${figure[encode]}")
done
printf 'whole process: %s instructions (not guarded)\n' "$total"
if [ $UPDATE = 1 ]; then
    { echo "# instructions; written by scripts/frame-instructions.sh --update on $(date -u +%F)"
      for k in frame instant compose encode; do echo "$k ${figure[$k]}"; done; } > "$BASELINE"
    cat "$BASELINE"; exit 0
fi
[ -f "$BASELINE" ] || { echo "frame-instructions: no baseline ($BASELINE); run with --update" >&2; exit 1; }
status=0
for k in frame instant compose encode; do
    now=${figure[$k]}
    base=$(awk -v k="$k" '$1 == k { print $2 }' "$BASELINE")
    [ -n "$now" ] || { echo "$k: function not found in the profile" >&2; status=1; continue; }
    limit=$(( base + base * TOLERANCE_PERCENT / 100 ))
    verdict=ok; [ "$now" -gt "$limit" ] && { verdict="REGRESSED (> +$TOLERANCE_PERCENT %)"; status=1; }
    awk -v k="$k" -v n="$now" -v b="$base" -v v="$verdict" 'BEGIN { printf "%-8s %12d instructions, baseline %12d (%+.1f %%)  %s\n", k, n, b, (n - b) * 100 / b, v }'
done
exit $status
