/* RV32I branches (taken / not taken, signed / unsigned), jal and jalr links. */
#include "rvtest.h"
    .option norvc
#define TAKEN(op, a, b) op a, b, 200f; li a7, __LINE__; j rv_fail; 200:
#define NOT_TAKEN(op, a, b) op a, b, 201f; j 202f; 201: li a7, __LINE__; j rv_fail; 202:
TEST_START
    li a0, -1
    li a1, 1
    li a2, 1
    TAKEN(beq, a1, a2)
    NOT_TAKEN(beq, a0, a1)
    TAKEN(bne, a0, a1)
    NOT_TAKEN(bne, a1, a2)
    TAKEN(blt, a0, a1)
    NOT_TAKEN(blt, a1, a0)
    NOT_TAKEN(blt, a1, a2)
    TAKEN(bge, a1, a0)
    TAKEN(bge, a1, a2)
    NOT_TAKEN(bge, a0, a1)
    TAKEN(bltu, a1, a0)
    NOT_TAKEN(bltu, a0, a1)
    NOT_TAKEN(bltu, a1, a2)
    TAKEN(bgeu, a0, a1)
    TAKEN(bgeu, a1, a2)
    NOT_TAKEN(bgeu, a1, a0)
    /* backward branch loop */
    li s0, 0
    li s1, 10
1:  addi s0, s0, 3
    addi s1, s1, -1
    bnez s1, 1b
    CHECK(s0, 30)
    /* jal link = pc + 4, target reached */
    li s2, 0
    jal ra, 2f
3:  j 4f
2:  la s1, 3b
    CHECKR(ra, s1)
    li s2, 1
    jr ra
4:  CHECK(s2, 1)
    /* jalr: target = (rs1 + imm) & ~1, link written after reading rs1 */
    la s3, 5f
    addi s3, s3, -7
    jalr t0, 8(s3)        /* target 5f + 1, bit 0 cleared */
6:  li a7, __LINE__
    j rv_fail
5:  la s1, 6b
    CHECKR(t0, s1)
    la s3, 7f
    jalr s3, 0(s3)        /* rd == rs1 */
8:  li a7, __LINE__
    j rv_fail
7:  la s1, 8b
    CHECKR(s3, s1)
    jal zero, 9f          /* j: no link */
    li a7, __LINE__
    j rv_fail
9:
TEST_END
