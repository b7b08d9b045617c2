#!/usr/bin/env bash
# Every benchmark in one command (also `make bench`):
#   1. in-process figures with the ordo-one/benchmark package (Benchmarks/), whose thresholds
#      (Benchmarks/Thresholds/, tolerances in LookoutBenchmarks.swift) fail the run when a hot path regresses;
#   2. whole-process figures: parse vs Python prometheus_client (bench-parse.sh), CPU, terminal
#      bytes and memory vs btop (bench-cpu.sh), start-up time (bench-startup.sh), memory over ten
#      minutes on the real exporters (bench-memory.sh) and exit time (bench-exit.sh).
#   scripts/bench.sh [--quick]     --quick: shorter windows (for a smoke run)
# Release builds go to .build-release (the app) and Benchmarks/.build (the benchmark package).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
status=0
step() { echo; echo "=== $* ==="; }

step "release build of lookout (.build-release)"
swift build -c release --product lookout --scratch-path "$ROOT/.build-release" 2>&1 | grep -E "error|Compiling|Build of" | tail -3
BIN="$ROOT/.build-release/release/lookout"
[ -x "$BIN" ] || { echo "no release binary" >&2; exit 1; }

step "in-process benchmarks with thresholds (ordo-one/benchmark)"
(cd Benchmarks && swift package benchmark thresholds check --no-progress) || status=1

step "parse: Lookout vs Python prometheus_client"
LOOKOUT_BIN="$BIN" scripts/bench-parse.sh "$([ $QUICK = 1 ] && echo 1 || echo 3)" || status=1

step "CPU, terminal bytes and memory vs btop"
scripts/bench-cpu.sh "$BIN" "$([ $QUICK = 1 ] && echo 10 || echo 40)" || status=1

step "start-up: launch to the first frame with data"
scripts/bench-startup.sh "$BIN" || status=1

step "frame instructions (callgrind) against scripts/frame-instructions.baseline"
scripts/frame-instructions.sh "$BIN" || status=1

step "scale: 1,000,000 series, keys during a scrape, 50/100/200 targets"
scripts/bench-scale.sh "$BIN" "$([ $QUICK = 1 ] && echo 10 || echo 30)" || status=1

step "memory: the technical layout on the three real exporters at 1 s (target <= 40 MB after 10 minutes)"
scripts/bench-memory.sh "$BIN" "$([ $QUICK = 1 ] && echo 60 || echo 600)" technical || status=1
step "exit: key or signal to the terminal restored"
scripts/bench-exit.sh "$BIN" "$([ $QUICK = 1 ] && echo 1 || echo 3)" || status=1

exit $status
