/* Bit-plane packing, word at a time.
 *
 * Eight elements at a time: their low (or high) bytes form one 64-bit word
 * (byte i = element i), an 8x8 bit-matrix transpose turns it into byte p =
 * bit p of the eight elements, and each byte lands in plane word p at byte
 * position g. Unpacking runs the same transpose backwards. */
#include "bitcycle.h"

/* Transpose the 8x8 bit matrix with row r = byte r, column c = bit c. */
static inline uint64_t transpose8(uint64_t x)
{
    uint64_t t;
    t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAull;
    x ^= t ^ (t << 7);
    t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCull;
    x ^= t ^ (t << 14);
    t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0ull;
    x ^= t ^ (t << 28);
    return x;
}

static void zero_words(uint64_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = 0;
}

bool bc_fits(int32_t v, unsigned bits, bool is_signed)
{
    if (bits < 1 || bits > 32)
        return false;
    if (is_signed) {
        int64_t lo = -((int64_t)1 << (bits - 1)), hi = ((int64_t)1 << (bits - 1)) - 1;
        return v >= lo && v <= hi;
    }
    return v >= 0 && (uint64_t)(uint32_t)v <= (((uint64_t)1 << bits) - 1);
}

/* One 64-column chunk of one row: n (1..64) elements at x[0], x[cs], ... */
static void pack_chunk(const int32_t *x, size_t cs, unsigned n, unsigned bits, uint64_t *planes)
{
    uint64_t lo[8] = {0}, hi[8] = {0};
    unsigned lo_planes = bits < 8 ? bits : 8;
    for (unsigned g = 0; g * 8 < n; g++) {
        uint64_t bl = 0, bh = 0;
        unsigned cnt = n - g * 8 < 8 ? n - g * 8 : 8;
        const int32_t *p = x + (size_t)g * 8 * cs;
        for (unsigned i = 0; i < cnt; i++) {
            uint32_t v = (uint32_t)p[(size_t)i * cs];
            bl |= (uint64_t)(v & 0xffu) << (8 * i);
            bh |= (uint64_t)((v >> 8) & 0xffu) << (8 * i);
        }
        uint64_t tl = transpose8(bl);
        for (unsigned q = 0; q < lo_planes; q++)
            lo[q] |= ((tl >> (8 * q)) & 0xffu) << (8 * g);
        if (bits > 8) {
            uint64_t th = transpose8(bh);
            for (unsigned q = 0; q < bits - 8; q++)
                hi[q] |= ((th >> (8 * q)) & 0xffu) << (8 * g);
        }
    }
    for (unsigned q = 0; q < lo_planes; q++)
        planes[q] = lo[q];
    for (unsigned q = 8; q < bits; q++)
        planes[q] = hi[q - 8];
}

bc_status_t bc_pack(const int32_t *x, size_t ldx, size_t col_stride, unsigned rows, unsigned k,
                    unsigned bits, uint64_t *out, size_t ld_words)
{
    if ((!x || !out) && rows && k)
        return BC_E_NULL;
    if (bits < 1 || bits > 16)
        return BC_E_ARG;
    const unsigned kc = (k + 63u) / 64u;
    const size_t row_words = (size_t)kc * bits;
    if (ld_words < row_words)
        return BC_E_ARG;
    for (unsigned r = 0; r < rows; r++) {
        uint64_t *orow = out + (size_t)r * ld_words;
        const int32_t *xrow = x + (size_t)r * ldx;
        for (unsigned c = 0; c < kc; c++) {
            unsigned n = k - c * 64u < 64u ? k - c * 64u : 64u;
            pack_chunk(xrow + (size_t)c * 64u * col_stride, col_stride, n, bits,
                       orow + (size_t)c * bits);
        }
        zero_words(orow + row_words, ld_words - row_words);
    }
    return BC_OK;
}

static void unpack_chunk(const uint64_t *planes, unsigned n, unsigned bits, bool is_signed,
                         int32_t *x)
{
    unsigned lo_planes = bits < 8 ? bits : 8;
    for (unsigned g = 0; g * 8 < n; g++) {
        uint64_t bl = 0, bh = 0;
        for (unsigned q = 0; q < lo_planes; q++)
            bl |= ((planes[q] >> (8 * g)) & 0xffu) << (8 * q);
        for (unsigned q = 8; q < bits; q++)
            bh |= ((planes[q] >> (8 * g)) & 0xffu) << (8 * (q - 8));
        uint64_t tl = transpose8(bl), th = bits > 8 ? transpose8(bh) : 0;
        unsigned cnt = n - g * 8 < 8 ? n - g * 8 : 8;
        for (unsigned i = 0; i < cnt; i++) {
            uint32_t v = (uint32_t)((tl >> (8 * i)) & 0xffu) |
                         (uint32_t)((th >> (8 * i)) & 0xffu) << 8;
            if (is_signed && (v >> (bits - 1)) & 1u)
                v |= ~(uint32_t)0 << (bits - 1); /* sign-extend */
            /* Two's-complement reinterpretation without implementation-defined conversion. */
            x[g * 8 + i] = v >= 0x80000000u ? -(int32_t)(~v) - 1 : (int32_t)v;
        }
    }
}

bc_status_t bc_unpack(const uint64_t *in, size_t ld_words, unsigned rows, unsigned k,
                      unsigned bits, bool is_signed, int32_t *x, size_t ldx)
{
    if ((!x || !in) && rows && k)
        return BC_E_NULL;
    if (bits < 1 || bits > 16)
        return BC_E_ARG;
    const unsigned kc = (k + 63u) / 64u;
    if (ld_words < (size_t)kc * bits)
        return BC_E_ARG;
    for (unsigned r = 0; r < rows; r++) {
        for (unsigned c = 0; c < kc; c++) {
            unsigned n = k - c * 64u < 64u ? k - c * 64u : 64u;
            unpack_chunk(in + (size_t)r * ld_words + (size_t)c * bits, n, bits, is_signed,
                         x + (size_t)r * ldx + (size_t)c * 64u);
        }
    }
    return BC_OK;
}
