#!/bin/bash
# run_both.sh NAME: one assembly test on the ISS and on QEMU (development helper)
b=build/iss; t=$1
make -s $b/rviss $b/asm/$t.elf $b/asm-qemu/$t.elf || exit 1
$b/rviss run --no-accel $b/asm/$t.elf; echo "iss rc=$?"
timeout 10 qemu-system-riscv32 -M virt -bios none -nographic -kernel $b/asm-qemu/$t.elf; echo "qemu rc=$?"
