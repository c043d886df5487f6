# expect 42 ^hi$
    .section .text.init, "ax"
    .globl _start
_start:
    lui t0, 0x20000
    li t1, 'h'
    sb t1, 0(t0)
    li t1, 'i'
    sw t1, 0(t0)
    li t1, '\n'
    sb t1, 0(t0)
    li t1, 42
    sw t1, 4(t0)
1:  j 1b
