#!/usr/bin/env bash
# The tree builds without libraft-dev: checks the build in $NO_CANONICAL_BUILD_DIR (tools/test.sh
# passes the clang build of compare_compilers.sh, configured so), or configures ./build-nocanonical with
# -Dcanonical=disabled (no tests, a debug build: it only has to compile), builds the
# raftsim binary, and checks that every command taking --impl canonical refuses it with
# one line naming libraft-dev and exit 2. Prints `no-canonical: ok` or what failed.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${NO_CANONICAL_BUILD_DIR:-build-nocanonical}

if [[ ! -f $dir/build.ninja ]]; then
    meson setup "$dir" -Dcanonical=disabled -Dtests=false -Dbuildtype=debug -Dwerror=true >"${TMPDIR:-/tmp}/raftsim-nocanonical-setup.log" 2>&1 ||
        { echo "no-canonical: meson setup failed (see ${TMPDIR:-/tmp}/raftsim-nocanonical-setup.log)"; exit 1; }
fi
ninja -C "$dir" tools/raftsim/raftsim >"${TMPDIR:-/tmp}/raftsim-nocanonical-build.log" 2>&1 ||
    { tail -n 20 "${TMPDIR:-/tmp}/raftsim-nocanonical-build.log"; echo "no-canonical: the build failed"; exit 1; }

failed=0
for args in "run --seed 1 --impl canonical" "sweep --count 1 --impl canonical" "check --preset tiny --impl canonical"; do
    err=$("$dir/tools/raftsim/raftsim" $args 2>&1 >/dev/null)
    rc=$?
    lines=$(printf '%s\n' "$err" | wc -l)
    if [[ $rc != 2 || $lines != 1 || $err != *"lacks libraft-dev"* ]]; then
        echo "no-canonical: raftsim $args: exit $rc, stderr: $err"
        failed=1
    fi
done
((failed == 0)) && echo "no-canonical: ok"
exit $failed
