/* bitcycle golden model (see bc_golden.h). */
#include "bc_golden.h"

#include <string.h>

/* Test hook: -DBC_GOLDEN_BREAK_SIGN drops the sign-plane negation, so the
 * checker self-test can prove that the RTL regression catches a wrong model. */
#ifdef BC_GOLDEN_BREAK_SIGN
#define BC_SIGN_WEIGHT 1
#else
#define BC_SIGN_WEIGHT (-1)
#endif

int16_t bc_golden_wb16(int32_t v, unsigned shift, bool *overflow)
{
    /* arithmetic shift written as a floor division, so it is defined for negative v */
    int64_t x = (int64_t)v;
    int64_t d = (int64_t)1 << (shift & 31u);
    int64_t q = x >= 0 ? x / d : -((-x + d - 1) / d);
    if (q > INT16_MAX || q < INT16_MIN) {
        if (overflow)
            *overflow = true;
        return q > INT16_MAX ? INT16_MAX : INT16_MIN;
    }
    return (int16_t)q;
}

bool bc_golden_wb16_matrix(const int32_t *c, size_t ldc_elems, int16_t *out, size_t ldo_elems,
                           unsigned m, unsigned n, unsigned shift)
{
    bool overflow = false;
    for (unsigned r = 0; r < m; r++)
        for (unsigned col = 0; col < n; col++)
            out[(size_t)r * ldo_elems + col] = bc_golden_wb16(c[(size_t)r * ldc_elems + col], shift, &overflow);
    return overflow;
}

int32_t bc_golden_sat32(int64_t v, bool *overflow)
{
    if (v > INT32_MAX) {
        if (overflow)
            *overflow = true;
        return INT32_MAX;
    }
    if (v < INT32_MIN) {
        if (overflow)
            *overflow = true;
        return INT32_MIN;
    }
    return (int32_t)v;
}

int64_t bc_golden_value(uint32_t raw, unsigned bits, bool is_signed)
{
    if (bits == 0)
        return 0;
    if (bits > 32)
        bits = 32;
    uint64_t mask = (bits == 32) ? 0xffffffffull : ((1ull << bits) - 1u);
    uint64_t u = (uint64_t)raw & mask;
    if (is_signed && (u >> (bits - 1)) & 1u)
        return (int64_t)u - (int64_t)(1ull << bits);
    return (int64_t)u;
}

int64_t bc_golden_acc_wrap(int64_t v)
{
    const uint64_t mod = 1ull << BC_GOLDEN_ACC_W;
    uint64_t u = (uint64_t)v & (mod - 1u);
    if (u & (mod >> 1))
        return (int64_t)u - (int64_t)mod;
    return (int64_t)u;
}

static bool bits_ok(unsigned wbits, unsigned abits)
{
    return wbits >= 1 && wbits <= BC_GOLDEN_MAX_BITS && abits >= 1 && abits <= BC_GOLDEN_MAX_BITS;
}

/* Sign weight of an element's top bit: the hardware negates the sign plane. */
static int64_t element_value(int32_t raw, unsigned bits, bool is_signed)
{
    int64_t u = (int64_t)((uint32_t)raw & ((1u << bits) - 1u));
    if (is_signed && ((u >> (bits - 1)) & 1))
        return u - (int64_t)(1ull << (bits - 1)) + BC_SIGN_WEIGHT * (int64_t)(1ull << (bits - 1));
    return u;
}

bool bc_golden_gemm(const int32_t *a, size_t lda_elems, const int32_t *b, size_t ldb_elems,
                    int32_t *c, size_t ldc_elems, unsigned m, unsigned n, unsigned k,
                    unsigned wbits, unsigned abits, bool wsigned, bool asigned)
{
    if (!bits_ok(wbits, abits))
        return false;
    bool overflow = false;
    for (unsigned r = 0; r < m; r++) {
        for (unsigned col = 0; col < n; col++) {
            /* |product| <= 2^30 and K < 2^32, so the int64 sum cannot overflow. */
            int64_t sum = 0;
            for (unsigned kk = 0; kk < k; kk++) {
                int64_t x = element_value(a[(size_t)r * lda_elems + kk], wbits, wsigned);
                int64_t y = element_value(b[(size_t)kk * ldb_elems + col], abits, asigned);
                sum += x * y;
            }
            c[(size_t)r * ldc_elems + col] = bc_golden_sat32(bc_golden_acc_wrap(sum), &overflow);
        }
    }
    return overflow;
}

static unsigned popcount64(uint64_t x)
{
    unsigned count = 0;
    while (x) {
        x &= x - 1u;
        count++;
    }
    return count;
}

/* Bits of plane `plane` of elements kc*64 .. kc*64+63 (0 beyond k). */
static uint64_t plane_word(const int32_t *x, size_t ldx, size_t col_stride, unsigned r, unsigned k,
                           unsigned kc, unsigned plane)
{
    uint64_t word = 0;
    for (unsigned t = 0; t < 64; t++) {
        unsigned kk = kc * 64u + t;
        if (kk >= k)
            break;
        uint32_t raw = (uint32_t)x[(size_t)r * ldx + (size_t)kk * col_stride];
        word |= (uint64_t)((raw >> plane) & 1u) << t;
    }
    return word;
}

bool bc_golden_gemm_bitplane(const int32_t *a, size_t lda_elems, const int32_t *b, size_t ldb_elems,
                             int32_t *c, size_t ldc_elems, unsigned m, unsigned n, unsigned k,
                             unsigned wbits, unsigned abits, bool wsigned, bool asigned)
{
    if (!bits_ok(wbits, abits))
        return false;
    bool overflow = false;
    unsigned kcs = bc_golden_kchunks(k);
    for (unsigned r = 0; r < m; r++) {
        for (unsigned col = 0; col < n; col++) {
            uint64_t acc = 0; /* modulo 2^64, wrapped to ACC_W at the end */
            for (unsigned kc = 0; kc < kcs; kc++) {
                for (unsigned i = 0; i < wbits; i++) {
                    uint64_t ap = plane_word(a, lda_elems, 1, r, k, kc, i);
                    for (unsigned j = 0; j < abits; j++) {
                        uint64_t bp = plane_word(b, 1, ldb_elems, col, k, kc, j);
                        uint64_t contrib = (uint64_t)popcount64(ap & bp) << (i + j);
                        bool neg = (wsigned && i == wbits - 1) != (asigned && j == abits - 1);
#ifdef BC_GOLDEN_BREAK_SIGN
                        neg = false;
#endif
                        acc = neg ? acc - contrib : acc + contrib;
                    }
                }
            }
            int64_t wrapped = bc_golden_acc_wrap((int64_t)(acc & ((1ull << BC_GOLDEN_ACC_W) - 1u)));
            c[(size_t)r * ldc_elems + col] = bc_golden_sat32(wrapped, &overflow);
        }
    }
    return overflow;
}

unsigned bc_golden_kchunks(unsigned k)
{
    return (k + 63u) / 64u;
}

void bc_golden_pack(const int32_t *x, size_t ldx_elems, size_t col_stride_elems,
                    unsigned rows, unsigned k, unsigned bits, uint64_t *out, size_t ld_words)
{
    unsigned kcs = bc_golden_kchunks(k);
    for (unsigned r = 0; r < rows; r++)
        for (unsigned kc = 0; kc < kcs; kc++)
            for (unsigned p = 0; p < bits; p++)
                out[(size_t)r * ld_words + (size_t)kc * bits + p] =
                    plane_word(x, ldx_elems, col_stride_elems, r, k, kc, p);
}

void bc_golden_unpack(const uint64_t *in, size_t ld_words, unsigned rows, unsigned k,
                      unsigned bits, bool is_signed, int32_t *x, size_t ldx_elems)
{
    if (bits == 0 || bits > 32)
        return;
    for (unsigned r = 0; r < rows; r++) {
        for (unsigned kk = 0; kk < k; kk++) {
            unsigned kc = kk / 64u, t = kk % 64u;
            uint32_t raw = 0;
            for (unsigned p = 0; p < bits; p++)
                raw |= (uint32_t)((in[(size_t)r * ld_words + (size_t)kc * bits + p] >> t) & 1u) << p;
            x[(size_t)r * ldx_elems + kk] = (int32_t)bc_golden_value(raw, bits, is_signed);
        }
    }
}

uint64_t bc_golden_tile_passes(unsigned k, unsigned wbits, unsigned abits, unsigned dk)
{
    if (dk == 0)
        return 0;
    return (uint64_t)((k + dk - 1u) / dk) * wbits * abits;
}

uint64_t bc_golden_core_passes(unsigned m, unsigned n, unsigned k, unsigned wbits, unsigned abits,
                               unsigned dm, unsigned dn, unsigned dk)
{
    if (dm == 0 || dn == 0)
        return 0;
    uint64_t tiles = (uint64_t)((m + dm - 1u) / dm) * ((n + dn - 1u) / dn);
    return tiles * bc_golden_tile_passes(k, wbits, abits, dk);
}

uint64_t bc_golden_core_cycles(unsigned m, unsigned n, unsigned k, unsigned wbits, unsigned abits,
                               unsigned dm, unsigned dn, unsigned dk)
{
    return BC_GOLDEN_CORE_FILL + bc_golden_core_passes(m, n, k, wbits, abits, dm, dn, dk) +
           BC_GOLDEN_CORE_DRAIN;
}
