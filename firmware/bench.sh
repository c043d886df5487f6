#!/usr/bin/env bash
# make bench-firmware: wall time of one Fashion-MNIST epoch on fsim and
# training iterations per second on the RTL (sim backend). Reports only.
set -euo pipefail
bc=$1 out=$2
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# wall, user CPU and peak RSS of one Fashion-MNIST epoch on fsim
/usr/bin/time -f "%e %U %M" -o "$tmp.time" "$bc" train --backend fsim --data fashion-mnist --epochs 1 \
    --schedule cpt:3-8 --grad-bits 8 --cycles 4 --seed 1 --csv > "$tmp.fsim"
read -r fsim_s fsim_user fsim_kb < "$tmp.time"
acc=$(awk -F, 'NR==2{printf "%.2f", 100*$3}' "$tmp.fsim")
rtl_line="not measured: the sim backend is not part of this build"
iters=40
if /usr/bin/time -f "%e %U" -o "$tmp.stime" "$bc" train --backend sim --data digits --layers 64-64-32-10 \
      --batch 32 --iters $iters --schedule cpt:3-8 --cycles 4 --test-limit 32 --csv > "$tmp.sim" 2> "$tmp.err"; then
    read -r sim_s sim_user < "$tmp.stime"
    rtl_line=$(awk -v n=$iters -v w="$sim_s" -v u="$sim_user" 'BEGIN{printf "%.2f iterations/s wall, %.2f per user-CPU second (%d iterations of 64-64-32-10, batch 32, CPT 3-8/8, incl. a 32-sample evaluation, %.1f s wall)", n/w, n/u, n, w}')
elif ! grep -q "not part of this build" "$tmp.err"; then
    rtl_line="failed: $(head -c 300 "$tmp.err")"
fi
fsim_it=$(awk -v s="$fsim_s" 'BEGIN{printf "%.1f", 469/s}')
{
  echo "## firmware (quantized training through the driver)"
  echo
  echo "| what | result |"
  echo "|---|---|"
  printf '| one Fashion-MNIST epoch on fsim (784-256-128-10, batch 128, CPT 3-8/8, incl. loading and the test set) | %.1f s wall, %.1f s user CPU, %s iterations/s (wall), peak RSS %d MiB, test accuracy %s %% |\n' "$fsim_s" "$fsim_user" "$fsim_it" "$((fsim_kb / 1024))" "$acc"
  echo "| training on the RTL (sim backend, digits) | $rtl_line |"
} > "$tmp"
rm -f "$tmp.fsim" "$tmp.sim" "$tmp.err" "$tmp.time" "$tmp.stime"
mv "$tmp" "$out"
trap - EXIT
cat "$out"
