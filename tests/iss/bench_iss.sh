#!/bin/bash
# bench_iss.sh OUT.md RVISS MIX_BC.elf MIX_QEMU.elf QEMU_EMPTY.elf BITCYCLE FW_ELF...
# ISS instructions per second against qemu-system-riscv32 on the same program
# (same source, one build per memory map), and firmware ELFs on the VP with
# the share of wall time in the ISS. Reports only; asserts nothing.
set -euo pipefail
out=$1 rviss=$2 mix=$3 mixq=$4 empty=$5 bitcycle=$6
shift 6
QEMU="qemu-system-riscv32 -M virt -bios none -nographic -monitor none -serial stdio"
now() { date +%s.%N; }
cpu_of() { # CMD...: prints "wall cpu" seconds of one run (user + system time of the process tree)
    local t0 t1 tf
    tf=$(mktemp)
    t0=$(now)
    /usr/bin/time -f "%U %S" -o "$tf" "$@" >/dev/null 2>&1 </dev/null || true
    t1=$(now)
    awk -v a="$t0" -v b="$t1" '{ printf "%.3f %.3f\n", b - a, $1 + $2 }' "$tf"
    rm -f "$tf"
}
stats=$("$rviss" run --no-accel --stats "$mix" 2>&1 >/dev/null | tail -1)
insns=$(sed -n 's/.*: \([0-9]*\) instructions.*/\1/p' <<<"$stats")
best_iss="" best_qemu="" best_empty=""
for i in 1 2 3; do
    read -r w c < <(cpu_of "$rviss" run --no-accel "$mix")
    best_iss=$(awk -v a="$best_iss" -v w="$w" -v c="$c" 'BEGIN { if (a == "" || w < a + 0) print w " " c; else print a }')
    read -r w c < <(cpu_of timeout 300 $QEMU -kernel "$mixq")
    best_qemu=$(awk -v a="$best_qemu" -v w="$w" -v c="$c" 'BEGIN { if (a == "" || w < a + 0) print w " " c; else print a }')
    read -r w c < <(cpu_of timeout 60 $QEMU -kernel "$empty")
    best_empty=$(awk -v a="$best_empty" -v w="$w" -v c="$c" 'BEGIN { if (a == "" || w < a + 0) print w " " c; else print a }')
done
{
    echo "## ISS (sim/iss) and firmware on the virtual platform"
    echo
    echo "Same program (tests/iss/bench/mix.c: CRC-32, insertion sort, matrix multiply, a switch"
    echo "interpreter), $insns instructions; best of 3; QEMU's start-up (an empty program) subtracted."
    echo
    echo "| simulator | wall s | CPU s | MIPS (wall) | MIPS (CPU) |"
    echo "|---|---|---|---|---|"
    read -r iw ic <<<"$best_iss"
    read -r qw qc <<<"$best_qemu"
    read -r ew ec <<<"$best_empty"
    awk -v n="$insns" -v iw="$iw" -v ic="$ic" -v qw="$qw" -v qc="$qc" -v ew="$ew" -v ec="$ec" 'BEGIN {
        qw -= ew; qc -= ec; if (qw <= 0) qw = 1e-3; if (qc <= 0) qc = 1e-3; if (ic <= 0) ic = 1e-3
        printf "| bitcycle ISS | %.3f | %.3f | %.1f | %.1f |\n", iw, ic, n / iw / 1e6, n / ic / 1e6
        printf "| qemu-system-riscv32 7.2 (TCG) | %.3f | %.3f | %.1f | %.1f |\n", qw, qc, n / qw / 1e6, n / qc / 1e6
        printf "\nISS / QEMU instructions per second: **%.2fx** (wall), %.2fx (CPU time); target >= 0.1x.\n", qw / iw, qc / ic
    }'
    echo
    echo "Firmware ELFs on the VP (\`bitcycle vp run --stats\`): the CPU runs at 100 MHz, the"
    echo "accelerator at 200 MHz; the Verilated RTL is clocked on every accelerator cycle."
    echo
    echo "| ELF | instructions | accelerator cycles | wall s | instructions/s | RTL cycles/s | ISS share of wall | SystemC + RTL share |"
    echo "|---|---|---|---|---|---|---|---|"
    for elf in "$@"; do
        s=$("$bitcycle" vp run --stats --timeout-cycles 400000000 "$elf" 2>&1 >/dev/null | tail -2 | tr '\n' ' ')
        n=$(sed -n 's/.* \([0-9]*\) instructions,.*/\1/p' <<<"$s")
        ac=$(sed -n 's/.* \([0-9]*\) accelerator cycles.*/\1/p' <<<"$s")
        read -r w iss rest < <(sed -n 's/.*wall \([0-9.]*\) s: ISS \([0-9.]*\) %, SystemC + RTL \([0-9.]*\) %.*/\1 \2 \3/p' <<<"$s")
        awk -v name="$(basename "$elf")" -v n="$n" -v ac="$ac" -v w="$w" -v iss="$iss" -v rest="$rest" 'BEGIN {
            printf "| %s | %s | %s | %s | %.0f | %.0f | %s %% | %s %% |\n", name, n, ac, w, n / w, ac / w, iss, rest
        }'
    done
    echo
    echo "The wall time on the VP is the Verilated RTL's: it steps every accelerator cycle, busy or"
    echo "idle, so firmware time costs RTL cycles even between jobs."
} >"$out"
cat "$out"
