# expect 122 CPU exception \(reported by the trap handler\): breakpoint \(mcause 3\) at pc 0x8000000c
    .section .text.init, "ax"
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    ebreak
    .align 2
handler:
    lui t0, 0x20000
    sw zero, 8(t0)
1:  j 1b
