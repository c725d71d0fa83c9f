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

# The clang build prints what the gcc build prints (one test case; skipped without clang).
compilers=$(bash tools/compare_compilers.sh 2>&1)
compilers_status=$?
echo "$compilers"
if [[ $compilers != skipped:* ]]; then
    if ((compilers_status == 0)); then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
fi

# Under ASan and UBSan (tools/sanitize.sh), when RAFTSIM_SANITIZE is set: "all" runs
# every suite, anything else the core, sim and traces suites. Its doctest cases count.
if [[ -n ${RAFTSIM_SANITIZE:-} ]]; then
    suites=(core sim traces)
    [[ $RAFTSIM_SANITIZE == all ]] && suites=()
    bash tools/sanitize.sh "${suites[@]}" || status=1
    asan_log=build-asan/meson-logs/testlog.txt
    if [[ -f $asan_log ]]; then
        while read -r p f; do
            passed=$((passed + p))
            failed=$((failed + f))
        done < <(sed -n 's/.*\[doctest\] test cases: *[0-9]* | *\([0-9]*\) passed | *\([0-9]*\) failed.*/\1 \2/p' "$asan_log")
    fi
    ((status == 0 || failed > 0)) || failed=1
fi
echo "tests: ${passed} passed, ${failed} failed"
((status == 0 && failed == 0))
