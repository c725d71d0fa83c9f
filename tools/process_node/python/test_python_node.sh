#!/bin/sh
# The Python Raft node (raft_node.py) under raftsim: a sweep must hold every property,
# and the node broken on purpose (--bug no-log-check: votes granted without the
# up-to-date check of §5.4.1) must be caught within a few seeds.
#
#   tools/process_node/python/test_python_node.sh        (from the repository's root)
#   RAFTSIM=path/to/raftsim tools/process_node/python/test_python_node.sh
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root" || exit 1
RAFTSIM=${RAFTSIM:-build/tools/raftsim/raftsim}
node="$here/raft_node.py"

if ! command -v python3 >/dev/null 2>&1; then
    echo "python-node: SKIPPED: python3 is not installed"
    exit 0
fi
if [ ! -x "$RAFTSIM" ]; then
    echo "python-node: FAILED: no raftsim binary at $RAFTSIM (build it, or set RAFTSIM)"
    exit 1
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/python-node.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT

# 1. The node as written: 40 seeds, clusters of 1 to 5, every property must hold (exit 0).
#    A 5 s safety phase (then the 5 s liveness phase) keeps the script near a minute.
echo "python-node: sweeping 40 seeds of $node (nodes 1..5, 5s safety phase)"
"$RAFTSIM" sweep --impl "process:python3 $node" --count 40 --nodes 1..5 --time 5s \
    --out "$out/held" >"$out/held.log" 2>&1
rc=$?
grep -E "^sweep summary|violated:|^wall" "$out/held.log" | sed 's/^/  /'
if [ "$rc" -ne 0 ]; then
    echo "python-node: FAILED: the sweep exited $rc (0 expected: all properties held)"
    sed 's/^/  /' "$out/held.log" | grep -E "^  seed|reproduce|replay" | head -20
    exit 1
fi

# 2. The node broken on purpose must be caught: exit 1, a violated property.
echo "python-node: sweeping seeds 1..10 of the broken node (--bug no-log-check), stopping at the first violation"
"$RAFTSIM" sweep --impl "process:python3 $node --bug no-log-check" --seeds 1..10 --nodes 3..5 \
    --time 5s --fail-fast --out "$out/bug" >"$out/bug.log" 2>&1
rc=$?
grep -E "^sweep summary|violated:|^wall" "$out/bug.log" | sed 's/^/  /'
if [ "$rc" -ne 1 ]; then
    echo "python-node: FAILED: the broken node was not caught (exit $rc, 1 expected)"
    exit 1
fi
echo "python-node: OK: the node held every property; the broken node was caught"
exit 0
