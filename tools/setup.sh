#!/usr/bin/env bash
# Installs the Debian packages raftsim needs (only the missing ones), then configures and
# builds it in ./build. Safe to run again: it does only what is left to do.
#   --tools-only: only what the raftsim binary needs (no test dependencies, no browser,
#                 no Slurm), configured with -Dtests=false, building the binary alone;
#                 for images and sweep machines (tools/ci/Containerfile).
set -euo pipefail
cd "$(dirname "$0")/.."

tools_only=false
[[ ${1:-} == --tools-only ]] && tools_only=true

if $tools_only; then
    packages=(g++ meson ninja-build pkg-config libfmt-dev nlohmann-json3-dev libcli11-dev libcpp-httplib-dev)
else
    packages=(g++ meson ninja-build pkg-config cmake librapidcheck-dev libfmt-dev
              nlohmann-json3-dev doctest-dev libcli11-dev libcpp-httplib-dev)
    # The browser test (tools/browser) needs chromium and node; installed only when absent, so
    # a node from elsewhere is left alone.
    command -v chromium >/dev/null || packages+=(chromium)
    command -v node >/dev/null || packages+=(nodejs)
    command -v npm >/dev/null || packages+=(npm)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# canonical/raft (libraft-dev) for the canonical adapter (--impl canonical, sim/canonical/).
# Optional: without it the adapter is not built and its test suite says it is skipped.
if ! dpkg-query -W -f='${Status}' libraft-dev 2>/dev/null | grep -q "install ok installed"; then
    echo "setup: installing libraft-dev"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libraft-dev; } \
        >/dev/null 2>&1 ||
        echo "setup: libraft-dev could not be installed; the canonical adapter will be skipped"
fi
# A real Slurm (and munge) and GNU parallel for the sweep-sharding tests (tools/ci/slurm_test.sh,
# parallel_test.sh). Optional: where they cannot be installed, those tests say they are
# skipped and why.
if ! $tools_only; then
    for p in slurm-wlm parallel; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
        echo "setup: installing $p"
        sudo=""
        [[ $(id -u) -eq 0 ]] || sudo="sudo"
        { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$p"; } \
            >/dev/null 2>&1 || echo "setup: $p could not be installed; its test will be skipped"
    done
fi

if $tools_only; then
    [[ -f build/build.ninja ]] || meson setup build -Dtests=false -Dwerror=true >/dev/null
    ninja -C build tools/raftsim/raftsim
    exit 0
fi
if [[ ! -f build/build.ninja ]]; then
    meson setup build -Dwerror=true >/dev/null
fi
ninja -C build

# playwright-core from the lock file (no browser download: the test uses /usr/bin/chromium).
# Without it the browser test says it is skipped; the rest does not need it.
if [[ ! -d tools/browser/node_modules/playwright-core ]] && command -v npm >/dev/null; then
    (cd tools/browser && npm ci --prefer-offline --no-audit --no-fund >/dev/null 2>&1) ||
        echo "setup: npm ci in tools/browser failed; the browser test will be skipped"
fi
