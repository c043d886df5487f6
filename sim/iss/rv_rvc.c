/* RV32C: expand a 16-bit instruction into the 32-bit instruction it stands
 * for, so the core executes one encoding. Returns 0 for an illegal or
 * reserved encoding (0 is never a valid expansion). */
#include "rv_internal.h"

static uint32_t bits(uint32_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static uint32_t enc_i(int32_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned op)
{
    return ((uint32_t)imm & 0xFFFu) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned op)
{
    uint32_t u = (uint32_t)imm;
    return bits(u, 11, 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | bits(u, 4, 0) << 7 | op;
}

static uint32_t enc_b(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3)
{
    uint32_t u = (uint32_t)imm;
    return bits(u, 12, 12) << 31 | bits(u, 10, 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | bits(u, 4, 1) << 8 |
           bits(u, 11, 11) << 7 | 0x63;
}

static uint32_t enc_j(int32_t imm, unsigned rd)
{
    uint32_t u = (uint32_t)imm;
    return bits(u, 20, 20) << 31 | bits(u, 10, 1) << 21 | bits(u, 11, 11) << 20 | bits(u, 19, 12) << 12 | rd << 7 |
           0x6F;
}

static uint32_t enc_r(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3, unsigned rd)
{
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x33;
}

/* sign-extend the low n bits */
static int32_t sext(uint32_t v, unsigned n)
{
    uint32_t m = 1u << (n - 1);
    v &= (m << 1) - 1;
    return (int32_t)(v ^ m) - (int32_t)m;
}

static uint32_t quadrant0(uint32_t c)
{
    unsigned rdp = 8 + bits(c, 4, 2), rs1p = 8 + bits(c, 9, 7);
    uint32_t lw_off = bits(c, 5, 5) << 6 | bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2;
    switch (bits(c, 15, 13)) {
    case 0: { /* c.addi4spn */
        uint32_t imm = bits(c, 10, 7) << 6 | bits(c, 12, 11) << 4 | bits(c, 5, 5) << 3 | bits(c, 6, 6) << 2;
        return imm ? enc_i((int32_t)imm, 2, 0, rdp, 0x13) : 0;
    }
    case 2: return enc_i((int32_t)lw_off, rs1p, 2, rdp, 0x03);    /* c.lw */
    case 6: return enc_s((int32_t)lw_off, rdp, rs1p, 2, 0x23);    /* c.sw */
    default: return 0;                                            /* F/D forms, reserved */
    }
}

static uint32_t quadrant1_alu(uint32_t c)
{
    unsigned rd = 8 + bits(c, 9, 7), rs2 = 8 + bits(c, 4, 2);
    uint32_t shamt = bits(c, 12, 12) << 5 | bits(c, 6, 2);
    switch (bits(c, 11, 10)) {
    case 0: return shamt & 32 ? 0 : enc_i((int32_t)shamt, rd, 5, rd, 0x13);              /* c.srli */
    case 1: return shamt & 32 ? 0 : enc_i((int32_t)(shamt | 0x400), rd, 5, rd, 0x13);    /* c.srai */
    case 2: return enc_i(sext(shamt, 6), rd, 7, rd, 0x13);                                /* c.andi */
    default:
        if (bits(c, 12, 12))
            return 0; /* c.subw/c.addw: RV64 only */
        switch (bits(c, 6, 5)) {
        case 0: return enc_r(0x20, rs2, rd, 0, rd); /* c.sub */
        case 1: return enc_r(0, rs2, rd, 4, rd);    /* c.xor */
        case 2: return enc_r(0, rs2, rd, 6, rd);    /* c.or */
        default: return enc_r(0, rs2, rd, 7, rd);   /* c.and */
        }
    }
}

static uint32_t quadrant1(uint32_t c)
{
    unsigned rd = bits(c, 11, 7), rs1p = 8 + bits(c, 9, 7);
    int32_t imm6 = sext(bits(c, 12, 12) << 5 | bits(c, 6, 2), 6);
    int32_t jimm = sext(bits(c, 12, 12) << 11 | bits(c, 8, 8) << 10 | bits(c, 10, 9) << 8 | bits(c, 6, 6) << 7 |
                            bits(c, 7, 7) << 6 | bits(c, 2, 2) << 5 | bits(c, 11, 11) << 4 | bits(c, 5, 3) << 1,
                        12);
    int32_t bimm = sext(bits(c, 12, 12) << 8 | bits(c, 6, 5) << 6 | bits(c, 2, 2) << 5 | bits(c, 11, 10) << 3 |
                            bits(c, 4, 3) << 1,
                        9);
    switch (bits(c, 15, 13)) {
    case 0: return enc_i(imm6, rd, 0, rd, 0x13); /* c.addi, c.nop */
    case 1: return enc_j(jimm, 1);               /* c.jal */
    case 2: return enc_i(imm6, 0, 0, rd, 0x13);  /* c.li */
    case 3:
        if (rd == 2) { /* c.addi16sp */
            int32_t imm = sext(bits(c, 12, 12) << 9 | bits(c, 4, 3) << 7 | bits(c, 5, 5) << 6 | bits(c, 2, 2) << 5 |
                                   bits(c, 6, 6) << 4,
                               10);
            return imm ? enc_i(imm, 2, 0, 2, 0x13) : 0;
        }
        /* c.lui */
        return imm6 ? ((uint32_t)imm6 << 12 & 0xFFFFF000u) | rd << 7 | 0x37 : 0;
    case 4: return quadrant1_alu(c);
    case 5: return enc_j(jimm, 0);              /* c.j */
    case 6: return enc_b(bimm, 0, rs1p, 0);     /* c.beqz */
    default: return enc_b(bimm, 0, rs1p, 1);    /* c.bnez */
    }
}

static uint32_t quadrant2(uint32_t c)
{
    unsigned rd = bits(c, 11, 7), rs2 = bits(c, 6, 2);
    uint32_t shamt = bits(c, 12, 12) << 5 | bits(c, 6, 2);
    switch (bits(c, 15, 13)) {
    case 0: return shamt & 32 ? 0 : enc_i((int32_t)shamt, rd, 1, rd, 0x13); /* c.slli */
    case 2: {                                                               /* c.lwsp */
        uint32_t off = bits(c, 3, 2) << 6 | bits(c, 12, 12) << 5 | bits(c, 6, 4) << 2;
        return rd ? enc_i((int32_t)off, 2, 2, rd, 0x03) : 0;
    }
    case 4:
        if (!bits(c, 12, 12)) {
            if (rs2 == 0)
                return rd ? enc_i(0, rd, 0, 0, 0x67) : 0; /* c.jr */
            return enc_r(0, rs2, 0, 0, rd);               /* c.mv */
        }
        if (rs2 == 0)
            return rd ? enc_i(0, rd, 0, 1, 0x67) : 0x00100073u; /* c.jalr, c.ebreak */
        return enc_r(0, rs2, rd, 0, rd);                       /* c.add */
    case 6: { /* c.swsp */
        uint32_t off = bits(c, 8, 7) << 6 | bits(c, 12, 9) << 2;
        return enc_s((int32_t)off, rs2, 2, 2, 0x23);
    }
    default: return 0; /* F/D forms */
    }
}

uint32_t rv_expand_c(uint32_t c)
{
    switch (c & 3) {
    case 0: return quadrant0(c);
    case 1: return quadrant1(c);
    case 2: return quadrant2(c);
    default: return 0;
    }
}
