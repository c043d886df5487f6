#!/usr/bin/env bash
# make demo: the README's question answered in one screen. Each step prints
# the command that reproduces it (lines starting with "+ ", as bash -x would).
#   usage: mk/demo.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
bc=$build/bitcycle
out=$build/demo
mkdir -p "$out"

step() { # step COMMAND...: show it, then run it
    echo "+ $*"
    "$@"
}

echo "== What does CPT 3-8/8 save against static 8/8? ResNet-74 on CIFAR-10, 64,000 iterations of 128"
step "$bc" estimate --model cpt-resnet74 --dataset cifar10 --batch 128 --iters 64000 \
    --schedule cpt:3-8 --grad-bits 8 --cycles 32 --baseline static:8 --summary \
    --epochs-csv "$out/resnet74-epochs.csv" --plot "$out/resnet74.png"
echo "per-epoch table: $out/resnet74-epochs.csv   plot: $out/resnet74.png"
echo
echo "== Does it still train? CPT and static 8/8 side by side on the RTL (Verilator), digits MLP"
step "$bc" train --backend sim --dataset digits --split random --layers 64-128-128-10 --batch 64 \
    --epochs 13 --schedule cpt:3-8 --grad-bits 8 --cycles 6 --baseline static:8 --summary
echo
echo "== The bit-serial array: one GEMM's cycles follow wbits x abits"
step "$build/rtl/rtl_demo"
