#!/usr/bin/env bash
# The main job: installs and builds raftsim if needed, then runs the default sweep
# (1,000 seeds of clusters of 1 to 5 nodes, each seed picking its size and its swarm
# faults) and prints its summary. One- and two-node clusters have bugs of their own.
# Extra arguments go to `raftsim sweep` (for example --count 10000 or --bug NAME).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh >/dev/null
exec build/tools/raftsim/raftsim sweep --count 1000 --nodes 1..5 "$@"
