#!/usr/bin/env bash
# Parse throughput of Lookout's exposition parser beside Python's prometheus_client parser
# (text_string_to_metric_families), on the same bytes, measured in one run; then ingestion speed
# and bytes per stored sample of the MemoryStore.
#
#   scripts/bench-parse.sh [SECONDS_PER_MEASUREMENT]   (default 3)
#
# BENCH_BIN=path: use that LookoutBench instead of building one (to compare two builds in one
# sitting). LOOKOUT_BIN=path: also time whole processes, `lookout query` scraping a file from
# file:// beside Python reading and parsing it: 50 MB of real node_exporter bodies (the issue's
# measure), the same with a host label per body (all series new), and 90,000 generated series.
#
# Inputs: Benchmarks/Fixtures/node_exporter.prom (a real capture), 50 MB of it repeated (with and
# without a host label per copy) and a 50 MB body generated at run time (none committed). Python's
# time excludes UTF-8 decoding of the bytes (its parser needs a str). "Lookout MB/s" is the full
# parse into samples with label sets; "pull-only" is the streaming parser alone, for reference; the
# ratio compares the full parse. Then the scraper's own path in process (pull parser, scrape cache,
# store: what a scrape does), a target's first scrape and the same body scraped again.
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

# The issue's measure: 50 MB of real exporter bodies (the node_exporter capture, repeated).
: > "$TMP/real-50MB.prom"
while [ "$(wc -c < "$TMP/real-50MB.prom")" -lt 50000000 ]; do
    for _ in $(seq 50); do cat "$ROOT/Benchmarks/Fixtures/node_exporter.prom"; done >> "$TMP/real-50MB.prom"
done
# The same bodies as from many hosts: every copy's series get their own `host`, all new series.
first=$(head -1 "$ROOT/Benchmarks/Fixtures/node_exporter.prom")
awk -v first="$first" '$0 == first { n++ } /^#/ || NF == 0 { print; next }
     /^[^ ]*\{/ { sub(/\{/, "{host=\"h" n "\","); print; next } { sub(/ /, "{host=\"h" n "\"} "); print }' \
    "$TMP/real-50MB.prom" > "$TMP/real-hosts-50MB.prom"

# The scraper's own path in process (LookoutBench scrape: parser, scrape cache, store), without what
# a whole process adds around it (start-up, reading the file, giving the pages back at exit).
echo
echo "the scraper's path in process beside Python's parse of the same bytes (MB/s):"
for input in "$TMP/real-50MB.prom" "$TMP/real-hosts-50MB.prom"; do
    t=$(field mbps "$(python_parse "$input" "$SECONDS_EACH")")
    name=$([ "$input" = "$TMP/real-50MB.prom" ] && echo "node_exporter body repeated" || echo "node_exporter body, a host label per copy")
    for mode in first repeated; do
        ours=$("$BIN" scrape "$input" "$SECONDS_EACH" $([ "$mode" = repeated ] && echo --repeated))
        o=$(field mbps "$ours")
        awk -v n="$name, $mode scrape" -v o="$o" -v t="$t" 'BEGIN { printf "  %-56s lookout %7.1f  python %6.1f  ratio %5.1fx\n", n, o, t, o / t }'
    done
done

if [ -n "${LOOKOUT_BIN:-}" ]; then
    # Whole processes on the same file, wall time, best of three each, alternated: `lookout query`
    # scraping it from file:// (start-up, read, parse, ingest, query, exit) and Python reading and
    # parsing it. series_limit is raised so that bodies of more than 100,000 samples are taken.
    printf 'series_limit: 500000\n' > "$TMP/limit.yaml"
    cat > "$TMP/parse.py" <<'PYEOF'
import sys
from prometheus_client.parser import text_string_to_metric_families
print(sum(len(f.samples) for f in text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read())))
PYEOF
    wall() { local s e; s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
    whole() {  # whole FILE LABEL
        local best_l=999999 best_p=999999 l p k
        for k in 1 2 3; do
            l=$(wall "$LOOKOUT_BIN" query 'count({__name__=~".+"})' --config "$TMP/limit.yaml" --scrape "file://$1")
            p=$(wall "$PY" "$TMP/parse.py" "$1")
            [ "$l" -lt "$best_l" ] && best_l=$l
            [ "$p" -lt "$best_p" ] && best_p=$p
        done
        # Once more for the answer and the largest resident set (KiB) of each process.
        local answer rss_l rss_p
        answer=$(/usr/bin/time -f %M -o "$TMP/rss" "$LOOKOUT_BIN" query 'count({__name__=~".+"})' --config "$TMP/limit.yaml" --scrape "file://$1" 2>&1)
        rss_l=$(tail -1 "$TMP/rss")
        /usr/bin/time -f %M -o "$TMP/rss" "$PY" "$TMP/parse.py" "$1" > /dev/null
        rss_p=$(tail -1 "$TMP/rss")
        awk -v n="$2" -v b="$(wc -c < "$1")" -v l="$best_l" -v p="$best_p" -v a="$answer" -v rl="$rss_l" -v rp="$rss_p" 'BEGIN {
            printf "  %-58s %6.1f MB  lookout %5d ms %5d MB  python %5d ms %5d MB  ratio %5.1fx  (%s)\n",
                n, b / 1e6, l, rl / 1024, p, rp / 1024, p / l, a }'
    }
    # The first 90,000 samples of the generated body, cut before a family's HELP line.
    awk '/^# HELP/ && n >= 90000 { exit } { print } !/^#/ { n++ }' "$TMP/generated-50MB.prom" > "$TMP/generated-90k.prom"
    echo
    echo "whole process (best of 3 wall times each, then the largest resident set; the answer is lookout's count of series):"
    whole "$TMP/real-50MB.prom" "node_exporter body repeated (series repeat in the body)"
    whole "$TMP/real-hosts-50MB.prom" "node_exporter body per host (every series new)"
    whole "$TMP/generated-90k.prom" "generated, 90,000 series"
fi

echo
echo "ingestion: 480 scrapes (2 h at 15 s) of the node_exporter body into a MemoryStore"
echo "  modelled values:   $("$BIN" ingest 480)"
echo "  every value noisy: $("$BIN" ingest 480 --noisy)"
