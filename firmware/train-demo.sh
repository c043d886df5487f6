#!/usr/bin/env bash
# make train-demo: a short CPT training on the UCI digits through the RTL
# (Verilator, sim backend), printing the per-precision cycle table. Falls back
# to the functional model (fsim) only when the RTL backend is not in this build.
set -euo pipefail
bc=${1:-build/bitcycle}
args=(train --data digits --layers 64-128-128-10 --batch 64 --iters 300 --epochs 14
      --schedule cpt:3-8 --grad-bits 8 --cycles 6 --lr 0.05 --seed "${SEED:-1}")
echo "== train-demo: CPT 3-8/8 on digits (64-128-128-10, batch 64), 300 iterations, 6 precision cycles =="
if out=$("$bc" "${args[@]}" --backend sim 2>&1); then
    echo "backend: sim (Verilator RTL)"
    echo "$out"
elif grep -q "not part of this build" <<<"$out"; then
    echo "backend: fsim (the RTL sim backend is not part of this build: $out)"
    "$bc" "${args[@]}" --backend fsim
else
    echo "$out" >&2
    exit 1
fi
