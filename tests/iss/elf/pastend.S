/* An ELF whose data segment ends past the end of a 64 MiB RAM. */
    .section .text.init, "ax"
    .globl _start
_start:
    j _start
    .section .big, "aw"
    .space 64
