/* Zicsr: every CSR instruction form, the machine-mode CSRs' read/write
 * behaviour, read-only and unknown CSRs (illegal instruction), counters. */
#include "rvtest.h"
    .option norvc
TEST_START
    USE_SKIP_HANDLER
    /* csrrw / csrrs / csrrc and the immediate forms on mscratch */
    li a0, 0x12345678
    csrrw s0, mscratch, a0
    csrrw s0, mscratch, zero
    CHECK(s0, 0x12345678)
    li a0, 0xF0
    csrrs s0, mscratch, a0
    CHECK(s0, 0)
    li a0, 0x0F
    csrrs s0, mscratch, a0
    CHECK(s0, 0xF0)
    li a0, 0x3C
    csrrc s0, mscratch, a0
    CHECK(s0, 0xFF)
    csrr s0, mscratch
    CHECK(s0, 0xC3)
    csrrwi s0, mscratch, 31
    CHECK(s0, 0xC3)
    csrrsi s0, mscratch, 0x20 & 31
    csrrsi s0, mscratch, 0
    CHECK(s0, 31)
    csrrci s0, mscratch, 5
    CHECK(s0, 31)
    csrr s0, mscratch
    CHECK(s0, 26)
    csrrw zero, mscratch, a0     /* rd = x0 */
    csrr s0, mscratch
    CHECK(s0, 0x3C)
    csrrw a1, mscratch, a1       /* rd == rs1: old value read before the write */
    csrr s0, mscratch
    CHECK(a1, 0x3C)
    /* mepc: bit 0 reads as 0 (IALIGN = 16; QEMU 7.2 keeps the bit) */
    li a0, 0x80001235
    csrw mepc, a0
    csrr s0, mepc
#ifndef ON_QEMU
    CHECK(s0, 0x80001234)
#endif
    /* mcause / mtval hold any value */
    li a0, 0x8000000B
    csrw mcause, a0
    csrr s0, mcause
    CHECK(s0, 0x8000000B)
    li a0, 0xDEADBEEF
    csrw mtval, a0
    csrr s0, mtval
    CHECK(s0, 0xDEADBEEF)
    /* mtvec: direct and vectored modes read back */
    csrr s1, mtvec
    la a0, rv_skip_handler
    ori a0, a0, 1
    csrw mtvec, a0
    csrr s0, mtvec
    CHECKR(s0, a0)
    csrw mtvec, s1
    /* misa: MXL = 1 (32-bit), I, M, A, C present */
    csrr s0, misa
    li a0, 0xC0001105
    and s0, s0, a0
    CHECK(s0, 0x40001105)
    /* mhartid 0; reading a read-only CSR with csrrs x0 / csrrsi 0 does not trap */
    csrr s0, mhartid
    CHECK(s0, 0)
    csrrsi s0, mhartid, 0
    CHECK(s9, 0)
    csrr s0, mvendorid
    /* mstatus: MIE and MPIE are writable */
    li a0, 0x88
    csrw mstatus, a0
    csrr s0, mstatus
    andi s0, s0, 0x88
    CHECK(s0, 0x88)
    csrw mstatus, zero
    csrr s0, mstatus
    andi s0, s0, 0x88
    CHECK(s0, 0)
#ifndef ON_QEMU
    /* machine mode only: MPP reads 3; mie has MSIE, MTIE, MEIE; mip is not writable */
    csrr s0, mstatus
    CHECK(s0, 0x1800)
    li a0, -1
    csrw mie, a0
    csrr s0, mie
    CHECK(s0, 0x888)
    csrw mie, zero
    csrw mip, a0
    csrr s0, mip
    CHECK(s0, 0)
    /* minstret counts retired instructions; mcycle one per instruction */
    csrr s1, minstret
    nop
    nop
    nop
    csrr s2, minstret
    sub s0, s2, s1
    CHECK(s0, 4)
    csrr s1, mcycle
    nop
    csrr s2, mcycle
    sub s0, s2, s1
    CHECK(s0, 2)
    csrw mcycle, zero
    csrr s0, mcycle
    CHECK(s0, 1)
    csrw minstret, zero
    csrr s0, minstret
    CHECK(s0, 1)
    li a0, 5
    csrw mcycleh, a0
    csrr s0, mcycleh
    CHECK(s0, 5)
    csrw minstreth, a0
    csrr s0, minstreth
    CHECK(s0, 5)
    csrr s0, cycleh
    CHECK(s0, 5)
    csrr s0, instreth
    CHECK(s0, 5)
    csrr s0, mstatush
    CHECK(s0, 0)
#endif
    /* user-level counters are readable in machine mode and advance */
    csrr s1, cycle
    csrr s1, instret
    csrr s1, time
    csrr s1, timeh
    csrr s1, cycleh
    csrr s1, instreth
    li s1, 0
1:  csrr s2, instret
    addi s1, s1, 1
    csrr s3, instret
    beq s2, s3, 1b
    /* a write to a read-only CSR is illegal; mtval holds the instruction */
    li s9, 0
2:  csrw mhartid, a0
    CHECK(s9, 2)
    la a1, 2b
    CHECKR(s10, a1)
#ifndef ON_QEMU
    lw a1, 0(s10)
    CHECKR(s11, a1)
#endif
    li s9, 0
    csrwi cycle, 1
    CHECK(s9, 2)
    /* an unknown CSR is illegal to read or write */
    li s9, 0
    csrr a0, 0x7FF
    CHECK(s9, 2)
    li s9, 0
    csrw 0x5C0, a0
    CHECK(s9, 2)
TEST_END
SKIP_HANDLER
