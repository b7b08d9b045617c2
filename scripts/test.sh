#!/usr/bin/env bash
# Quick start: install what the tests need, then run every test.
# Tests that need the real monitoring stack (Prometheus and exporters) start it on loopback
# themselves and stop it after; the end-to-end tests drive the built binary in tmux.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test || exit 1
swift build --build-tests || exit 1
swift build --product lookout || exit 1

# The fault and timeout tests of the data sources run first, on their own: on a 2-core machine
# the rest of the suite running beside them would only measure the machine's load.
status=0
swift test --skip-build --filter DataSourcesTests || status=1
swift test --skip-build --skip DataSourcesTests || status=1
exit "$status"
