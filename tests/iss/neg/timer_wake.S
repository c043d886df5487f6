# expect 0
# standalone wfi with only the timer enabled skips to mtimecmp (mtime = cycles / 10)
    .section .text.init, "ax"
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    li t0, 0x2004000
    li t1, 100000
    sw t1, 0(t0)
    sw zero, 4(t0)
    li t0, 0x80
    csrw mie, t0
    csrsi mstatus, 8
    wfi
    j _start
    .align 2
handler:
    csrr t0, mcycle
    li t1, 1000000
    bltu t0, t1, bad
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
bad:
    li t0, 0x100000
    li t1, (5 << 16) | 0x3333
    sw t1, 0(t0)
