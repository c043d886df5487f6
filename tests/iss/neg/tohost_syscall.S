# expect 124 stopped: tohost: syscall requests \(even values\) are not supported
    .section .text.init, "ax"
    .globl _start
_start:
    la t0, tohost
    li t1, 0x80001000
    sw t1, 0(t0)
1:  j 1b
    .data
    .align 3
    .globl tohost
tohost: .dword 0
