#!/usr/bin/env bash
# The gcc build (./build) and a clang build (./build-clang, configured without
# canonical/raft and built here when clang++-14 is present) print the same sweep summary and the same event hashes for the
# same seeds. Prints `compilers: same output` or what differs; `skipped: <reason>` when
# clang++-14 is absent. Usage: tools/compare_compilers.sh [gcc-build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
gcc_build=${1:-build}
clang=${CLANG_CXX:-clang++-14}

if ! command -v "$clang" >/dev/null; then
    echo "skipped: $clang is not installed"
    exit 0
fi
if [[ ! -x $gcc_build/tools/raftsim/raftsim ]]; then
    echo "skipped: no gcc build in $gcc_build (run tools/setup.sh)"
    exit 0
fi
# Without canonical/raft: the core's output is what is compared, and tools/test.sh then
# checks this same build for the one-line refusal of --impl canonical (no_canonical.sh),
# so that the tree is seen to build without libraft-dev at no extra build.
if [[ ! -f build-clang/build.ninja ]]; then
    CXX=$clang meson setup build-clang -Dwerror=true -Dcanonical=disabled >/dev/null
else
    meson configure build-clang -Dcanonical=disabled >/dev/null
fi
if ! ninja -C build-clang tools/raftsim/raftsim >"${TMPDIR:-/tmp}/raftsim-clang-build.log" 2>&1; then
    grep -E "error|FAILED" -A3 "${TMPDIR:-/tmp}/raftsim-clang-build.log" | head -n 30
    echo "compilers: the clang build failed"
    exit 1
fi

# What a build prints for the sweep and for a few single seeds (their event hash lines).
outputs() {
    local raftsim=$1/tools/raftsim/raftsim
    "$raftsim" sweep --count 200 --jobs 2 2>/dev/null || true
    for seed in 1 7 42 1000 123456; do
        "$raftsim" run --seed "$seed" 2>/dev/null | grep -E "^raftsim run|event hash|^verdict" || true
    done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
outputs "$gcc_build" >"$tmp/gcc"
outputs build-clang >"$tmp/clang"
if ! grep -q "event hash" "$tmp/gcc"; then
    echo "compilers: the gcc build printed no event hash"
    exit 1
fi
if diff -u "$tmp/gcc" "$tmp/clang" >"$tmp/diff"; then
    echo "compilers: gcc and clang print the same sweep summary and event hashes ($(grep -c 'event hash' "$tmp/gcc") seeds)"
else
    head -n 40 "$tmp/diff"
    echo "compilers: gcc and clang builds differ"
    exit 1
fi
