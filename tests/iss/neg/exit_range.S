# expect 120 program exit code 200 is outside 0..119
    .section .text.init, "ax"
    .globl _start
_start:
    la t0, tohost
    li t1, (200 << 1) | 1
    sw t1, 0(t0)
1:  j 1b
    .data
    .align 3
    .globl tohost
tohost: .dword 0
