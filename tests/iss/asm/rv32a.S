/* RV32A: lr.w/sc.w (success, failure without a reservation, address
 * mismatch), every AMO with its old value returned and the memory result. */
#include "rvtest.h"
    .option norvc
#define AMO(op, init, src, expect_mem) \
    li a0, init; sw a0, 0(s0); li a1, src; op s1, a1, (s0); CHECK(s1, init); lw s2, 0(s0); CHECK(s2, expect_mem)
TEST_START
    la s0, word
    AMO(amoswap.w, 5, 9, 9)
    AMO(amoadd.w, 0x7FFFFFFF, 1, 0x80000000)
    AMO(amoxor.w, 0xF0F0, 0xFF00, 0x0FF0)
    AMO(amoand.w, 0xF0F0, 0xFF00, 0xF000)
    AMO(amoor.w, 0xF0F0, 0xFF00, 0xFFF0)
    AMO(amomin.w, -5, 3, -5)
    AMO(amomin.w, 7, 3, 3)
    AMO(amomax.w, -5, 3, 3)
    AMO(amomax.w, 7, -3, 7)
    AMO(amominu.w, -5, 3, 3)
    AMO(amominu.w, 2, -1, 2)
    AMO(amomaxu.w, -5, 3, -5)
    AMO(amomaxu.w, 2, 3, 3)
    AMO(amoadd.w.aq, 1, 2, 3)
    AMO(amoswap.w.aqrl, 1, 2, 2)
    /* rd = x0: memory still updated */
    li a0, 10
    sw a0, 0(s0)
    li a1, 5
    amoadd.w zero, a1, (s0)
    lw s2, 0(s0)
    CHECK(s2, 15)
    /* lr/sc success */
    lr.w s1, (s0)
    CHECK(s1, 15)
    li a1, 42
    sc.w s2, a1, (s0)
    CHECK(s2, 0)
    lw s3, 0(s0)
    CHECK(s3, 42)
    /* second sc without a new lr fails and does not write */
    li a1, 43
    sc.w s2, a1, (s0)
    CHECK(s2, 1)
    lw s3, 0(s0)
    CHECK(s3, 42)
    /* sc to a different address than the reservation fails */
    la s4, word2
    lr.w s1, (s0)
    sc.w s2, a1, (s4)
    CHECK(s2, 1)
    lw s3, 0(s4)
    CHECK(s3, 0)
    /* lr/sc loop: atomic increment */
    li s5, 0
1:  lr.w.aq s1, (s0)
    addi s1, s1, 1
    sc.w.rl s2, s1, (s0)
    bnez s2, 1b
    lw s3, 0(s0)
    CHECK(s3, 43)
TEST_END
    .data
    .align 2
word: .word 0
word2: .word 0
