#!/bin/bash
# run.sh BITCYCLE DIGITS_CSV_GZ ELF...: each bare-metal ELF on the virtual platform must exit 0;
# data.elf runs with --data digits and must print what digits_ref.py computes from the CSV.
set -u
bin=$1
digits=$2
shift 2
pass=0
fail=0
for elf in "$@"; do
    name=$(basename "$elf" .elf)
    args=()
    [ "$name" = data ] && args=(--data digits)
    out=$(BITCYCLE_DATA=$(dirname "$digits") timeout 900 "$bin" vp run --timeout-cycles 400000000 "${args[@]}" "$elf" 2>&1)
    rc=$?
    if [ $rc = 0 ] && [ "$name" = data ]; then
        want=$(python3 tests/baremetal/digits_ref.py "$digits")
        if ! grep -qxF "$want" <<<"$out"; then
            echo "FAIL: data: expected '$want' in:"; echo "$out"; rc=1
        fi
    fi
    if [ $rc = 0 ]; then
        pass=$((pass + 1))
        echo "  $(grep -E "checks passed|done" <<<"$out" | tail -1)"
    else
        fail=$((fail + 1))
        echo "FAIL: $name exited $rc"
        echo "$out" | tail -20
    fi
done
# the accelerator's FST trace of a firmware run shows the precision switch the firmware made
# (irq.elf runs a 16/16 job, then a 1/1 job)
for elf in "$@"; do
    [ "$(basename "$elf")" = irq.elf ] || continue
    fst=$(dirname "$elf")/irq.fst
    rm -f "$fst"
    if timeout 900 "$bin" vp run --trace "$fst" "$elf" >/dev/null 2>&1 &&
        sw=$("$bin" wave switches "$fst" 2>&1) && grep -q "1 precision switch" <<<"$sw" && grep -q "16s/16s -> 1s/1s" <<<"$sw"; then
        pass=$((pass + 1))
        echo "  irq --trace: the 16/16 -> 1/1 switch is in the FST trace"
    else
        fail=$((fail + 1))
        echo "FAIL: irq --trace: the switch is not in $fst: ${sw:-no trace}"
    fi
    rm -f "$fst"
done
echo "test-baremetal: $pass passed, $fail failed"
[ $fail = 0 ]
