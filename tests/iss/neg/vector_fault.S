# expect 122 CPU exception: fault at the trap vector: instruction access fault \(mcause 1\) at pc 0x05000000
    .section .text.init, "ax"
    .globl _start
_start:
    lui t0, 0x5000
    csrw mtvec, t0
    ecall
