#!/usr/bin/env bash
# Fuzzes raftsim's readers with libFuzzer, each harness for SECONDS (default 60), one after
# the other: the simulator trace reader (sim_trace), the model trace reader (model_trace),
# the scenario reader and runner (scenario) and the command-line parser (cli; tools/fuzz/).
# Builds them with clang in ./build-fuzz (-fsanitize=fuzzer,address,undefined), seeds the
# corpora from real files (traces/regressions/, a model trace, scenarios/*.scn, the command
# lines of tools/fuzz/cli_seeds.txt) and prints one line per harness: its executions and
# whether it crashed, hung (-timeout) or ran out of memory. Crash inputs land in
# build-fuzz/crashes/; the corpora grow in build-fuzz/corpus/.
#
# Usage: tools/fuzz.sh [SECONDS] [HARNESS...]     e.g. tools/fuzz.sh 20 scenario cli
#   FUZZ_RUNS=N        stop each harness after N executions instead of SECONDS
#   FUZZ_TIMEOUT=S     one input taking longer than S seconds is a hang (default 10)
# The last line reads `fuzz: ok`, `fuzz: FAILED (...)`, or `skipped: <reason>` (exit 0)
# when clang++-14 or libFuzzer is missing and cannot be installed.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift $(($# > 0 ? 1 : 0))
harnesses=("$@")
((${#harnesses[@]})) || harnesses=(sim_trace model_trace scenario cli)
clang=${CLANG_CXX:-clang++-14}
timeout_s=${FUZZ_TIMEOUT:-10}

need=()
command -v "$clang" >/dev/null || need+=(clang-14)
dpkg-query -W -f='${Status}' libfuzzer-14-dev 2>/dev/null | grep -q "install ok installed" || need+=(libfuzzer-14-dev)
if ((${#need[@]})); then
    echo "fuzz: installing ${need[*]}"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo -n"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"; } >/dev/null 2>&1 ||
        { echo "skipped: ${need[*]} missing and cannot be installed"; exit 0; }
fi
bash tools/setup.sh >/dev/null || { echo "fuzz: FAILED (setup)"; exit 1; }

if [[ ! -f build-fuzz/build.ninja ]]; then
    CXX=$clang meson setup build-fuzz -Dfuzz=true -Dbuildtype=debugoptimized -Db_ndebug=false \
        -Db_sanitize=address,undefined -Db_lundef=false \
        -Dcpp_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined" \
        -Dcpp_link_args=-fno-sanitize-recover=undefined >/dev/null || { echo "fuzz: FAILED (configure)"; exit 1; }
fi
targets=()
for h in "${harnesses[@]}"; do targets+=("tools/fuzz/fuzz_$h"); done
ninja -C build-fuzz "${targets[@]}" >/dev/null || {
    ninja -C build-fuzz "${targets[@]}" | tail -n 30
    echo "fuzz: FAILED (build)"
    exit 1
}

# Seed corpora, from real files (libFuzzer adds what it finds to the same directories).
corpus=build-fuzz/corpus
mkdir -p "$corpus"/{sim_trace,model_trace,scenario,cli} build-fuzz/crashes
cp traces/regressions/*.json "$corpus/sim_trace/"
if [[ -z $(ls -A "$corpus/model_trace") ]]; then
    # A model trace: a counterexample the model checker finds at once (the gcc build).
    build/tools/raftsim/raftsim check --preset lost-writes-1 --bug self-count-before-persist \
        --out "$corpus/model_trace/self-count-before-persist.json" >/dev/null 2>&1 || true
    build/tools/raftsim/raftsim scenario run scenarios/figure8-e.scn \
        --trace "$corpus/model_trace/figure8-e.json" >/dev/null 2>&1 || true
    [[ -n $(ls -A "$corpus/model_trace") ]] || cp traces/regressions/*.json "$corpus/model_trace/"
fi
cp scenarios/*.scn traces/scenario/tests/regressions/*.scn "$corpus/scenario/" 2>/dev/null
# Each command line of cli_seeds.txt as one file, a word a line (shell quoting understood).
python3 - "$corpus/cli" tools/fuzz/cli_seeds.txt <<'EOF' || cp tools/fuzz/cli_seeds.txt "$corpus/cli/"
import hashlib, os, shlex, sys
out, seeds = sys.argv[1], sys.argv[2]
for line in open(seeds, encoding="utf-8"):
    if not line.strip() or line.startswith("#"):
        continue
    data = "\n".join(shlex.split(line)).encode()
    with open(os.path.join(out, "seed-" + hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)
EOF

failed=()
for h in "${harnesses[@]}"; do
    log=build-fuzz/fuzz-$h.log
    dict=()
    [[ -f tools/fuzz/$h.dict ]] && dict=(-dict="tools/fuzz/$h.dict")
    limit=(-max_total_time="$seconds")
    [[ -n ${FUZZ_RUNS:-} ]] && limit=(-runs="$FUZZ_RUNS")
    [[ $h == cli ]] && limit+=(-max_len=1024)  # 64 words at most (tools/fuzz/cli.cpp)
    start=$SECONDS
    build-fuzz/tools/fuzz/fuzz_$h "$corpus/$h" "${limit[@]}" "${dict[@]}" -timeout="$timeout_s" \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="build-fuzz/crashes/$h-" >"$log" 2>&1
    code=$?
    took=$((SECONDS - start))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if ((code == 0)); then
        echo "fuzz $h: ${runs:-?} executions in ${took}s, no crash, no hang"
    else
        kind=crash
        grep -q "ERROR: libFuzzer: timeout" "$log" && kind=hang
        grep -q "ERROR: libFuzzer: out-of-memory\|malloc(.*) exceeds limit" "$log" && kind=out-of-memory
        failed+=("$h $kind")
        echo "fuzz $h: $kind after ${runs:-?} executions in ${took}s (exit $code); see $log and build-fuzz/crashes/"
        grep -m 5 -E "ERROR|runtime error|Test unit written" "$log"
    fi
done
if ((${#failed[@]})); then
    echo "fuzz: FAILED (${failed[*]})"
    exit 1
fi
echo "fuzz: ok"
