#!/usr/bin/env bash
# Quick start: install what the tests need, then run every test.
# Tests that need the real monitoring stack (Prometheus and exporters) start it on loopback
# themselves and stop it after; the end-to-end tests drive the built binary in tmux.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test || exit 1
swift build --build-tests || exit 1
swift build --product lookout || exit 1
# The man page the install test packages (generate-manual plugin); built here because the tests run
# while `swift test` holds SwiftPM's lock.
swift package plugin generate-manual --configuration debug >/dev/null || exit 1

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
# The incident story (about four minutes of an async test waking every 500 ms) runs in a process of
# its own, beside the other end-to-end tests: in one process, synchronous tests that wait on child
# processes hold both threads of the cooperative pool of a 2-core machine, and the story's frames
# were not looked at until they finished.
incident_log=.build/incident-e2e.log
.build/debug/LookoutPackageTests.xctest --testing-library swift-testing \
    --filter IncidentEndToEndTests >"$incident_log" 2>&1 &
incident_pid=$!
swift test --skip-build --filter EndToEndTests --skip IncidentEndToEndTests || status=1
wait "$incident_pid" || status=1
cat "$incident_log"
swift test --skip-build --skip DataSourcesTests --skip EndToEndTests || status=1
if [ -s .build/skipped-tests.txt ]; then
    echo "skipped: $(sed 's/^SKIPPED //; s/ (under CI=true this fails)$//' .build/skipped-tests.txt | sort -u | paste -sd ';' -)"
else
    echo "skipped: none"
fi
exit "$status"
