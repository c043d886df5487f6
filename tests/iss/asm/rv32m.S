/* RV32M: products, high halves, quotients and remainders, with the
 * division-by-zero and signed-overflow results the ISA defines. */
#include "rvtest.h"
    .option norvc
#define OP(op, a, b, expect) li a0, a; li a1, b; op s0, a0, a1; CHECK(s0, expect)
TEST_START
    OP(mul, 7, -3, -21)
    OP(mul, 0x12345678, 0x9ABCDEF0, 0x242D2080)
    OP(mul, 0x80000000, -1, 0x80000000)
    OP(mulh, 0x12345678, 0x9ABCDEF0, 0xF8CC93D6)
    OP(mulh, -1, -1, 0)
    OP(mulh, 0x80000000, 0x80000000, 0x40000000)
    OP(mulh, 0x80000000, 0x7FFFFFFF, 0xC0000000)
    OP(mulhu, 0x12345678, 0x9ABCDEF0, 0x0B00EA4E)
    OP(mulhu, -1, -1, 0xFFFFFFFE)
    OP(mulhu, 0x80000000, 2, 1)
    OP(mulhsu, 0x12345678, 0x9ABCDEF0, 0x0B00EA4E)
    OP(mulhsu, -1, -1, 0xFFFFFFFF)
    OP(mulhsu, 0x80000000, 0xFFFFFFFF, 0x80000000)
    OP(mulhsu, -2, 3, -1)
    OP(div, 20, 6, 3)
    OP(div, -20, 6, -3)
    OP(div, 20, -6, -3)
    OP(div, -20, -6, 3)
    OP(div, 7, 0, -1)
    OP(div, -7, 0, -1)
    OP(div, 0x80000000, -1, 0x80000000)
    OP(div, 0x80000000, 1, 0x80000000)
    OP(divu, 20, 6, 3)
    OP(divu, -20, 6, 0x2AAAAAA7)
    OP(divu, 7, 0, 0xFFFFFFFF)
    OP(divu, 0x80000000, -1, 0)
    OP(rem, 20, 6, 2)
    OP(rem, -20, 6, -2)
    OP(rem, 20, -6, 2)
    OP(rem, -20, -6, -2)
    OP(rem, 7, 0, 7)
    OP(rem, -7, 0, -7)
    OP(rem, 0x80000000, -1, 0)
    OP(remu, 20, 6, 2)
    OP(remu, -20, 6, 2)
    OP(remu, 7, 0, 7)
    OP(remu, 0x80000000, -1, 0x80000000)
    /* rd == rs1 == rs2 */
    li s0, 9
    mul s0, s0, s0
    CHECK(s0, 81)
    div s0, s0, s0
    CHECK(s0, 1)
    mul zero, a0, a1
    CHECK(zero, 0)
TEST_END
