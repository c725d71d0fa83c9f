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

# The tree builds without libraft-dev, and --impl canonical then says why it is refused
# (one test case; RAFTSIM_NO_CANONICAL=off skips it).
if [[ ${RAFTSIM_NO_CANONICAL:-on} == off ]]; then
    echo "skipped: build without libraft-dev (RAFTSIM_NO_CANONICAL=off)"
else
    nocanonical_start=$SECONDS
    # The clang build of the comparison above is configured without canonical/raft: it
    # is checked rather than a build of its own (a debug build costs minutes on 2 cores).
    nocanonical_dir=build-nocanonical
    [[ $compilers != skipped:* && -x build-clang/tools/raftsim/raftsim ]] && nocanonical_dir=build-clang
    if NO_CANONICAL_BUILD_DIR=$nocanonical_dir bash tools/no_canonical.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
    echo "no-canonical: $((SECONDS - nocanonical_start))s"
fi

# libFuzzer on the four readers (tools/fuzz.sh; clang, ./build-fuzz) for
# RAFTSIM_FUZZ_SECONDS each (default 20) from the seed corpora: one case per harness.
# RAFTSIM_FUZZ=off skips it; without clang or libFuzzer it says it is skipped.
if [[ ${RAFTSIM_FUZZ:-on} == off ]]; then
    echo "skipped: fuzzing (RAFTSIM_FUZZ=off)"
else
    fuzz_start=$SECONDS
    bash tools/fuzz.sh "${RAFTSIM_FUZZ_SECONDS:-20}" >build/fuzz.log 2>&1
    fuzz_status=$?
    cat build/fuzz.log
    if ! grep -q "^skipped:" build/fuzz.log; then
        [[ -x build-fuzz/tools/fuzz/fuzz_cli ]] && fuzz_built=yes
        echo "fuzz: took $((SECONDS - fuzz_start))s"
        ok=$(grep -cE "^fuzz [a-z_]+: .*no crash" build/fuzz.log)
        bad=$(grep -cE "^fuzz [a-z_]+: (crash|hang|out-of-memory)" build/fuzz.log)
        passed=$((passed + ok))
        failed=$((failed + bad))
        if ((fuzz_status != 0)); then
            status=1
            ((bad > 0)) || failed=$((failed + 1))
        fi
    fi
fi

# Under ASan and UBSan (tools/sanitize.sh): by default a bounded run, the core, sim,
# traces and scenario suites and a short sweep and check; RAFTSIM_SANITIZE=all runs every
# suite, RAFTSIM_SANITIZE=off skips it. It uses build-fuzz when the fuzz step built it (an
# ASan+UBSan build already: the project is compiled once for both), ./build-asan (gcc)
# otherwise. Its doctest cases count, and the sweep and check together count as one case.
sanitize_mode=${RAFTSIM_SANITIZE:-bounded}
if [[ $sanitize_mode == off ]]; then
    echo "skipped: sanitizers (RAFTSIM_SANITIZE=off)"
else
    suites=(core sim traces scenario)
    [[ $sanitize_mode == all ]] && suites=()
    sanitize_dir=build-asan
    [[ ${fuzz_built:-no} == yes ]] && sanitize_dir=build-fuzz
    rm -f "$sanitize_dir/meson-logs/testlog.txt"
    sanitize_start=$SECONDS
    # The bounded run leaves out the cases that repeat whole sweeps or shrinks (the bug
    # switches' seed budgets, the largest shrinks): they run unsanitized above, and under
    # the sanitizers they took most of its time; the sanitized sweep below covers the loop.
    exclude=""
    [[ $sanitize_mode == bounded ]] &&
        exclude="bugs: the sweep catches every switch*,shrink_sweepFailureWithManyRequests*,shrink_isDeterministic,export html: a model trace*"
    SANITIZE_BUILD_DIR=$sanitize_dir SANITIZE_EXCLUDE=$exclude \
        bash tools/sanitize.sh "${suites[@]}" >build/sanitize.log 2>&1
    sanitize_status=$?
    grep -v "^sanitize: " build/sanitize.log | tail -n 60
    echo "$(tail -n 1 build/sanitize.log) ($((SECONDS - sanitize_start))s)"
    ((sanitize_status == 0)) || status=1
    asan_log=$sanitize_dir/meson-logs/testlog.txt
    if [[ -f $asan_log ]]; then
        while read -r p f; do
            passed=$((passed + p))
            failed=$((failed + f))
        done < <(sed -n 's/.*\[doctest\] test cases: *[0-9]* | *\([0-9]*\) passed | *\([0-9]*\) failed.*/\1 \2/p' "$asan_log")
    fi
    if grep -q "^sanitize runs: ok" build/sanitize.log; then
        passed=$((passed + 1))
        # It failed, yet no run and no doctest case did: a suite crashed or timed out.
        if ((sanitize_status != 0)) &&
            ! grep -qE "\[doctest\] test cases:.*\| *[1-9][0-9]* failed" "$asan_log" 2>/dev/null; then
            failed=$((failed + 1))
        fi
    else
        failed=$((failed + 1))  # the runs failed, or nothing ran (setup, build)
    fi
fi

echo "tests: ${passed} passed, ${failed} failed"
((status == 0 && failed == 0))
