#!/bin/bash
# The Slurm executor on a one-node cluster started here: munged, slurmctld
# and slurmd as root without systemd, configuration and state under TMPDIR.
# A 12-point sweep with one calibration (its own cache, so the calibration
# array and the dependent point array both run) goes through sbatch; the
# merged results must equal the local executor's byte for byte. The daemons
# started here are stopped by their PIDs on exit; every wait is bounded.
# usage: slurm_test.sh BITCYCLE TMPDIR [--bench]
set -u
BC=$(realpath "$1")
TMP=$(mkdir -p "$2" && realpath "$2")
BENCH=${3:-}
DIR=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
export BITCYCLE_NO_PROGRESS=1

for t in munged slurmctld slurmd sbatch sinfo; do
    command -v $t > /dev/null || { echo "slurm_test: $t not installed (make deps: slurm-wlm munge)"; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "slurm_test: needs root (starts munged, slurmctld and slurmd)"; exit 1; }

S=$TMP/cluster
rm -rf "$S" "$TMP"/slurm "$TMP"/local "$TMP"/fails "$TMP"/calib-* "$TMP"/tiny-*
mkdir -p "$S/munge" "$S/state" "$S/spool" "$S/log"
chmod 700 "$S/munge"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null; done
    for p in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
        kill -9 "$p" 2> /dev/null
    done
}
trap cleanup EXIT

# a free port pair on localhost
port=$((20000 + RANDOM % 20000))
while (exec 3<> /dev/tcp/127.0.0.1/$port) 2> /dev/null || (exec 3<> /dev/tcp/127.0.0.1/$((port + 1))) 2> /dev/null; do
    port=$((port + 2))
done

dd if=/dev/urandom of="$S/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$S/munge/munge.key"
SOCK=$S/munge/munge.socket
munged -F -f --key-file="$S/munge/munge.key" --socket="$SOCK" --pid-file="$S/munge/munged.pid" \
    --log-file="$S/log/munged.log" --seed-file="$S/munge/seed" > "$S/log/munged.out" 2>&1 &
PIDS+=($!)

cpus=$(nproc)
cat > "$S/slurm.conf" << CONF
ClusterName=bitcycle-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCK
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MaxArraySize=10001
MinJobAge=600
NodeName=bcnode NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=bcnode Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$S/slurm.conf

for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
[ -S "$SOCK" ] || { echo "slurm_test: munged did not start:"; cat "$S/log/munged.out" "$S/log/munged.log"; exit 1; }
slurmctld -D -i -f "$SLURM_CONF" > "$S/log/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -N bcnode -f "$SLURM_CONF" > "$S/log/slurmd.out" 2>&1 &
PIDS+=($!)
state=
for _ in $(seq 150); do
    state=$(sinfo -h -N -o %T 2> /dev/null | head -1)
    [ "$state" = idle ] && break
    sleep 0.2
done
if [ "$state" != idle ]; then
    echo "slurm_test: the node did not come up (state '$state'); logs:"
    tail -n 20 "$S"/log/*
    exit 1
fi
echo "slurm_test: cluster up (slurmctld port $port, $cpus CPUs)"

# the sweep: 12 points on one hardware configuration, calibrated (fresh cache:
# one calibration job first; the default configuration calibrates in-process)
cat > "$TMP/array-cal.json" << 'JSON'
{
  "description": "CPT against static over schedule and batch (one configuration, for the Slurm test)",
  "axes": {"schedule": ["cpt:3-8", "cpt:4-8", "cpt:2-8", "cpt:3-6"], "batch": [64, 128, 256]},
  "fixed": {"model": "resnet20-cifar", "iters": 2000, "no_calibrate": false},
  "plots": {"heatmap": ["schedule", "batch"], "series": "batch"}
}
JSON
run_slurm() {
    timeout 600 "$BC" sweep "$TMP/array-cal.json" -o "$TMP/slurm" --calib-dir "$TMP/calib-slurm" \
        --executor slurm --partition test --time 10 --wait
}
out=$(run_slurm 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] && ok || bad "slurm sweep failed (exit $rc)"
grep -q "^slurm: calibration array job [0-9]* (1 configurations)$" <<< "$out" && ok || bad "no calibration array job"
grep -q "^slurm: point array job [0-9]* (12 points, after [0-9]*)$" <<< "$out" && ok || bad "point array not after the calibration"
grep -q "^slurm: merge job [0-9]* finished" <<< "$out" && ok || bad "merge job"
[ -f "$TMP/slurm/merged.csv" ] && ok || bad "no merged.csv from the merge job"
[ "$(ls "$TMP"/slurm/slurm/point-*.out 2> /dev/null | wc -l)" -eq 12 ] && ok || bad "12 point task logs"
[ -f "$TMP/calib-slurm/calib-default.txt" ] && ok || bad "calibration task wrote no calibration"

# the local executor on the same sweep file, with its own calibration cache
timeout 600 "$BC" sweep "$TMP/array-cal.json" -o "$TMP/local" --calib-dir "$TMP/calib-local" -j 2 > /dev/null 2>&1 &&
    "$BC" sweep merge "$TMP/local" --no-plots > /dev/null && ok || bad "local sweep failed"
for f in merged.csv merged.json; do
    cmp -s "$TMP/slurm/$f" "$TMP/local/$f" && ok || bad "$f differs between the Slurm and the local executor"
done
echo "slurm_test: $(grep -c ,ok, "$TMP/slurm/merged.csv") points through Slurm, merged results equal the local executor's: $( cmp -s "$TMP/slurm/merged.csv" "$TMP/local/merged.csv" && echo yes || echo NO)"

# a failing task is reported with its Slurm log
printf '{"axes": {"batch": [128, 1048576]}, "fixed": {"model": "resnet110-cifar", "iters": 200000, "no_calibrate": true}}\n' > "$TMP/fails.json"
timeout 300 "$BC" sweep "$TMP/fails.json" -o "$TMP/fails" --executor slurm --wait > /dev/null 2>&1
m=$(cat "$TMP"/fails/slurm/merge-*.out 2> /dev/null)
log=$(sed -n 's/^failed: point 1 (batch=1048576), log //p' <<< "$m")
case "$log" in "$TMP/fails/slurm/point-"*_1.out) ok ;; *) bad "failed task not reported with its Slurm log: $m" ;; esac
[ -f "$log" ] && grep -q "workload too large" "$log" && ok || bad "the Slurm log of the failed task lacks the error"

if [ "$BENCH" = --bench ]; then
    # per-task overhead: 24 trivial points as one array, against the same run locally
    printf '{"axes": {"batch": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]}, "fixed": {"model": "mlp", "iters": 10, "no_calibrate": true}}\n' > "$TMP/tiny.json"
    t0=$(date +%s.%N)
    timeout 600 "$BC" sweep "$TMP/tiny.json" -o "$TMP/tiny-slurm" --executor slurm --wait > /dev/null 2>&1
    t1=$(date +%s.%N)
    timeout 600 "$BC" sweep "$TMP/tiny.json" -o "$TMP/tiny-local" -j "$cpus" > /dev/null 2>&1
    t2=$(date +%s.%N)
    awk -v s="$t0" -v m="$t1" -v e="$t2" -v c="$cpus" 'BEGIN {
        printf "| Slurm executor, 24 one-point tasks on %d CPUs (submit to merged) | %.2f s |\n", c, m - s;
        printf "| same sweep, local executor | %.2f s |\n", e - m;
        printf "| Slurm per-task overhead over local ((slurm - local) x CPUs / 24) | %.3f s |\n", (m - s - (e - m)) * c / 24 }' \
        > "$TMP/bench.md"
    cat "$TMP/bench.md"
fi

echo "test-slurm: $pass passed, $fail failed"
[ $fail -eq 0 ]
