#!/usr/bin/env bash
# Quick start: install what the tests need, then run every test.
# Tests that need the real monitoring stack (Prometheus and exporters) start it on loopback
# themselves and stop it after; the end-to-end tests drive the built binary in tmux.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
swift build --build-tests
swift build --product lookout
swift test --skip-build
