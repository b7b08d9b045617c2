#!/usr/bin/env bash
# Parse throughput of Lookout's exposition parser beside Python's prometheus_client parser
# (text_string_to_metric_families), on the same bytes, measured in one run; then ingestion speed
# and bytes per stored sample of the MemoryStore.
#
#   scripts/bench-parse.sh [SECONDS_PER_MEASUREMENT]   (default 3)
#
# BENCH_BIN=path: use that LookoutBench instead of building one (to compare two builds in one
# sitting). LOOKOUT_BIN=path: also time the whole process, `lookout query` scraping a generated
# body of 90,000 series (under the default limit of 100,000 per target; the 50 MB body is over it,
# so its scrape would be rejected) from file://, beside Python parsing the same bytes.
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

if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN
else
    echo "building LookoutBench (release)…" >&2
    swift build -c release --package-path "$ROOT/Benchmarks" --product LookoutBench >&2
    BIN="$(swift build -c release --package-path "$ROOT/Benchmarks" --show-bin-path)/LookoutBench"
fi

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

if [ -n "${LOOKOUT_BIN:-}" ]; then
    # The first 90,000 samples of the generated body, cut before a family's HELP line.
    awk '/^# HELP/ && n >= 90000 { exit } { print } !/^#/ { n++ }' "$TMP/generated-50MB.prom" > "$TMP/generated-90k.prom"
    bytes=$(wc -c < "$TMP/generated-90k.prom")
    start=$(date +%s.%N)
    count=$("$LOOKOUT_BIN" query 'count({__name__=~".+"})' --scrape "file://$TMP/generated-90k.prom")
    end=$(date +%s.%N)
    theirs=$(python_parse "$TMP/generated-90k.prom" 0)
    t=$(field mbps "$theirs")
    awk -v b="$bytes" -v s="$start" -v e="$end" -v t="$t" -v c="$count" 'BEGIN {
        w = e - s; printf "\nwhole process: lookout query over %d bytes (90,000 series): %.2f s (%.1f MB/s; %s); prometheus_client parse alone: %.2f s (%.1f MB/s); ratio %.2fx\n",
            b, w, b / w / 1e6, c, b / t / 1e6, t, (b / w / 1e6) / t }'
fi

echo
echo "ingestion: 480 scrapes (2 h at 15 s) of the node_exporter body into a MemoryStore"
echo "  modelled values:   $("$BIN" ingest 480)"
echo "  every value noisy: $("$BIN" ingest 480 --noisy)"
