/* RV32C: every compressed instruction of RV32IC (c.ebreak is in trap.S),
 * with immediates at their extremes and signed forms. */
#include "rvtest.h"
    .option rvc
TEST_START
    la sp, stack_area
    c.li s0, 31
    CHECK(s0, 31)
    c.li s0, -32
    CHECK(s0, -32)
    c.addi s0, 31
    CHECK(s0, -1)
    c.addi s0, -32
    CHECK(s0, -33)
    c.nop
    c.lui s1, 0x1F
    CHECK(s1, 0x1F000)
    c.lui s1, 0xFFFE0          /* nzimm = -32: sign-extended upper bits */
    CHECK(s1, 0xFFFE0000)
    mv a5, sp
    c.addi16sp sp, 496
    sub a4, sp, a5
    CHECK(a4, 496)
    c.addi16sp sp, -512
    sub a4, sp, a5
    CHECK(a4, -16)
    c.addi16sp sp, 16
    c.addi4spn a0, sp, 1020
    sub a4, a0, sp
    CHECK(a4, 1020)
    c.addi4spn a1, sp, 4
    sub a4, a1, sp
    CHECK(a4, 4)
    /* c.lw / c.sw with the largest offset, c.lwsp / c.swsp */
    la s0, data
    li a2, 0x11223344
    c.sw a2, 124(s0)
    c.lw a3, 124(s0)
    CHECK(a3, 0x11223344)
    lw a3, 124(s0)
    CHECK(a3, 0x11223344)
    li a2, 0x55667788
    c.swsp a2, 252(sp)
    c.lwsp t2, 252(sp)
    CHECK(t2, 0x55667788)
    c.lwsp t2, 0(sp)
    c.swsp a2, 0(sp)
    c.lwsp t3, 0(sp)
    CHECK(t3, 0x55667788)
    /* shifts and logic on x8..x15 */
    li a0, 0x80000010
    c.srli a0, 4
    CHECK(a0, 0x08000001)
    li a0, 0x80000010
    c.srai a0, 4
    CHECK(a0, 0xF8000001)
    li a0, 0x80000010
    c.srai a0, 31
    CHECK(a0, -1)
    li a0, 1
    c.slli a0, 31
    CHECK(a0, 0x80000000)
    li t4, 3
    c.slli t4, 2               /* c.slli takes any register */
    CHECK(t4, 12)
    li a0, 0xFF
    c.andi a0, -16
    CHECK(a0, 0xF0)
    li a0, 0xFF
    c.andi a0, 15
    CHECK(a0, 0xF)
    li a0, 10
    li a1, 3
    c.sub a0, a1
    CHECK(a0, 7)
    c.xor a0, a1
    CHECK(a0, 4)
    c.or a0, a1
    CHECK(a0, 7)
    li a1, 5
    c.and a0, a1
    CHECK(a0, 5)
    /* c.mv, c.add */
    li t5, 77
    c.mv t4, t5
    CHECK(t4, 77)
    c.add t4, t5
    CHECK(t4, 154)
    /* c.j, c.beqz, c.bnez (taken and not taken) */
    c.j 1f
    li a7, __LINE__
    j rv_fail
1:  li a0, 0
    c.beqz a0, 2f
    li a7, __LINE__
    j rv_fail
2:  c.bnez a0, 3f
    li a0, 1
    c.bnez a0, 4f
3:  li a7, __LINE__
    j rv_fail
4:  c.beqz a0, 3b
    /* c.jal links pc + 2 */
    c.jal 5f
6:  j 7f
5:  la t4, 6b
    CHECKR(ra, t4)
    c.jr ra
7:  /* c.jalr */
    la t5, 8f
    c.jalr t5
9:  j 10f
8:  la t4, 9b
    CHECKR(ra, t4)
    ret
10: /* a backward compressed loop */
    li a0, 0
    li a1, 5
11: c.addi a0, 2
    c.addi a1, -1
    c.bnez a1, 11b
    CHECK(a0, 10)
TEST_END
    .bss
    .align 4
data: .space 128
    .space 1024
stack_area: .space 1024
