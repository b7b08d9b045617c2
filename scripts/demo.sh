#!/usr/bin/env bash
# Quick start: install what is missing, build, and open the dashboard on the built-in demo service.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product lookout
exec .build/release/lookout demo "$@"
