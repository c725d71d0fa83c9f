#!/usr/bin/env bash
# A raftsim sweep split into N shards run by GNU parallel (`apt-get install parallel`), on
# this machine or, with --sshlogin, on others sharing this directory; then merged:
#   bash tools/ci/parallel_sweep.sh N [sweep flags...]     # default --count 1000 --nodes 1..5
# The merged summary is exactly the one-process summary of the whole range; the exit code
# is raftsim merge's (0 held, 1 a violation, 3 unfinished seeds). The one-liner itself:
#   mkdir -p s; parallel raftsim sweep --shard {}/8 --jobs 1 --json-summary s/shard-{}.json ::: {0..7}; raftsim merge s/shard-*.json
set -uo pipefail
n=${1:?usage: parallel_sweep.sh N [sweep flags...]}
shift
args=("$@")
((${#args[@]})) || args=(--count 1000 --nodes 1..5)
raftsim=${RAFTSIM:-build/tools/raftsim/raftsim}
dir=${RAFTSIM_SUMMARIES:-sweep-summaries}
command -v parallel >/dev/null || { echo "parallel_sweep.sh: GNU parallel is not installed (apt-get install parallel)" >&2; exit 2; }
mkdir -p "$dir"
# A shard that found a violation exits 1: still a summary to merge, so parallel's count of
# failed jobs is not the verdict; raftsim merge's exit code is.
parallel --will-cite --jobs "${PARALLEL_JOBS:-100%}" \
    "$raftsim" sweep "${args[@]}" --jobs 1 --out "$dir/reports" --shard "{}/$n" --json-summary "$dir/shard-{}.json" \
    ">" "$dir/shard-{}.out" ::: $(seq 0 $((n - 1)))
shards=()
for ((i = 0; i < n; ++i)); do shards+=("$dir/shard-$i.json"); done
exec "$raftsim" merge "${shards[@]}" --json-summary "$dir/merged.json"
