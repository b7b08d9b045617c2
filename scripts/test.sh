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

# Three stages, so that no test measures another's load or waits for another's threads:
# - the data sources' fault and timeout tests, on their own (on a 2-core machine the rest of the
#   suite beside them would only measure the machine's load);
# - the end-to-end tests, which drive the real binary (in tmux, or against the real monitoring
#   stack), in four processes (below);
# - everything else.
status=0
# Every stage's output is also kept in one log, so that the last lines (all a CI record may keep)
# can name the stages and tests that failed.
summary=.build/test-summary.log
: >"$summary"
failed_stage() { status=1; echo "FAILED STAGE: $1" >>"$summary"; }
# Tests that skip for a missing tool append a line here (Tests/TestSupport/Tools.swift); under CI=true
# they fail instead.
rm -f .build/skipped-tests.txt
swift test --skip-build --filter DataSourcesTests 2>&1 | tee -a "$summary"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed_stage "data sources' fault and timeout tests"
# The end-to-end tests drive the real binary and real servers and mostly wait. They run as four
# processes side by side, each one test at a time: in one parallel process, synchronous tests that
# wait on child processes hold both threads of the cooperative pool of a 2-core machine, and the
# async tests beside them (the incident story's frame loop, time limits) starved.
bundle=.build/debug/LookoutPackageTests.xctest
heavy='IncidentEndToEndTests|RealDashboardsTests|InvestigateEndToEndTests|RecordEndToEndTests|InstallEndToEndTests|ExportEndToEndTests|SaveKeyEndToEndTests'
e2e_pids=()
e2e_logs=()
run_e2e() {  # LOG, then the bundle's filter arguments
    local log=$1; shift
    "$bundle" --testing-library swift-testing --no-parallel "$@" >"$log" 2>&1 &
    e2e_pids+=($!)
    e2e_logs+=("$log")
}
run_e2e .build/e2e-incident.log --filter 'EndToEndTests\.IncidentEndToEndTests'
run_e2e .build/e2e-dashboards.log --filter 'RealDashboardsTests|InvestigateEndToEndTests'
run_e2e .build/e2e-record.log --filter 'RecordEndToEndTests|InstallEndToEndTests|ExportEndToEndTests|SaveKeyEndToEndTests'
run_e2e .build/e2e-rest.log --filter 'EndToEndTests\.' --skip "$heavy"
for i in "${!e2e_pids[@]}"; do
    wait "${e2e_pids[$i]}" || failed_stage "end-to-end (${e2e_logs[$i]})"
    tee -a "$summary" <"${e2e_logs[$i]}"
done
swift test --skip-build --skip DataSourcesTests --skip EndToEndTests 2>&1 | tee -a "$summary"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed_stage "the rest of the suite"
if [ -s .build/skipped-tests.txt ]; then
    echo "skipped: $(sed 's/^SKIPPED //; s/ (under CI=true this fails)$//' .build/skipped-tests.txt | sort -u | paste -sd ';' -)"
else
    echo "skipped: none"
fi
if [ "$status" -ne 0 ]; then
    echo "== what failed (from $summary) =="
    grep -E '^FAILED STAGE|✘|Fatal error|Crashed|signal code' "$summary" | head -60
fi
exit "$status"
