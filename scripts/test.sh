#!/usr/bin/env bash
# Quick start: install what the tests need, then run every test.
# Tests that need the real monitoring stack (Prometheus and exporters) start it on loopback
# themselves and stop it after; the end-to-end tests drive the built binary in tmux.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test || exit 1
swift build --build-tests || exit 1
swift build --product lookout || exit 1

# Three runs, so that no test measures another's load or waits for another's threads:
# - the data sources' fault and timeout tests, on their own (on a 2-core machine the rest of the
#   suite beside them would only measure the machine's load);
# - the end-to-end tests, which drive the real binary (in tmux, or against the real monitoring
#   stack) and block their test threads for minutes, which on two cores would starve the in-process
#   servers of the other tests;
# - everything else.
status=0
# Tests that skip for a missing tool append a line here (Tests/TestSupport/Tools.swift); under CI=true
# they fail instead.
rm -f .build/skipped-tests.txt
swift test --skip-build --filter DataSourcesTests || status=1
swift test --skip-build --filter EndToEndTests || status=1
swift test --skip-build --skip DataSourcesTests --skip EndToEndTests || status=1
if [ -s .build/skipped-tests.txt ]; then
    echo "skipped: $(sed 's/^SKIPPED //; s/ (under CI=true this fails)$//' .build/skipped-tests.txt | sort -u | paste -sd ';' -)"
else
    echo "skipped: none"
fi
exit "$status"
