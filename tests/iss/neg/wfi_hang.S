# expect 124 hang: wfi at pc 0x80000000 with no enabled interrupt that can wake the hart \(mie 0x0\)
    .section .text.init, "ax"
    .globl _start
_start:
    wfi
    j _start
