#!/usr/bin/env bash
# Parse throughput of Lookout's exposition parser beside Python's prometheus_client parser
# (text_string_to_metric_families), on the same bytes, measured in one run; then ingestion speed
# and bytes per stored sample of the MemoryStore.
#
#   scripts/bench-parse.sh [SECONDS_PER_MEASUREMENT]   (default 3)
#
# Inputs: Benchmarks/Fixtures/node_exporter.prom (a real capture) and a 50 MB body generated at run
# time (not committed). Python's time excludes UTF-8 decoding of the bytes (its parser needs a str).
# "Lookout MB/s" is the full parse into samples with label sets (what a scrape does); "pull-only"
# is the streaming parser alone, for reference; the ratio compares the full parse.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=${1:-3}

PY=""
for candidate in "${PYTHON:-}" /usr/bin/python3 python3; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import prometheus_client.parser' 2>/dev/null; then PY=$candidate; break; fi
done
if [ -z "$PY" ]; then
    echo "prometheus_client not found: apt-get install python3-prometheus-client (or pip install prometheus-client)" >&2
    exit 1
fi

echo "building LookoutBench (release)…" >&2
swift build -c release --package-path "$ROOT/Benchmarks" --product LookoutBench >&2
BIN="$(swift build -c release --package-path "$ROOT/Benchmarks" --show-bin-path)/LookoutBench"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$BIN" generate "$TMP/generated-50MB.prom" 50000000

python_parse() {
    "$PY" - "$1" "$2" <<'PYEOF'
import sys, time
from prometheus_client.parser import text_string_to_metric_families
path, min_seconds = sys.argv[1], float(sys.argv[2])
data = open(path, "rb").read()
text = data.decode("utf-8")
iterations, samples = 0, 0
start = time.perf_counter()
while True:
    samples = sum(len(f.samples) for f in text_string_to_metric_families(text))
    iterations += 1
    elapsed = time.perf_counter() - start
    if elapsed >= min_seconds:
        break
print("mbps=%.1f samples=%d bytes=%d" % (len(data) * iterations / elapsed / 1e6, samples, len(data)))
PYEOF
}

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; }

printf '%-34s %12s %16s %8s %10s %14s\n' "input" "Lookout MB/s" "prometheus_client" "ratio" "samples" "pull-only MB/s"
for input in "$ROOT/Benchmarks/Fixtures/node_exporter.prom" "$TMP/generated-50MB.prom"; do
    ours=$("$BIN" parse "$input" "$SECONDS_EACH")
    pull=$("$BIN" pull "$input" "$SECONDS_EACH")
    theirs=$(python_parse "$input" "$SECONDS_EACH")
    o=$(field mbps "$ours"); t=$(field mbps "$theirs")
    os=$(field samples "$ours"); ts=$(field samples "$theirs")
    ratio=$(awk -v a="$o" -v b="$t" 'BEGIN { printf "%.1fx", a / b }')
    name="$(basename "$input") ($(( $(field bytes "$ours") / 1024 )) KiB)"
    printf '%-34s %12s %16s %8s %10s %14s\n' "$name" "$o" "$t" "$ratio" "$os" "$(field mbps "$pull")"
    if [ "$os" != "$ts" ]; then
        echo "  note: sample counts differ (Lookout $os, prometheus_client $ts)" >&2
    fi
done

echo
echo "ingestion: 480 scrapes (2 h at 15 s) of the node_exporter body into a MemoryStore"
echo "  modelled values:   $("$BIN" ingest 480)"
echo "  every value noisy: $("$BIN" ingest 480 --noisy)"
