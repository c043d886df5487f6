/* Precise exceptions: ecall, ebreak, c.ebreak, illegal instructions (32- and
 * 16-bit), misaligned and faulting loads/stores/AMOs, instruction access
 * fault; mcause/mepc/mtval, mstatus MIE/MPIE across trap and mret. */
#include "rvtest.h"
    .option norvc
#define EXPECT(cause, label) CHECK(s9, cause); la t3, label; CHECKR(s10, t3); li s9, -1
TEST_START
    USE_SKIP_HANDLER
    li s9, -1
1:  ecall
    EXPECT(11, 1b)
    CHECK(s11, 0)
2:  ebreak
    EXPECT(3, 2b)
    .option rvc
3:  c.ebreak
    .option norvc
    EXPECT(3, 3b)
4:  .word 0xFFFFFFFF           /* not a valid encoding */
    EXPECT(2, 4b)
5:  .half 0x0000               /* the all-zero 16-bit instruction is illegal */
    EXPECT(2, 5b)
6:  .word 0x0000007F           /* reserved major opcode */
    EXPECT(2, 6b)
7:  .word 0x02000073           /* SYSTEM with funct12 not ecall/ebreak/mret/wfi */
    EXPECT(2, 7b)
8:  .word 0x0200502B           /* custom-1 opcode */
    EXPECT(2, 8b)
9:  .word 0x40001033           /* sll with funct7 0x20 */
    EXPECT(2, 9b)
10: .word 0x00003003           /* ld: RV64 only */
    EXPECT(2, 10b)
11: .half 0x6000               /* c.flw... quadrant 0 funct3 3: F only */
    EXPECT(2, 11b)
#ifndef ON_QEMU
    /* mtval holds the illegal encoding */
12: .word 0x40001033
    CHECK(s11, 0x40001033)
#endif
    /* misaligned data accesses report the address (QEMU 7.2 performs
     * misaligned loads and stores; atomics trap on both) */
    la a0, buf
    addi a1, a0, 1
#ifndef ON_QEMU
13: lw t0, 0(a1)
    EXPECT(4, 13b)
    CHECKR(s11, a1)
14: lh t0, 0(a1)
    EXPECT(4, 14b)
15: sw t0, 0(a1)
    EXPECT(6, 15b)
    CHECKR(s11, a1)
16: sh t0, 0(a1)
    EXPECT(6, 16b)
#endif
17: lr.w t0, (a1)
    EXPECT(4, 17b)
18: amoadd.w t0, t0, (a1)
#ifdef ON_QEMU
    EXPECT(4, 18b)              /* QEMU 7.2 reports a misaligned AMO as a load */
#else
    EXPECT(6, 18b)              /* the privileged spec: store/AMO address misaligned */
#endif
    lb t0, 0(a1)                /* byte accesses are never misaligned */
    CHECK(s9, -1)
    /* access faults outside every device */
    li a2, 0x05000000
19: lw t0, 8(a2)
    EXPECT(5, 19b)
    addi a3, a2, 8
    CHECKR(s11, a3)
20: sw t0, 12(a2)
    EXPECT(7, 20b)
    addi a3, a2, 12
    CHECKR(s11, a3)
21: amoswap.w t0, t0, (a2)
#ifdef ON_QEMU
    EXPECT(5, 21b)              /* QEMU 7.2 reports the AMO's fault as a load fault */
#else
    EXPECT(7, 21b)
#endif
    /* instruction access fault: mepc = mtval = the target, resume at s8 */
    la s8, 22f
    li a2, 0x05000000
    jalr ra, 0(a2)
22: CHECK(s9, 1)
    CHECKR(s10, a2)
    CHECKR(s11, a2)
    li s9, -1
    /* the faulting instruction has no effect */
    li t0, 123
    li a2, 0x05000000
23: lw t0, 0(a2)
    CHECK(t0, 123)
    /* trap entry: MPIE <- MIE, MIE <- 0; mret: MIE <- MPIE, MPIE <- 1 */
    csrw mie, zero
    csrsi mstatus, 8
    ecall
    andi t0, s7, 0x88
    CHECK(t0, 0x80)
    csrr t0, mstatus
    andi t0, t0, 0x88
    CHECK(t0, 0x88)
    csrci mstatus, 8
    ecall
    andi t0, s7, 0x88
    CHECK(t0, 0x00)
    csrr t0, mstatus
    andi t0, t0, 0x80
    CHECK(t0, 0x80)
    /* exceptions go to the base address in vectored mode too */
    la t0, rv_skip_handler
    ori t0, t0, 1
    csrw mtvec, t0
    li s9, -1
24: ecall
    EXPECT(11, 24b)
TEST_END
SKIP_HANDLER
    .bss
    .align 2
buf: .space 16
