/* Interrupts: CLINT software interrupt (msip), timer (mtimecmp) woken from
 * wfi, masking by mstatus.MIE and mie, wfi without a trap when MIE = 0,
 * vectored mtvec, mcause/mepc of an interrupt. */
#include "rvtest.h"
    .option norvc
#define CLINT 0x2000000
/* mtimecmp = mtime + delta (a0), written hi-lo-hi so it never fires early */
.macro TIMER_IN delta
    li t0, CLINT
    li t2, 0xBFF8
    add t2, t2, t0
    lw t1, 0(t2)
    addi t1, t1, \delta
    li t2, 0x4000
    add t0, t0, t2
    li t2, -1
    sw t2, 4(t0)
    sw t1, 0(t0)
    sw zero, 4(t0)
.endm
TEST_START
    la t0, irq_handler
    csrw mtvec, t0
    li s5, 0
    /* software interrupt: pending, masked by mstatus.MIE, taken when enabled */
    li t0, CLINT
    li t1, 1
    sw t1, 0(t0)
    csrr t1, mip
    andi t1, t1, 8
    CHECK(t1, 8)
    li t0, 8
    csrs mie, t0
    nop
    CHECK(s5, 0)
    csrsi mstatus, 8
1:  nop
    CHECK(s5, 1)
    CHECK(s6, 0x80000003)
    la t0, 1b
    CHECKR(s3, t0)
    csrr t1, mip
    andi t1, t1, 8
    CHECK(t1, 0)
    /* timer interrupt: wfi (MIE = 0, so a timer that fires early cannot be
     * lost before the wfi) wakes, the trap is taken once MIE is set and mepc
     * is the next instruction */
    csrci mstatus, 8
    csrw mie, zero
    TIMER_IN 50
    li t0, 0x80
    csrs mie, t0
2:  wfi
    CHECK(s5, 1)
    csrsi mstatus, 8
3:  CHECK(s5, 2)
    CHECK(s6, 0x80000007)
    la t0, 3b
    CHECKR(s3, t0)
    /* wfi with MIE = 0 still wakes on a pending enabled interrupt, without a trap */
    csrci mstatus, 8
    TIMER_IN 50
    wfi
    CHECK(s5, 2)
    csrr t1, mip
    andi t1, t1, 0x80
    CHECK(t1, 0x80)
    li t0, CLINT + 0x4000
    li t1, -1
    sw t1, 4(t0)
    csrr t1, mip
    andi t1, t1, 0x80
    CHECK(t1, 0)
    /* vectored mode: the timer goes to base + 4 * 7 */
    la t0, vec_table
    ori t0, t0, 1
    csrw mtvec, t0
    li s2, 0
    TIMER_IN 50
    wfi
    csrsi mstatus, 8
    CHECK(s2, 7)
    CHECK(s5, 3)
TEST_END

    .align 2
irq_handler:
    csrr s6, mcause
    csrr s3, mepc
    addi s5, s5, 1
    li t0, CLINT
    sw zero, 0(t0)
    li t1, 0x4000
    add t0, t0, t1
    li t1, -1
    sw t1, 4(t0)
    sw t1, 0(t0)
    mret

    .align 6
vec_table:
    .rept 7
    j vec_other
    .endr
    j vec_timer
    .rept 8
    j vec_other
    .endr
vec_timer:
    li s2, 7
    j irq_handler
vec_other:
    li s2, 99
    j irq_handler
SKIP_HANDLER
