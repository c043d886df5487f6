/* Self-checking assembly tests for the ISS. A test starts with TEST_START,
 * checks values with CHECK(reg, expected) and ends with TEST_END, which
 * passes. A failed check prints "FAIL line N" and exits 1; an unexpected
 * trap prints its mcause and mepc and exits 3. Exit goes through tohost (or,
 * built with -DON_QEMU, through QEMU virt's sifive_test device); the console
 * is bitcycle's console device (QEMU: the UART). t6 and a7 are reserved. */
#ifdef ON_QEMU
#define CONSOLE_PUTC 0x10000000
#else
#define CONSOLE_PUTC 0x20000000
#endif

#define CHECK(reg, val) \
    li t6, val;         \
    beq reg, t6, 100f;  \
    li a7, __LINE__;    \
    j rv_fail;          \
100:

#define CHECKR(reg, reg2) \
    beq reg, reg2, 100f;  \
    li a7, __LINE__;      \
    j rv_fail;            \
100:

/* exit with an immediate code (clobbers t0, t1) */
.macro EXIT code
#ifdef ON_QEMU
    li t0, 0x100000
    .if \code == 0
    li t1, 0x5555
    .else
    li t1, (\code << 16) | 0x3333
    .endif
    sw t1, 0(t0)
#else
    la t0, tohost
    li t1, (\code << 1) | 1
    sw t1, 0(t0)
#endif
1:  j 1b
.endm

.macro TEST_START
    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la t0, rv_unexpected_trap
    csrw mtvec, t0
    la sp, __stack_top
.endm

.macro TEST_END
    EXIT 0

/* print the NUL-terminated string at a0 (clobbers a0, t0, t1) */
rv_puts:
    li t0, CONSOLE_PUTC
1:  lbu t1, 0(a0)
    beqz t1, 2f
    sb t1, 0(t0)
    addi a0, a0, 1
    j 1b
2:  ret

/* print a0 as 8 hex digits (clobbers a0, t0-t3) */
rv_puthex:
    li t0, CONSOLE_PUTC
    li t2, 28
1:  srl t1, a0, t2
    andi t1, t1, 15
    li t3, 10
    blt t1, t3, 2f
    addi t1, t1, 'a' - '0' - 10
2:  addi t1, t1, '0'
    sb t1, 0(t0)
    addi t2, t2, -4
    bgez t2, 1b
    ret

rv_fail:
    la a0, rv_msg_fail
    jal rv_puts
    mv a0, a7
    jal rv_puthex
    la a0, rv_msg_nl
    jal rv_puts
    EXIT 1

    .align 2
rv_unexpected_trap:
    la a0, rv_msg_trap
    jal rv_puts
    csrr a0, mcause
    jal rv_puthex
    la a0, rv_msg_mepc
    jal rv_puts
    csrr a0, mepc
    jal rv_puthex
    la a0, rv_msg_nl
    jal rv_puts
    EXIT 3

    .section .rodata
rv_msg_fail: .asciz "FAIL line 0x"
rv_msg_trap: .asciz "TRAP mcause 0x"
rv_msg_mepc: .asciz " mepc 0x"
rv_msg_nl: .asciz "\n"

    .section .tohost, "aw", @progbits
    .align 3
    .globl tohost
tohost: .dword 0
    .globl fromhost
fromhost: .dword 0
.endm

/* A trap handler for tests that provoke exceptions: records mcause in s9,
 * mepc in s10, mtval in s11 and mstatus in s7, then resumes at s8 when it
 * is not 0, else after the trapping instruction (2 or 4 bytes). */
.macro SKIP_HANDLER
    .align 2
rv_skip_handler:
    csrr s9, mcause
    csrr s10, mepc
    csrr s11, mtval
    csrr s7, mstatus
    beqz s8, 1f
    csrw mepc, s8
    li s8, 0
    mret
1:  lhu t5, 0(s10)
    andi t5, t5, 3
    li t4, 3
    addi s10, s10, 2
    bne t5, t4, 2f
    addi s10, s10, 2
2:  csrw mepc, s10
    csrr s10, mepc
    addi s10, s10, -2
    bne t5, t4, 3f
    addi s10, s10, -2
3:  mret
.endm

#define USE_SKIP_HANDLER la t0, rv_skip_handler; csrw mtvec, t0; li s8, 0
