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
echo "test-baremetal: $pass passed, $fail failed"
[ $fail = 0 ]
