#!/usr/bin/env bash
# Builds raftsim with AddressSanitizer and UndefinedBehaviorSanitizer in ./build-asan and
# runs the test suite, a short sweep and a short model check under them; any report fails
# (undefined behaviour aborts instead of recovering). Arguments go to `meson test`, e.g.
# `tools/sanitize.sh --suite core` for a reduced suite. The last line reads
# `sanitize: ok` or `sanitize: FAILED (...)`.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh >/dev/null || { echo "sanitize: FAILED (setup)"; exit 1; }

if [[ ! -f build-asan/build.ninja ]]; then
    meson setup build-asan -Dwerror=true -Dbuildtype=debugoptimized -Db_ndebug=false \
        -Db_sanitize=address,undefined -Db_lundef=false \
        -Dcpp_args=-fno-sanitize-recover=undefined -Dcpp_link_args=-fno-sanitize-recover=undefined \
        >/dev/null || { echo "sanitize: FAILED (configure)"; exit 1; }
fi
ninja -C build-asan >/dev/null || { ninja -C build-asan | tail -n 40; echo "sanitize: FAILED (build)"; exit 1; }

# Every report aborts the process with a non-zero code; leaks count too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 4 "$@" || failed+=("tests")
raftsim=build-asan/tools/raftsim/raftsim
log=build-asan/meson-logs/sanitize-runs.txt
: >"$log"
# A sweep and a check exit 0 (held) here; any other code, or a sanitizer line, fails.
"$raftsim" sweep --count 100 --nodes 1..5 --jobs 2 --out build-asan/sweep-failures >>"$log" 2>&1 || failed+=("sweep")
"$raftsim" check --preset tiny >>"$log" 2>&1 || failed+=("check")
if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log" build-asan/meson-logs/testlog.txt; then
    grep -hE -A5 "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log" build-asan/meson-logs/testlog.txt | head -n 60
    failed+=("sanitizer report")
fi
if ((${#failed[@]})); then
    tail -n 20 "$log"
    echo "sanitize: FAILED (${failed[*]})"
    exit 1
fi
echo "sanitize: ok"
