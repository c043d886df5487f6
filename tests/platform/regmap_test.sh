#!/usr/bin/env bash
# Register-map checks: the committed docs table equals a fresh generation, and
# the generator rejects malformed descriptions with file:line messages.
set -u
gen=$1 desc=$2 doc=$3 tmp=$4
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

mkdir -p "$tmp"
if "$gen" "$desc" --md-in "$doc" --md "$tmp/registers.md" --c "$tmp/bc_regs.h" --sv "$tmp/bc_regs_pkg.sv"; then
    if diff -u "$doc" "$tmp/registers.md" >"$tmp/registers.diff"; then ok; else
        bad "$doc is stale or hand-edited (run 'make regs'); diff:"; cat "$tmp/registers.diff"; fi
else
    bad "generator failed on $desc"
fi

# A hand edit inside the generated table must be detected.
sed 's/| 0x000 | `ID` |/| 0x004 | `ID` |/' "$doc" >"$tmp/edited.md"
"$gen" "$desc" --md-in "$tmp/edited.md" --md "$tmp/edited.out.md" 2>/dev/null
if ! diff -q "$tmp/edited.md" "$tmp/edited.out.md" >/dev/null; then ok; else bad "hand edit not detected"; fi

# The C header compiles on its own and holds the documented ID.
printf '#define BC_REGS_WANT_TABLE\n#include "bc_regs.h"\n_Static_assert(BC_PARAM_ID_VALUE == 0xB17C7C1Eu, "id");\n_Static_assert(BC_REG_JOB_PUSH == 0x0ACu, "push");\nint main(void){return bc_reg_table[0].offset != 0 || bc_err_names[BC_ERR_REG_BUSY] == 0;}\n' >"$tmp/hdr.c"
if gcc -std=c11 -Wall -Wextra -Werror -I"$tmp" "$tmp/hdr.c" -o "$tmp/hdr" && "$tmp/hdr"; then ok; else bad "bc_regs.h does not compile or is wrong"; fi

# Malformed descriptions: exit 2 and name file and line.
check_reject() { # name, text, expected message fragment
    printf '%s\n' "$2" >"$tmp/bad.regs"
    out=$("$gen" "$tmp/bad.regs" --c "$tmp/bad.h" 2>&1); rc=$?
    if [ $rc -eq 2 ] && [[ "$out" == *"$3"* ]] && [[ "$out" == *"bad.regs:"* ]]; then ok; else
        bad "$1: rc=$rc msg='$out' (want '$3')"; fi
}
check_reject overlap $'reg A 0x0 "a"\nfield X 0:0 rw 0 "x"\nreg B 0x0 "b"\nfield Y 0:0 rw 0 "y"' "overlaps"
check_reject misaligned $'reg A 0x2 "a"\nfield X 0:0 rw 0 "x"' "not 4-byte aligned"
check_reject field_overlap $'reg A 0x0 "a"\nfield X 3:0 rw 0 "x"\nfield Y 3:3 rw 0 "y"' "overlaps field"
check_reject reset_fit $'reg A 0x0 "a"\nfield X 1:0 rw 5 "x"' "does not fit"
check_reject access $'reg A 0x0 "a"\nfield X 1:0 rx 0 "x"' "access 'rx'"
check_reject param $'reg A 0x0 "a"\nfield X 7:0 ro param:NOPE "x"' "unknown param"
check_reject keyword $'register A 0x0 "a"' "unknown keyword"
check_reject dup_err $'error A 1 "a"\nerror B 1 "b"' "repeats"
check_reject range $'reg A 0x0 "a"\nfield X 32:0 rw 0 "x"' "bit range"

echo "regmap: $pass passed, $fail failed"
[ $fail -eq 0 ]
