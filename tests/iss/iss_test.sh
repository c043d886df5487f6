#!/bin/bash
# ISS suite: iss_test.sh BUILD_DIR "ASM_TESTS" "C_PROGS"
#  1. assembly tests (every instruction and CSR) on the ISS, and the same
#     sources built for QEMU virt on qemu-system-riscv32 (checks the tests' expectations);
#  2. differential test: compute-only C programs, one build per memory map,
#     identical console output, register signature and exit code on both;
#  3. platform behaviour: exit paths, exceptions, timeout, hang, tracing;
#  4. ELF refusal and option errors.
set -u
B=$1
ASM_TESTS=$2
C_PROGS=$3
RVISS=$B/rviss
RV_CC=riscv64-unknown-elf-gcc
RV_FLAGS="-march=rv32imac_zicsr -mabi=ilp32 -nostdlib -nostartfiles -static -Wl,--no-warn-rwx-segments -T tests/iss/link.ld"
QEMU="qemu-system-riscv32 -M virt -bios none -nographic -monitor none -serial stdio"
pass=0
fail=0
T=$B/tmp
mkdir -p "$T" "$B/neg"

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

qemu_run() { timeout 30 $QEMU -kernel "$1" </dev/null; }

# ---- 1. assembly tests
for t in $ASM_TESTS; do
    out=$(timeout 30 "$RVISS" run --no-accel "$B/asm/$t.elf" 2>&1)
    rc=$?
    [ $rc = 0 ] && ok || bad "asm $t on the ISS: exit $rc: $out"
    out=$(qemu_run "$B/asm-qemu/$t.elf" 2>&1)
    rc=$?
    [ $rc = 0 ] && ok || bad "asm $t on QEMU: exit $rc: $out"
done

# ---- 2. differential test against QEMU
for p in $C_PROGS; do
    timeout 30 "$RVISS" run --no-accel "$B/c-bc/$p.elf" >"$T/$p.iss" 2>"$T/$p.iss.err"
    echo "exit $?" >>"$T/$p.iss"
    qemu_run "$B/c-qemu/$p.elf" >"$T/$p.qemu" 2>"$T/$p.qemu.err"
    echo "exit $?" >>"$T/$p.qemu"
    if ! grep -q '^signature$' "$T/$p.iss"; then
        bad "diff $p: no register signature from the ISS: $(cat "$T/$p.iss" "$T/$p.iss.err")"
    elif cmp -s "$T/$p.iss" "$T/$p.qemu"; then
        ok
    else
        bad "diff $p: ISS and QEMU differ:"
        diff "$T/$p.iss" "$T/$p.qemu" | head -20
    fi
done

# ---- 3. platform behaviour: tests/iss/neg/*.S declare "# expect RC [REGEX]" and "# args ..."
for src in tests/iss/neg/*.S; do
    n=$(basename "$src" .S)
    if ! $RV_CC $RV_FLAGS -o "$B/neg/$n.elf" "$src" 2>"$T/$n.cc"; then
        bad "neg $n: does not build: $(cat "$T/$n.cc")"
        continue
    fi
    want_rc=$(sed -n 's/^# expect \([0-9]*\).*/\1/p' "$src")
    want_re=$(sed -n 's/^# expect [0-9]* *//p' "$src")
    args=$(sed -n 's/^# args //p' "$src")
    # shellcheck disable=SC2086
    out=$(timeout 30 "$RVISS" run --no-accel $args "$B/neg/$n.elf" 2>&1)
    rc=$?
    if [ "$rc" != "$want_rc" ]; then
        bad "neg $n: exit $rc, expected $want_rc: $out"
    elif [ -n "$want_re" ] && ! grep -Eq "$want_re" <<<"$out"; then
        bad "neg $n: output does not match /$want_re/: $out"
    else
        ok
    fi
done

# tohost exit codes come through unchanged (the C programs return 28 and 7)
grep -q '^exit 7$' "$T/matmul_atomic.iss" && ok || bad "matmul_atomic: expected exit 7 through tohost"

# instruction trace: one line per instruction, pc and encoding, register writes
"$RVISS" run --no-accel --itrace "$T/alu.trace" "$B/asm/rv32i_alu.elf" --stats 2>"$T/alu.stats" >/dev/null
n_insn=$(sed -n 's/.*: \([0-9]*\) instructions.*/\1/p' "$T/alu.stats")
n_lines=$(wc -l <"$T/alu.trace")
[ -n "$n_insn" ] && [ "$n_lines" = "$n_insn" ] && ok || bad "itrace: $n_lines lines for $n_insn instructions"
first=$(head -1 "$T/alu.trace")
gp=$(riscv64-unknown-elf-nm "$B/asm/rv32i_alu.elf" | awk '/__global_pointer\$/ {print $1}')
hi=$(printf '%08x' $(( (0x$gp + 0x800) & 0xFFFFF000 )))
# the first instruction is auipc gp (la gp, __global_pointer$ expands to auipc + addi)
[[ "$first" =~ ^1\ 80000000\ [0-9a-f]{8}\ x3=$hi$ ]] && ok || bad "itrace first line '$first' (expected '1 80000000 ... x3=$hi')"
grep -q ' x8=21436587$' "$T/alu.trace" && ok || bad "itrace: the add result x8=21436587 is not in the trace"
# a compressed instruction shows its 16-bit encoding (c.li s0, 31 = 0x447d)
"$RVISS" run --no-accel --itrace "$T/c.trace" "$B/asm/rv32c.elf" >/dev/null 2>&1
grep -Eq '^[0-9]+ 8000[0-9a-f]{4}     447d x8=0000001f$' "$T/c.trace" && ok || bad "itrace: no 'c.li s0, 31' line in the trace"

# ---- 4. ELF refusal and option errors
expect_err() { # NAME RC REGEX CMD...
    local name=$1 want=$2 re=$3
    shift 3
    local out rc
    out=$("$@" 2>&1)
    rc=$?
    if [ $rc != "$want" ]; then bad "$name: exit $rc, expected $want: $out"
    elif ! grep -Eq -- "$re" <<<"$out"; then bad "$name: message does not match /$re/: $out"
    else ok; fi
}
good=$B/asm/rv32i_alu.elf
echo "not an elf" >"$T/text.elf"
expect_err "text file" 2 "text.elf: not an ELF file" "$RVISS" run --no-accel "$T/text.elf"
expect_err "missing file" 2 "nope.elf: cannot open: No such file" "$RVISS" run --no-accel "$T/nope.elf"
riscv64-unknown-elf-gcc -march=rv64imac -mabi=lp64 -nostdlib -nostartfiles -static -Wl,--no-warn-rwx-segments \
    -T tests/iss/link.ld -o "$T/rv64.elf" tests/iss/neg/no_handler.S
expect_err "ELF64" 2 "ELF class is ELFCLASS64, need ELFCLASS32" "$RVISS" run --no-accel "$T/rv64.elf"
patch_elf() { # SRC DST OFFSET HEXBYTES
    cp "$1" "$2"
    printf "$(sed 's/\(..\)/\\x\1/g' <<<"$4")" | dd of="$2" bs=1 seek="$3" conv=notrunc status=none
}
patch_elf "$good" "$T/x86.elf" 18 3e00
expect_err "e_machine" 2 "e_machine is 62, need 243 \(EM_RISCV\)" "$RVISS" run --no-accel "$T/x86.elf"
patch_elf "$good" "$T/noentry.elf" 24 00000000
expect_err "e_entry 0" 2 "e_entry is 0: no entry point" "$RVISS" run --no-accel "$T/noentry.elf"
patch_elf "$good" "$T/badentry.elf" 24 00000090
expect_err "e_entry outside" 2 "e_entry 0x90000000 is not inside an executable PT_LOAD segment" \
    "$RVISS" run --no-accel "$T/badentry.elf"
patch_elf "$good" "$T/bigendian.elf" 5 02
expect_err "EI_DATA" 2 "not little-endian|not an ELF" "$RVISS" run --no-accel "$T/bigendian.elf"
$RV_CC -march=rv32imac -mabi=ilp32 -c -o "$T/obj.o" tests/iss/neg/no_handler.S
expect_err "ET_REL" 2 "e_type is 1, need ET_EXEC" "$RVISS" run --no-accel "$T/obj.o"
$RV_CC -march=rv32imac -mabi=ilp32 -nostdlib -nostartfiles -static -Wl,--no-warn-rwx-segments -Wl,-Ttext=0x10000 \
    -o "$T/lowram.elf" tests/iss/neg/no_handler.S
expect_err "segment outside RAM" 2 "segment [0-9]+ at 0x0000[0-9a-f]{4}\.\.0x00010004 is outside RAM 0x80000000\.\.0x84000000" \
    "$RVISS" run --no-accel "$T/lowram.elf"
$RV_CC -march=rv32imac -mabi=ilp32 -nostdlib -nostartfiles -static -Wl,--no-warn-rwx-segments -Wl,-Ttext=0x80000000 \
    -Wl,--section-start=.big=0x83FFFFF0 -o "$T/pastend.elf" tests/iss/elf/pastend.S
expect_err "segment past the end of RAM" 2 "is outside RAM" "$RVISS" run --no-accel --ram-mib 64 "$T/pastend.elf"
expect_err "--timeout-cycles" 2 "--timeout-cycles: 'abc'" "$RVISS" run --no-accel --timeout-cycles abc "$good"
expect_err "--timeout-cycles 0" 2 "--timeout-cycles: '0' must be an integer in 1\.\." "$RVISS" run --no-accel --timeout-cycles 0 "$good"
expect_err "--ram-mib" 2 "--ram-mib: '4096' must be" "$RVISS" run --no-accel --ram-mib 4096 "$good"
expect_err "no ELF" 2 "run needs exactly one ELF file" "$RVISS" run --no-accel
expect_err "unknown option" 2 "unknown option '--bogus'" "$RVISS" run --no-accel --bogus "$good"
expect_err "--data" 2 "--data: 'cifar' is not digits or fashion-mnist" "$RVISS" run --data cifar "$good"
expect_err "--data in rviss" 2 "--data digits: data sets are loaded by the bitcycle CLI" "$RVISS" run --no-accel --data digits "$good"
expect_err "--trace without accel" 2 "--trace needs the accelerator" "$RVISS" run --no-accel --trace x.fst "$good"
expect_err "no accel in this build" 2 "not part of this build; use --no-accel" "$RVISS" run "$good"
expect_err "--itrace unwritable" 2 "--itrace: cannot write '/nonexistent/t'" "$RVISS" run --no-accel --itrace /nonexistent/t "$good"
"$RVISS" run --help | grep -q "121  --timeout-cycles reached" && ok || bad "--help does not document the exit codes"

# docs/baremetal.md documents every exit code --help lists, and its messages are the real ones
for code in 2 120 121 122 123 124; do
    if grep -q "^| $code |" docs/baremetal.md && "$RVISS" run --help | grep -Eq "^  $code "; then ok
    else bad "exit code $code missing from docs/baremetal.md or --help"; fi
done
for n in load_fault timeout; do
    msg=$(timeout 30 "$RVISS" run --no-accel $(sed -n 's/^# args //p' tests/iss/neg/$n.S) "$B/neg/$n.elf" 2>&1 | sed 's/^bitcycle rviss: //')
    grep -qF "bitcycle vp: $msg" docs/baremetal.md && ok || bad "docs/baremetal.md: example message '$msg' is stale"
done

echo "test-iss: $pass passed, $fail failed (assembly on ISS and QEMU, QEMU differential, platform, ELF refusal)"
[ $fail = 0 ]
