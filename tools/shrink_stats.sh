#!/usr/bin/env bash
# How small `raftsim shrink` makes failing traces caught by the simulator.
#
# For every bug switch below: `raftsim sweep --count 10 --jobs 2 --bug B --out DIR/B`, then
# each DIR/B/seed-S.json is shrunk to DIR/B/seed-S.min.json. The ratio of a trace is
# (events after shrinking) / (events before). Printed: one line per trace (ratio, seconds),
# then the median ratio over the three bugs of issue 4 (forget-vote, vote-no-log-check,
# truncate-on-stale-append) and over every switch the sweep catches within those 10 seeds.
# The switches caught by no seed of 1..10 (figure8-commit, vote-log-check-wrong,
# stale-term-append, vote-reset-same-term, stale-vote-counted, duplicate-vote-counted)
# contribute no traces, so they are left out.
#
# usage: tools/shrink_stats.sh [RAFTSIM] [DIR]   (defaults: build/tools/raftsim/raftsim, a temp dir)
set -euo pipefail

raftsim=${1:-build/tools/raftsim/raftsim}
dir=${2:-$(mktemp -d)}
mkdir -p "$dir"
core=(forget-vote vote-no-log-check truncate-on-stale-append)
wider=(commit-past-new-entries no-step-down-higher-term ack-before-persist commit-index-regress)

rows=$dir/rows.txt
: >"$rows"
for bug in "${core[@]}" "${wider[@]}"; do
    rm -rf "${dir:?}/$bug"
    "$raftsim" sweep --count 10 --jobs 2 --bug "$bug" --out "$dir/$bug" >/dev/null 2>&1 || true
    for trace in "$dir/$bug"/seed-*.json; do
        [[ -e $trace && $trace != *.min.json ]] || continue
        start=$(date +%s.%N)
        "$raftsim" shrink "$trace" -o "${trace%.json}.min.json" >/dev/null || [[ $? -eq 1 ]]
        end=$(date +%s.%N)
        echo "$bug $trace ${trace%.json}.min.json $start $end" >>"$rows"
    done
done

python3 - "$rows" "${core[@]}" <<'EOF'
import json, statistics, sys

rows, core = sys.argv[1], set(sys.argv[2:])
def events(path):
    with open(path) as f:
        return len(json.load(f)["events"])
results = []
for line in open(rows):
    bug, before, after, start, end = line.split()
    n0, n1 = events(before), events(after)
    results.append((bug, before, n0, n1, n1 / n0, float(end) - float(start)))
    print(f"{bug:26} {before.rsplit('/', 1)[1]:13} {n0:6} -> {n1:5} events  "
          f"{100 * n1 / n0:5.1f}%  {float(end) - float(start):6.2f} s")
def summary(name, rs):
    if not rs:
        return
    print(f"{name}: {len(rs)} traces, median {100 * statistics.median(r[4] for r in rs):.1f}%, "
          f"mean {100 * statistics.mean(r[4] for r in rs):.1f}%, "
          f"seconds per shrink median {statistics.median(r[5] for r in rs):.2f} "
          f"max {max(r[5] for r in rs):.2f}")
for bug in dict.fromkeys(r[0] for r in results):
    summary(f"  {bug}", [r for r in results if r[0] == bug])
summary("three bugs", [r for r in results if r[0] in core])
summary("every caught bug", results)
EOF
