#!/usr/bin/env bash
# A real Slurm run: starts munged, slurmctld and slurmd on this machine (one node, a
# generated slurm.conf and munge key in a temporary directory, ports picked free on
# 127.0.0.1), submits tools/ci/slurm_sweep.sbatch as an array of 4 shards of a small
# sweep, waits for it (with a timeout), merges the shards' summaries with `raftsim merge`
# and compares the result with one process sweeping the whole range, byte for byte; then
# stops every daemon it started. Installs slurm-wlm with apt-get when it is absent (as
# root). When Slurm cannot run here the test is SKIPPED (exit 77) and says why.
# Usage: slurm_test.sh RAFTSIM SOURCE_ROOT. Prints a doctest-style summary line.
set -uo pipefail
raftsim=$(readlink -f "$1")
src=$(cd "$2" && pwd)
sweep=(--seeds 1..40 --nodes 1..5 --time 1 --liveness 2 --bug vote-no-log-check --max-reports 3)
wait_s=${RAFTSIM_SLURM_TIMEOUT:-180}

tmp=""
skip() {
    echo "slurm: SKIPPED: $*"
    echo "[doctest] test cases: 1 | 0 passed | 0 failed | 1 skipped"
    exit 77
}
fail() {
    echo "slurm: FAIL: $*"
    for log in "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/out/*.out; do
        [[ -f $log ]] && { echo "--- $log (last lines)"; tail -n 15 "$log"; }
    done
    echo "[doctest] test cases: 1 | 0 passed | 1 failed | 0 skipped"
    exit 1
}

# 1. Slurm and munge, installed if absent.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "slurm: installing slurm-wlm"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm; } >/dev/null 2>&1 ||
            skip "slurm-wlm is not installed and apt-get could not install it"
    else
        skip "slurm-wlm is not installed (and this is not root with apt-get to install it)"
    fi
fi
for tool in slurmctld slurmd munged munge sbatch squeue sinfo scontrol; do
    command -v "$tool" >/dev/null || skip "$tool is missing after installing slurm-wlm"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/raftsim-slurm.XXXXXX")
chmod 755 "$tmp"
mkdir -p "$tmp/run" "$tmp/state" "$tmp/spool" "$tmp/out" "$tmp/work"
chmod 755 "$tmp/run"
export SLURM_CONF=$tmp/slurm.conf
# The daemons this script started, stopped on every way out.
teardown() {
    if [[ -f $tmp/run/slurmctld.pid ]]; then scontrol shutdown >/dev/null 2>&1; fi
    local f pid k
    for f in slurmd slurmctld munged; do
        pid=$(cat "$tmp/run/$f.pid" 2>/dev/null) || continue
        for ((k = 0; k < 50; ++k)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null; sleep 0.5; kill -9 "$pid" 2>/dev/null; fi
    done
    rm -rf "$tmp"
}
trap teardown EXIT

# 2. munged with a key of its own.
head -c 1024 /dev/urandom >"$tmp/munge.key"
chmod 400 "$tmp/munge.key"
munged --force --key-file="$tmp/munge.key" --socket="$tmp/run/munge.sock" --pid-file="$tmp/run/munged.pid" \
    --log-file="$tmp/munged.log" --seed-file="$tmp/munged.seed" >"$tmp/munged.out" 2>&1 ||
    skip "munged does not start here: $(tail -n 1 "$tmp/munged.out" "$tmp/munged.log" 2>/dev/null | tr '\n' ' ')"
echo test | munge --socket="$tmp/run/munge.sock" | unmunge --socket="$tmp/run/munge.sock" >/dev/null 2>&1 ||
    skip "munge credentials do not round-trip through munged here"

# 3. slurmctld and slurmd for one node named after this host.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
host=$(hostname -s)
cat >"$SLURM_CONF" <<CONF
ClusterName=raftsim
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$tmp/run/munge.sock
CredType=cred/munge
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=raftsim Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF" >"$tmp/slurmctld.out" 2>&1 ||
    skip "slurmctld does not start here: $(tail -n 2 "$tmp/slurmctld.out" "$tmp/slurmctld.log" 2>/dev/null | tr '\n' ' ')"
slurmd -f "$SLURM_CONF" -N "$host" >"$tmp/slurmd.out" 2>&1 ||
    skip "slurmd does not start here: $(tail -n 2 "$tmp/slurmd.out" "$tmp/slurmd.log" 2>/dev/null | tr '\n' ' ')"
state=""
for ((k = 0; k < 300; ++k)); do
    state=$(sinfo -h -N -o %t 2>/dev/null | head -n 1)
    [[ $state == idle ]] && break
    sleep 0.1
done
[[ $state == idle ]] || skip "the Slurm node did not come up idle within 30s (state '${state:-none}'): $(grep -h error "$tmp"/slurm*.log 2>/dev/null | tail -n 2 | tr '\n' ' ')"
echo "slurm: slurmctld and slurmd up ($(sinfo -h -o '%P %D %t %N' | head -n 1)), $(sbatch --version)"

# 4. The example array job: 4 shards of the sweep.
job=$(cd "$tmp/work" && RAFTSIM=$raftsim RAFTSIM_SUMMARIES=$tmp/summaries \
    sbatch --parsable --array=0-3 --chdir="$tmp/work" --output="$tmp/out/%A_%a.out" \
        "$src/tools/ci/slurm_sweep.sbatch" "${sweep[@]}" 2>&1) || fail "sbatch refused the job: $job"
job=${job%%;*}
echo "slurm: submitted array job $job (4 shards of raftsim sweep ${sweep[*]})"
start=$SECONDS
while [[ -n $(squeue -h -j "$job" 2>/dev/null) ]]; do
    ((SECONDS - start < wait_s)) || { scancel "$job"; fail "the job did not finish within ${wait_s}s"; }
    sleep 0.5
done
echo "slurm: job $job done in $((SECONDS - start))s"

# 5. Merge and compare with one process.
shards=()
for i in 0 1 2 3; do
    [[ -f $tmp/summaries/shard-$i.json ]] || fail "array task $i wrote no summary"
    shards+=("$tmp/summaries/shard-$i.json")
done
merged_out=$("$raftsim" merge "${shards[@]}" --json-summary "$tmp/merged.json" 2>&1)
merged_code=$?
one_out=$(cd "$tmp/work" && env -u SLURM_ARRAY_TASK_ID -u SLURM_ARRAY_TASK_COUNT -u JOB_COMPLETION_INDEX \
    -u GTEST_SHARD_INDEX CI=true "$raftsim" sweep "${sweep[@]}" --jobs 2 --out "$tmp/summaries/reports" \
    --json-summary "$tmp/one.json" 2>/dev/null)
one_code=$?
echo "$merged_out" | sed -n 1p | sed 's/^/slurm: merged: /'
[[ $merged_code == "$one_code" ]] || fail "merge exited $merged_code, one process $one_code"
[[ $merged_out == "$one_out" ]] || { diff <(echo "$one_out") <(echo "$merged_out"); fail "the merged text summary differs from one process's (above)"; }
cmp -s "$tmp/merged.json" "$tmp/one.json" || { diff "$tmp/one.json" "$tmp/merged.json" | head -n 20; fail "the merged JSON summary differs from one process's"; }
echo "slurm: PASS: 4 Slurm array tasks merged equal one process (text and JSON, exit $merged_code)"
echo "[doctest] test cases: 1 | 1 passed | 0 failed | 0 skipped"
