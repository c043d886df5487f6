#!/usr/bin/env bash
# make bench-summary: peak memory of the two big host runs against the design
# targets, and the headline ratios of the other sections in one table.
# Reports only; asserts nothing. docs/benchmarks.md explains every figure.
# usage: bench_summary.sh BITCYCLE BENCH_DIR OUT
set -uo pipefail
bc=$1 dir=$2 out=$3
tmp="$out.tmp.$$"
trap 'rm -f "$tmp" "$tmp".*' EXIT
export BITCYCLE_NO_PROGRESS=1

# peak_rss LABEL CMD...: "KiB wall_s" via /usr/bin/time -v, else getrusage of the child via python3
peak_rss() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$tmp.time" "$@" >/dev/null 2>"$tmp.err"
        local rc=$?
        local kb wall
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' "$tmp.time")
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): *//p' "$tmp.time")
        echo "$rc ${kb:-0} ${wall:-?} /usr/bin/time -v"
    else
        python3 - "$@" <<'EOF'
import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "%.1fs" % (time.time() - t), "getrusage")
EOF
    fi
}

read -r e_rc e_kb e_wall e_how < <(peak_rss "$bc" estimate --no-calibrate --model resnet110-cifar --iters 64000 \
    --schedule cpt:3-8 --grad-bits 8 -o "$tmp.est")
read -r t_rc t_kb t_wall t_how < <(peak_rss "$bc" train --backend fsim --data fashion-mnist --epochs 1 \
    --schedule cpt:3-8 --grad-bits 8 --cycles 4 --seed 1 -o "$tmp.train")

row() { # row WHAT KIB TARGET_MIB RC WALL HOW
    local what=$1 kb=$2 target=$3 rc=$4 wall=$5 how=$6
    if [ "$rc" != 0 ]; then
        echo "| $what | run failed (exit $rc): $(head -c 200 "$tmp.err" | tr '\n' ' ') | < $target MiB | $how |"
    else
        awk -v w="$what" -v kb="$kb" -v t="$target" -v wall="$wall" -v how="$how" 'BEGIN{
            printf "| %s | %.1f MiB (%d KiB), %s wall | < %d MiB: %s | %s |\n", w, kb/1024, kb, wall, t,
                   (kb/1024 < t ? "met" : "NOT met"), how }'
    fi
}

# headline ratios of the other sections, when they ran in this `make bench`
pick() { # pick FILE REGEX: first bold figure on the first line matching REGEX
    [ -f "$dir/$1" ] || { echo "not run"; return; }
    local l
    l=$(grep -m1 -E "$2" "$dir/$1") || { echo "not reported"; return; }
    grep -oE '\*\*[^*]+\*\*' <<<"$l" | head -1 | tr -d '*' || echo "$l"
}

{
    echo "## Summary (bench-summary)"
    echo
    echo "Peak resident memory of the two largest host runs (design targets from docs/benchmarks.md):"
    echo
    echo "| run | peak memory, wall time | target | measured with |"
    echo "|---|---|---|---|"
    row "\`bitcycle estimate\`, resnet110-cifar, 64,000 iterations, CPT 3-8/8 + baseline" "$e_kb" 64 "$e_rc" "$e_wall" "$e_how"
    row "\`bitcycle train\`, Fashion-MNIST, 1 epoch on fsim (784-256-128-10, batch 128)" "$t_kb" 512 "$t_rc" "$t_wall" "$t_how"
    echo
    echo "Headline ratios gathered from the sections of this report:"
    echo
    echo "| figure | value | section |"
    echo "|---|---|---|"
    echo "| Verilator / Icarus simulated cycles per second | $(pick rtl.md 'Verilator / Icarus') | RTL array core |"
    echo "| fsim GEMM / plain triple-loop C GEMM | $(pick driver.md 'fsim / plain') | Driver |"
    echo "| VP / C-ABI harness simulated cycles per second | $(grep -m1 'VP / C-ABI speed ratio' "$dir/platform.md" 2>/dev/null | sed 's/.*: *//' | grep . || echo 'not run') | Platform |"
    echo "| estimate time (target < 100 ms) | $(grep -m1 'estimate time, median' "$dir/estimator.md" 2>/dev/null | cut -d'|' -f3 | xargs || echo 'not run') | Estimator |"
} >"$tmp"
mv "$tmp" "$out"
trap - EXIT
rm -f "$tmp".*
cat "$out"
