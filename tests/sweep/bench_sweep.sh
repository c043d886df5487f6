#!/bin/bash
# make bench: the 1,000-point estimate sweep of bench1000.json on 2 workers
# (calibration cached first, untimed), and a direct loop of the same estimate
# for the per-point overhead of the sweep machinery. Prints a Markdown table.
# usage: bench_sweep.sh BITCYCLE OUTDIR
set -eu
BC=$1
OUT=$2
DIR=$(dirname "$0")
export BITCYCLE_NO_PROGRESS=1
"$BC" calibrate --if-stale -o build/calib/calib-default.txt > /dev/null
rm -rf "$OUT"
load=$(cut -d' ' -f1 /proc/loadavg)
t0=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$OUT.cpu" "$BC" sweep "$DIR/bench1000.json" -o "$OUT" -j 2 > /dev/null
t1=$(date +%s.%N)
cpu=$(awk '{ print $1 + $2 }' "$OUT.cpu")
# the sweep's own CPU and its children's, from the result files' timings
child=$(python3 -c 'import json,glob,sys; print(sum(json.load(open(f))["seconds"] for f in glob.glob(sys.argv[1] + "/points/p*.json")))' "$OUT")
n=40
t2=$(date +%s.%N)
for i in $(seq $n); do
    "$BC" estimate --model resnet20-cifar --iters 64000 --dm 16 --dn 16 --calib build/calib/calib-default.txt --json -o /dev/null
done
t3=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v n="$n" -v ch="$child" -v load="$load" -v cpu="$cpu" 'BEGIN {
    wall = b - a; direct = (d - c) / n;
    printf "| 1,000-point estimate sweep, 2 workers, calibration cached (target < 60 s; load average %s at start) | %.1f s |\n", load, wall;
    printf "| sweep wall time per point x 2 workers | %.1f ms |\n", 2000 * wall / 1000;
    printf "| mean estimate process time inside the sweep (result files) | %.1f ms |\n", 1000 * ch / 1000;
    printf "| one estimate run directly (resnet20-cifar, 64k iterations, mean of %d) | %.1f ms |\n", n, 1000 * direct;
    printf "| sweep machinery per point (wall x 2 / 1000 - process time) | %.1f ms |\n", 2000 * wall / 1000 - 1000 * ch / 1000;
    printf "| CPU time per point (user + system, sweep and its estimates) | %.1f ms |\n", cpu;
    printf "| wall time on 2 otherwise idle cores (CPU time / 2) | %.1f s |\n", cpu / 2 }'
