#!/usr/bin/env bash
# Fuzzes the trace readers with libFuzzer for SECONDS each (default 60): the simulator
# trace reader (traces::parseTrace) and the model trace reader (mc::fromJson on parsed
# JSON). Builds them with clang in ./build-fuzz (-fsanitize=fuzzer,address,undefined),
# seeds the corpora from traces/regressions/ and a model trace, and prints each harness's
# executions and whether it crashed. Crash inputs land in build-fuzz/crashes/.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
clang=${CLANG_CXX:-clang++-14}

need=()
command -v "$clang" >/dev/null || need+=(clang-14)
dpkg-query -W -f='${Status}' libfuzzer-14-dev 2>/dev/null | grep -q "install ok installed" || need+=(libfuzzer-14-dev)
if ((${#need[@]})); then
    echo "fuzz: installing ${need[*]}"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash tools/setup.sh >/dev/null || { echo "fuzz: setup failed"; exit 1; }

if [[ ! -f build-fuzz/build.ninja ]]; then
    CXX=$clang meson setup build-fuzz -Dfuzz=true -Dbuildtype=debugoptimized -Db_ndebug=false \
        -Db_sanitize=address,undefined -Db_lundef=false \
        -Dcpp_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined" \
        -Dcpp_link_args=-fno-sanitize-recover=undefined >/dev/null || { echo "fuzz: configure failed"; exit 1; }
fi
ninja -C build-fuzz tools/fuzz/fuzz_sim_trace tools/fuzz/fuzz_model_trace >/dev/null || { echo "fuzz: build failed"; exit 1; }

corpus=build-fuzz/corpus
mkdir -p "$corpus/sim" "$corpus/model" build-fuzz/crashes
cp traces/regressions/*.json "$corpus/sim/"
# A model trace: a counterexample the model checker finds at once, written by the gcc build.
build/tools/raftsim/raftsim check --preset lost-writes-1 --bug self-count-before-persist \
    --out "$corpus/model/self-count-before-persist.json" >/dev/null 2>&1 || true
[[ -n $(ls -A "$corpus/model") ]] || cp traces/regressions/*.json "$corpus/model/"

status=0
for harness in sim_trace model_trace; do
    dir=${harness%_trace}
    log=build-fuzz/fuzz-$harness.log
    build-fuzz/tools/fuzz/fuzz_$harness "$corpus/$dir" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix=build-fuzz/crashes/$harness- >"$log" 2>&1
    code=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if ((code == 0)); then
        echo "fuzz $harness: ${runs:-?} executions in ${seconds}s, no crash"
    else
        status=1
        echo "fuzz $harness: crashed after ${runs:-?} executions (exit $code); see $log and build-fuzz/crashes/"
        grep -m 5 -E "ERROR|runtime error|Test unit written" "$log"
    fi
done
exit $status
