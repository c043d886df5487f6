/* Start-up for the test programs: gp, sp, zeroed .bss, main(); then the
 * registers x1..x31 as main left them are saved and printed as a signature. */
    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:  call main
    csrw mscratch, t0
    la t0, saved_regs
    .irp r, 1,2,3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sw x\r, (\r - 1) * 4(t0)
    .endr
    csrr t1, mscratch
    sw t1, 4 * 4(t0)
    mv a1, a0
    mv a0, t0
    call io_signature

    .bss
    .align 2
saved_regs: .space 31 * 4
