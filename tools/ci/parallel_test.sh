#!/usr/bin/env bash
# tools/ci/parallel_sweep.sh as a user runs it: 3 shards under GNU parallel, merged, equal
# to one process (text and JSON). Skipped, saying why, without GNU parallel.
# Usage: parallel_test.sh RAFTSIM SOURCE_ROOT. Prints a doctest-style summary line.
set -uo pipefail
raftsim=$(readlink -f "$1")
src=$(cd "$2" && pwd)
if ! command -v parallel >/dev/null; then
    echo "parallel: SKIPPED: GNU parallel is not installed (apt-get install parallel)"
    echo "[doctest] test cases: 1 | 0 passed | 0 failed | 1 skipped"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/raftsim-parallel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sweep=(--seeds 1..30 --nodes 1..5 --time 1 --liveness 2 --bug vote-no-log-check --max-reports 2)
cd "$tmp"
merged=$(RAFTSIM=$raftsim RAFTSIM_SUMMARIES=$tmp/s CI=true bash "$src/tools/ci/parallel_sweep.sh" 3 "${sweep[@]}" 2>/dev/null)
merged_code=$?
one=$(CI=true "$raftsim" sweep "${sweep[@]}" --out "$tmp/s/reports" --json-summary "$tmp/one.json" 2>/dev/null)
one_code=$?
if [[ $merged_code == "$one_code" && $merged == "$one" ]] && cmp -s "$tmp/s/merged.json" "$tmp/one.json"; then
    echo "parallel: PASS: 3 shards under GNU parallel merged equal one process (exit $merged_code)"
    echo "[doctest] test cases: 1 | 1 passed | 0 failed | 0 skipped"
else
    echo "parallel: FAIL: exit $merged_code vs $one_code"
    diff <(echo "$one") <(echo "$merged") | head -n 20
    echo "[doctest] test cases: 1 | 0 passed | 1 failed | 0 skipped"
    exit 1
fi
