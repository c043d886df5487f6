# expect 9
    .section .text.init, "ax"
    .globl _start
_start:
    li t0, 0x100000
    li t1, (9 << 16) | 0x3333
    sw t1, 0(t0)
1:  j 1b
