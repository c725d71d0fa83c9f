#!/usr/bin/env bash
# Uses raftsim as a library two ways, each building tools/consumer/consumer.cpp (a 3-node
# World) and running it:
#   subproject: a fresh meson project with subprojects/raftsim linked to this source tree,
#               raftsim configured with -Dtests=false -Dtools=false (core and simulator
#               only, none of the test or tool dependencies looked up), built at -O0;
#   install:    `meson install --destdir` of the build directory BUILD (built already:
#               nothing is compiled again), then the consumer compiled with the flags of
#               the installed raftsim-sim.pc (PKG_CONFIG_PATH, PKG_CONFIG_SYSROOT_DIR).
# Usage: consumer_test.sh SOURCE_ROOT BUILD_DIR. Prints a doctest-style summary so that
# tools/test.sh counts the two cases.
set -uo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/raftsim-consumer.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
pass() { echo "consumer: PASS $1"; passed=$((passed + 1)); }
fail() { echo "consumer: FAIL $1"; failed=$((failed + 1)); }

# 1. raftsim as a meson subproject.
subproject_case() {
    local proj=$tmp/proj
    mkdir -p "$proj/subprojects"
    cp "$src/tools/consumer/meson.build" "$src/tools/consumer/consumer.cpp" "$proj/"
    ln -s "$src" "$proj/subprojects/raftsim"
    if ! meson setup --force-fallback-for=raftsim-sim,raftsim-core "$proj/build" "$proj" >"$tmp/setup.log" 2>&1; then
        cat "$tmp/setup.log"
        return 1
    fi
    # A library-only raftsim looks up none of the tests' and tools' dependencies.
    if grep -Ei 'dependency (doctest|rapidcheck|cli11|nlohmann_json|cpp-httplib)' "$tmp/setup.log"; then
        echo "consumer: the library-only configure looked up a test or tool dependency (above)"
        return 1
    fi
    ninja -C "$proj/build" >"$tmp/ninja.log" 2>&1 || { cat "$tmp/ninja.log"; return 1; }
    # Only the consumer and the two libraries were built.
    local built
    built=$(find "$proj/build" -name '*.a' -o -name 'consumer' -type f | sed "s|$proj/build/||" | sort | tr '\n' ' ')
    echo "consumer: subproject built: $built"
    [[ $built == "consumer subprojects/raftsim/core/libraftsim_core.a subprojects/raftsim/sim/libraftsim_props.a subprojects/raftsim/sim/libraftsim_sim.a " ]] ||
        { echo "consumer: expected only the consumer and the core, props and sim libraries"; return 1; }
    "$proj/build/consumer"
}

# 2. an installed raftsim through pkg-config.
install_case() {
    local dest=$tmp/dest
    meson install -C "$build" --no-rebuild --destdir "$dest" >"$tmp/install.log" 2>&1 ||
        { cat "$tmp/install.log"; return 1; }
    local pc
    pc=$(find "$dest" -name raftsim-sim.pc -print -quit)
    [[ -n $pc && -f $(dirname "$pc")/raftsim-core.pc ]] || { echo "consumer: no raftsim-sim.pc / raftsim-core.pc installed"; return 1; }
    local h
    for h in raftsim/core/node.hpp raftsim/sim/world.hpp raftsim/raftsim_version.hpp; do
        [[ -n $(find "$dest" -path "*/include/$h" -print -quit) ]] || { echo "consumer: $h not installed"; return 1; }
    done
    local flags
    flags=$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest pkg-config --cflags --libs raftsim-sim) ||
        return 1
    echo "consumer: pkg-config --cflags --libs raftsim-sim: $flags"
    # Every installed header, in one translation unit: all their own includes resolve.
    (cd "$dest" && find . -path '*/include/raftsim/*.hpp' | sed 's|.*/include/raftsim/\(.*\)|#include "\1"|' | sort) \
        >"$tmp/all_headers.cpp"
    echo "consumer: $(wc -l <"$tmp/all_headers.cpp") installed headers"
    (cd "$tmp" && c++ -std=c++20 -fsyntax-only all_headers.cpp $flags) || return 1
    # A copy of the program, so that only the installed headers can be found.
    cp "$src/tools/consumer/consumer.cpp" "$tmp/"
    (cd "$tmp" && c++ -std=c++20 -O1 -o consumer-installed consumer.cpp $flags) || return 1
    [[ $flags == *"$dest"* ]] || { echo "consumer: the flags do not point into the install"; return 1; }
    "$tmp/consumer-installed"
}

if subproject_case; then pass subproject; else fail subproject; fi
if install_case; then pass install; else fail install; fi
echo "[doctest] test cases: $((passed + failed)) | $passed passed | $failed failed | 0 skipped"
((failed == 0))
