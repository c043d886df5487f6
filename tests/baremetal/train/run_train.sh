#!/bin/bash
# run_train.sh BITCYCLE TRAIN_ELF TRAIN_REF: the training ELF on the VP and the host trainer
# on fsim must report the same weights hash.
set -u
vp=$("$1" vp run --data digits --stats --timeout-cycles 100000000000 "$2" 2>&1)
rc=$?
ref=$("$3" 2>&1) || { echo "test-train-elf: host reference failed: $ref"; exit 1; }
echo "$vp" | grep -E "iteration|instructions|accelerator cycles"
want=$(grep -o 'weights hash [0-9a-f]*' <<<"$ref")
got=$(grep -o 'weights hash [0-9a-f]*' <<<"$vp")
echo "  fsim (host): $want"
echo "  VP (ELF):    $got"
if [ $rc = 0 ] && [ -n "$want" ] && [ "$want" = "$got" ]; then
    echo "test-train-elf: 1 passed, 0 failed"
else
    echo "test-train-elf: 0 passed, 1 failed (exit $rc)"
    exit 1
fi
