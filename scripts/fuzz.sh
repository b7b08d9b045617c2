#!/usr/bin/env bash
# Fuzzes the exposition parser (text, OpenMetrics), PromQL parser+evaluator, layout decoder, rule
# loader, template engine and config reader for SECONDS per target (default 60), seeded from
# ../shared/conformance and the repository's fixtures (Tests/FuzzTests).
# A crash kills the run: the input that caused it is kept under Tests/FuzzTests/Crashes/ so that it
# becomes a regression test (FuzzRegressionTests replays every file there). Slow inputs (over 1 s)
# fail the run and are kept the same way.
#   scripts/fuzz.sh [SECONDS] [SEED]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
seed="${2:-$RANDOM}"
swift build --build-tests >/dev/null || exit 1
dir=.build/fuzz
rm -rf "$dir" && mkdir -p "$dir"
LOOKOUT_FUZZ_SECONDS="$seconds" LOOKOUT_FUZZ_SEED="$seed" LOOKOUT_FUZZ_DIR="$dir" \
    .build/debug/LookoutPackageTests.xctest --testing-library swift-testing --filter FuzzRunTests \
    >"$dir/log.txt" 2>&1
status=$?
cat "$dir/stats.txt" 2>/dev/null
if [ "$status" -ne 0 ]; then
    mkdir -p Tests/FuzzTests/Crashes
    keep=""
    if [ ! -f "$dir/stats.txt" ]; then
        # The process died: the newest input written is the one that killed it.
        keep=$(ls -t "$dir"/current-* 2>/dev/null | head -1)
    else
        keep=$(ls "$dir"/slow-* 2>/dev/null | head -1)
    fi
    if [ -n "$keep" ]; then
        name="$(basename "$keep" | sed 's/^current-//; s/^slow-//')-seed$seed-$(date +%s)"
        cp "$keep" "Tests/FuzzTests/Crashes/$name"
        echo "fuzz: status $status; input kept as Tests/FuzzTests/Crashes/$name (log: $dir/log.txt)"
    else
        echo "fuzz: status $status (log: $dir/log.txt)"
    fi
    exit 1
fi
echo "fuzz: no crash, no slow input (seed $seed)"
