# expect 122 CPU exception: illegal instruction \(mcause 2\) at pc 0x80000000, insn 0xffffffff, mtval 0xffffffff
    .section .text.init, "ax"
    .globl _start
_start:
    .word 0xFFFFFFFF
