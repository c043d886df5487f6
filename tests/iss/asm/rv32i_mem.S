/* RV32I loads and stores: widths, sign/zero extension, offsets, fences. */
#include "rvtest.h"
    .option norvc
TEST_START
    la s0, buf
    li a0, 0x8081F2F3
    sw a0, 0(s0)
    lw s1, 0(s0)
    CHECK(s1, 0x8081F2F3)
    lb s1, 0(s0)
    CHECK(s1, 0xFFFFFFF3)
    lbu s1, 0(s0)
    CHECK(s1, 0xF3)
    lb s1, 3(s0)
    CHECK(s1, 0xFFFFFF80)
    lbu s1, 3(s0)
    CHECK(s1, 0x80)
    lh s1, 0(s0)
    CHECK(s1, 0xFFFFF2F3)
    lhu s1, 0(s0)
    CHECK(s1, 0xF2F3)
    lh s1, 2(s0)
    CHECK(s1, 0xFFFF8081)
    lhu s1, 2(s0)
    CHECK(s1, 0x8081)
    li a1, 0x1234
    sh a1, 4(s0)
    li a1, 0x55
    sb a1, 6(s0)
    li a1, 0x7F
    sb a1, 7(s0)
    lw s1, 4(s0)
    CHECK(s1, 0x7F551234)
    lb s1, 7(s0)
    CHECK(s1, 0x7F)
    /* negative offsets */
    addi s2, s0, 8
    lw s1, -4(s2)
    CHECK(s1, 0x7F551234)
    li a1, -2
    sw a1, -8(s2)
    lw s1, 0(s0)
    CHECK(s1, -2)
    /* store only touches its bytes */
    sw zero, 8(s0)
    li a1, 0xAB
    sb a1, 9(s0)
    lw s1, 8(s0)
    CHECK(s1, 0x0000AB00)
    li a1, 0xCDEF
    sh a1, 10(s0)
    lw s1, 8(s0)
    CHECK(s1, 0xCDEFAB00)
    /* load into the base register */
    la s3, buf
    lw s3, 8(s3)
    CHECK(s3, 0xCDEFAB00)
    fence
    fence rw, rw
    fence.i
    /* data in .data is loaded from the ELF */
    la s0, init
    lw s1, 0(s0)
    CHECK(s1, 0xCAFEF00D)
    lw s1, 4(s0)
    CHECK(s1, 0x01020304)
    /* .bss is zero (the loader zero-fills p_memsz beyond p_filesz) */
    la s0, zeroed
    lw s1, 0(s0)
    CHECK(s1, 0)
    lw s1, 60(s0)
    CHECK(s1, 0)
TEST_END
    .data
    .align 2
init: .word 0xCAFEF00D, 0x01020304
    .bss
    .align 2
buf: .space 16
zeroed: .space 64
