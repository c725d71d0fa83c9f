#!/usr/bin/env bash
# Builds raftsim with AddressSanitizer and UndefinedBehaviorSanitizer in ./build-asan (gcc)
# and runs tests, a short sweep and a short model check under them; any report fails
# (undefined behaviour aborts instead of recovering, leaks count).
#
# Usage: tools/sanitize.sh [TEST...]
#   no TEST     build everything and run every test suite
#   TEST...     build only what those meson tests need (and the raftsim binary) and run
#               them, e.g. `tools/sanitize.sh core sim traces scenario` (tools/test.sh's
#               bounded CI run)
#   SANITIZE_SWEEP_COUNT=N  seeds of the sweep (default 100; --nodes 1..5)
#   SANITIZE_EXCLUDE=F      doctest test cases to leave out (a --test-case-exclude filter,
#               e.g. 'bugs: the sweep catches*,shrink_isDeterministic'); all run by default
#   SANITIZE_BUILD_DIR=DIR  an existing ASan+UBSan build to use instead of ./build-asan:
#               tools/test.sh passes build-fuzz (clang, tools/fuzz.sh), which is one, so
#               that CI compiles the project once for both
# Prints `sanitize tests: ...`, `sanitize runs: ok|FAILED (...)` and, last,
# `sanitize: ok` or `sanitize: FAILED (...)`.
set -uo pipefail
cd "$(dirname "$0")/.."
tests=("$@")
sweep_count=${SANITIZE_SWEEP_COUNT:-100}
dir=${SANITIZE_BUILD_DIR:-build-asan}

bash tools/setup.sh >/dev/null || { echo "sanitize: FAILED (setup)"; exit 1; }

if [[ $dir != build-asan ]]; then
    grep -q -- "-fsanitize=address" "$dir/build.ninja" 2>/dev/null &&
        grep -q -- "-fsanitize=[a-z,]*undefined" "$dir/build.ninja" ||
        { echo "sanitize: FAILED ($dir is not an ASan+UBSan build)"; exit 1; }
elif [[ ! -f build-asan/build.ninja ]]; then
    meson setup build-asan -Dwerror=true -Dbuildtype=debugoptimized -Db_ndebug=false \
        -Db_sanitize=address,undefined -Db_lundef=false \
        -Dcpp_args=-fno-sanitize-recover=undefined -Dcpp_link_args=-fno-sanitize-recover=undefined \
        >/dev/null || { echo "sanitize: FAILED (configure)"; exit 1; }
fi

# The ninja targets the chosen tests run and depend on, from meson's introspection.
targets=()
if ((${#tests[@]})); then
    mapfile -t targets < <(meson introspect "$dir" --tests --targets | python3 -c '
import json, os, sys
data = json.load(sys.stdin)
wanted = set(sys.argv[2:])
by_id = {t["id"]: t for t in data["targets"]}
by_file = {f: t for t in data["targets"] for f in t["filename"]}
build = os.path.realpath(sys.argv[1])
chosen = [t for t in data["tests"] if t["name"] in wanted]
missing = wanted - {t["name"] for t in chosen}
if missing:
    sys.exit("no such test: " + " ".join(sorted(missing)))
out = set()
for t in chosen:
    ids = list(t.get("depends", []))
    exe = by_file.get(t["cmd"][0])
    if exe:
        ids.append(exe["id"])
    for i in ids:
        for f in by_id[i]["filename"] if i in by_id else []:
            out.add(os.path.relpath(f, build))
print("\n".join(sorted(out)))
' "$dir" "${tests[@]}") || { echo "sanitize: FAILED (unknown test in: ${tests[*]})"; exit 1; }
    targets+=(tools/raftsim/raftsim)
fi
ninja -C "$dir" "${targets[@]}" >/dev/null || {
    ninja -C "$dir" "${targets[@]}" | tail -n 40
    echo "sanitize: FAILED (build)"
    exit 1
}

# Every report aborts the process with a non-zero code; leaks count too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
test_args=()
[[ -n ${SANITIZE_EXCLUDE:-} ]] && test_args=(--test-args "--test-case-exclude='$SANITIZE_EXCLUDE'")
testlog="$dir/meson-logs/testlog.txt"
start=$SECONDS
meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes 2 --timeout-multiplier 4 "${test_args[@]}" "${tests[@]}" \
    >"$dir/meson-logs/sanitize-tests.txt" 2>&1 || failed+=("tests")
grep -E "^(Ok|Fail|Timeout):" "$dir/meson-logs/sanitize-tests.txt" | tr -s ' ' | paste -sd' ' |
    sed "s/^/sanitize tests (${tests[*]:-all}${SANITIZE_EXCLUDE:+; left out: $SANITIZE_EXCLUDE}): /; s/\$/ in $((SECONDS - start))s/"
[[ " ${failed[*]} " == *" tests "* ]] && tail -n 40 "$dir/meson-logs/sanitize-tests.txt"

raftsim="$dir"/tools/raftsim/raftsim
log="$dir/meson-logs/sanitize-runs.txt"
: >"$log"
start=$SECONDS
runs_failed=()
# A sweep and a check exit 0 (held) here; any other code, or a sanitizer line, fails.
"$raftsim" sweep --count "$sweep_count" --nodes 1..5 --jobs 2 --out "$dir/sweep-failures" >>"$log" 2>&1 ||
    runs_failed+=("sweep")
"$raftsim" check --preset tiny >>"$log" 2>&1 || runs_failed+=("check")
if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log"; then
    grep -hE -A5 "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log" | head -n 60
    runs_failed+=("sanitizer report")
fi
if ((${#runs_failed[@]})); then
    tail -n 20 "$log"
    echo "sanitize runs: FAILED (${runs_failed[*]})"
    failed+=("${runs_failed[@]}")
else
    echo "sanitize runs: ok (sweep --count $sweep_count --nodes 1..5, check --preset tiny) in $((SECONDS - start))s"
fi
if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$testlog" 2>/dev/null; then
    grep -hE -A5 "ERROR: (Address|Leak)Sanitizer|runtime error:" "$testlog" | head -n 60
    failed+=("sanitizer report in tests")
fi
if ((${#failed[@]})); then
    echo "sanitize: FAILED (${failed[*]})"
    exit 1
fi
echo "sanitize: ok"
