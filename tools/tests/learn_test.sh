#!/usr/bin/env bash
# Runs every command of docs/LEARN.md (the lines of its ```sh blocks) in a scratch
# directory with `raftsim` on the path, in order, and checks each exit code: 0, or what a
# trailing `# exit N` says. Prints a doctest-style summary so tools/test.sh counts them.
# usage: learn_test.sh RAFTSIM SOURCE_ROOT
set -uo pipefail
raftsim=$(realpath "$1")
root=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$raftsim" "$work/bin/raftsim"
ln -s "$root/scenarios" "$work/scenarios"
cd "$work" || exit 1

passed=0
failed=0
inblock=0
while IFS= read -r line; do
    if [[ $line == '```sh' ]]; then inblock=1; continue; fi
    if [[ $line == '```' ]]; then inblock=0; continue; fi
    ((inblock)) || continue
    [[ -z $line || $line == \#* ]] && continue
    want=0
    if [[ $line =~ \#\ exit\ ([0-9]+)$ ]]; then want=${BASH_REMATCH[1]}; fi
    PATH="$work/bin:$PATH" CI=true bash -c "$line" </dev/null >"$work/out.txt" 2>&1
    got=$?
    if ((got == want)); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED (exit $got, expected $want): $line"
        head -20 "$work/out.txt"
    fi
done <"$root/docs/LEARN.md"
echo "docs/LEARN.md: $passed commands ran as written, $failed did not"
echo "[doctest] test cases: $((passed + failed)) | $passed passed | $failed failed | 0 skipped"
((failed == 0 && passed > 10))
