#!/bin/bash
# run.sh BITCYCLE ELF...: each bare-metal ELF on the virtual platform must exit 0.
set -u
bin=$1
shift
pass=0
fail=0
for elf in "$@"; do
    name=$(basename "$elf" .elf)
    out=$(timeout 900 "$bin" vp run --timeout-cycles 400000000 "$elf" 2>&1)
    rc=$?
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
