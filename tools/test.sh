#!/usr/bin/env bash
# Runs every test of raftsim (installing and building first). The last line reads
# `tests: N passed, N failed`, counting test cases across all suites.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh || { echo "tests: 0 passed, 1 failed"; exit 1; }

meson test -C build --print-errorlogs --num-processes 2 "$@"
status=$?

log=build/meson-logs/testlog.txt
passed=0
failed=0
while read -r p f; do
    passed=$((passed + p))
    failed=$((failed + f))
done < <(sed -n 's/.*\[doctest\] test cases: *[0-9]* | *\([0-9]*\) passed | *\([0-9]*\) failed.*/\1 \2/p' "$log")
# A suite that crashed prints no doctest summary: count it as failed.
if ((status != 0 && failed == 0)); then
    failed=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    ((failed > 0)) || failed=1
fi
echo "tests: ${passed} passed, ${failed} failed"
((status == 0 && failed == 0))
