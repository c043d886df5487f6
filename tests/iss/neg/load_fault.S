# expect 122 CPU exception: load access fault \(mcause 5\) at pc 0x80000004, insn 0x0042a303, mtval 0x05000004
    .section .text.init, "ax"
    .globl _start
_start:
    lui t0, 0x5000
    lw t1, 4(t0)
