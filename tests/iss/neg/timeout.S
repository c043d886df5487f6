# expect 121 timeout: no exit after 1000 cycles \(pc 0x8000000[0-9a-f]
# args --timeout-cycles 1000
    .section .text.init, "ax"
    .globl _start
_start:
    addi t0, t0, 1
    j _start
