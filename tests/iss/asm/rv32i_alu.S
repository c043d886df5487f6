/* RV32I register-register and immediate arithmetic, logic, shifts, compares, lui, auipc. */
#include "rvtest.h"
    .option norvc
TEST_START
    li a0, 0x12345678
    li a1, 0x0F0F0F0F
    li a2, -5
    add s0, a0, a1
    CHECK(s0, 0x21436587)
    sub s0, a0, a1
    CHECK(s0, 0x03254769)
    sub s0, a1, a0
    CHECK(s0, 0xFCDAB897)
    and s0, a0, a1
    CHECK(s0, 0x02040608)
    or s0, a0, a1
    CHECK(s0, 0x1F3F5F7F)
    xor s0, a0, a1
    CHECK(s0, 0x1D3B5977)
    li a3, 36            /* shift amounts use the low 5 bits */
    sll s0, a0, a3
    CHECK(s0, 0x23456780)
    srl s0, a2, a3
    CHECK(s0, 0x0FFFFFFF)
    sra s0, a2, a3
    CHECK(s0, -1)
    li a3, 31
    sll s0, a2, a3
    CHECK(s0, 0x80000000)
    slt s0, a2, a0
    CHECK(s0, 1)
    slt s0, a0, a2
    CHECK(s0, 0)
    sltu s0, a2, a0
    CHECK(s0, 0)
    sltu s0, a0, a2
    CHECK(s0, 1)
    slt s0, a0, a0
    CHECK(s0, 0)
    addi s0, a0, -0x678
    CHECK(s0, 0x12345000)
    addi s0, zero, 2047
    CHECK(s0, 2047)
    addi s0, zero, -2048
    CHECK(s0, -2048)
    andi s0, a0, -16
    CHECK(s0, 0x12345670)
    ori s0, a0, 0x7FF
    CHECK(s0, 0x123457FF)
    xori s0, a0, -1
    CHECK(s0, 0xEDCBA987)
    slti s0, a2, -4
    CHECK(s0, 1)
    slti s0, a2, -5
    CHECK(s0, 0)
    sltiu s0, a0, -1      /* immediate sign-extends, then compares unsigned */
    CHECK(s0, 1)
    sltiu s0, zero, 1     /* seqz */
    CHECK(s0, 1)
    slli s0, a0, 4
    CHECK(s0, 0x23456780)
    srli s0, a2, 28
    CHECK(s0, 0xF)
    srai s0, a2, 1
    CHECK(s0, -3)
    srai s0, a0, 31
    CHECK(s0, 0)
    lui s0, 0xFFFFF
    CHECK(s0, 0xFFFFF000)
    lui s0, 0x80000
    CHECK(s0, 0x80000000)
1:  auipc s0, 0x1
    la s1, 1b
    sub s0, s0, s1
    CHECK(s0, 0x1000)
2:  auipc s0, 0
    la s1, 2b
    CHECKR(s0, s1)
    add zero, a0, a1      /* x0 stays 0 */
    CHECK(zero, 0)
    addi zero, zero, 5
    CHECK(zero, 0)
TEST_END
