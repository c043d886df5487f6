/* The exact GEMM behind fsim, on bit-plane packed operands.
 *
 * Hardware semantics (docs/contracts.md): exact integer dot products (the
 * 48-bit accumulator never wraps for K <= MAX_K), saturated to int32.
 * Instead of wbits*abits popcounts per 64 columns, operands are unpacked
 * once per job with the word-at-a-time bc_unpack and multiplied as narrow
 * integers, which the compiler vectorises:
 *  - int16 lanes with int32 partial sums per 64-column chunk when every
 *    value fits int16 and wbits + abits <= 24 (|product| <= 2^24, so a
 *    64-term chunk stays below 2^30);
 *  - int32 lanes with int64 sums otherwise (16-bit unsigned operands).
 * Tested bit-exact against bc_golden_gemm at every precision. */
#include <stdlib.h>
#include <string.h>

#include "bc_hal_fsim.h"
#include "bitcycle.h"

#define CHUNK 64u

static int32_t sat32(int64_t v, bool *ovf)
{
    if (v > INT32_MAX) {
        *ovf = true;
        return INT32_MAX;
    }
    if (v < INT32_MIN) {
        *ovf = true;
        return INT32_MIN;
    }
    return (int32_t)v;
}

static bool fits_int16(unsigned bits, bool is_signed)
{
    return is_signed ? bits <= 16 : bits <= 15;
}

/* Unpack rows into a zero-padded int32 scratch row, then narrow if asked. */
static void unpack_rows16(const uint64_t *src, size_t ld_words, unsigned rows, unsigned k,
                          unsigned kpad, unsigned bits, bool is_signed, int16_t *dst,
                          int32_t *tmp)
{
    for (unsigned r = 0; r < rows; r++) {
        bc_unpack(src + (size_t)r * ld_words, ld_words, 1, k, bits, is_signed, tmp, k);
        int16_t *d = dst + (size_t)r * kpad;
        for (unsigned t = 0; t < k; t++)
            d[t] = (int16_t)tmp[t];
        for (unsigned t = k; t < kpad; t++)
            d[t] = 0;
    }
}

static inline int32_t dot16_chunk(const int16_t *restrict a, const int16_t *restrict b)
{
    int32_t s = 0;
    for (unsigned t = 0; t < CHUNK; t++)
        s += (int32_t)a[t] * (int32_t)b[t];
    return s;
}

static bool gemm16(const uint64_t *a, size_t lda, const uint64_t *b, size_t ldb, int32_t *c,
                   size_t ldc, unsigned m, unsigned n, unsigned k, unsigned wbits,
                   unsigned abits, bool wsigned, bool asigned, bool *ok)
{
    const unsigned kpad = (k + CHUNK - 1) / CHUNK * CHUNK, nchunks = kpad / CHUNK;
    int16_t *bu = malloc((size_t)n * kpad * sizeof *bu);
    int16_t *au = malloc((size_t)kpad * sizeof *au);
    int32_t *tmp = malloc((size_t)kpad * sizeof *tmp);
    bool ovf = false;
    *ok = bu && au && tmp;
    if (*ok) {
        unpack_rows16(b, ldb, n, k, kpad, abits, asigned, bu, tmp);
        for (unsigned r = 0; r < m; r++) {
            unpack_rows16(a + (size_t)r * lda, lda, 1, k, kpad, wbits, wsigned, au, tmp);
            for (unsigned j = 0; j < n; j++) {
                const int16_t *bj = bu + (size_t)j * kpad;
                int64_t acc = 0;
                for (unsigned ch = 0; ch < nchunks; ch++)
                    acc += dot16_chunk(au + ch * CHUNK, bj + ch * CHUNK);
                c[(size_t)r * ldc + j] = sat32(acc, &ovf);
            }
        }
    }
    free(bu);
    free(au);
    free(tmp);
    return ovf;
}

static bool gemm32(const uint64_t *a, size_t lda, const uint64_t *b, size_t ldb, int32_t *c,
                   size_t ldc, unsigned m, unsigned n, unsigned k, unsigned wbits,
                   unsigned abits, bool wsigned, bool asigned, bool *ok)
{
    int32_t *bu = malloc((size_t)n * k * sizeof *bu);
    int32_t *au = malloc((size_t)k * sizeof *au);
    bool ovf = false;
    *ok = bu && au;
    if (*ok) {
        bc_unpack(b, ldb, n, k, abits, asigned, bu, k);
        for (unsigned r = 0; r < m; r++) {
            bc_unpack(a + (size_t)r * lda, lda, 1, k, wbits, wsigned, au, k);
            for (unsigned j = 0; j < n; j++) {
                const int32_t *bj = bu + (size_t)j * k;
                int64_t acc = 0;
                for (unsigned t = 0; t < k; t++)
                    acc += (int64_t)au[t] * bj[t];
                c[(size_t)r * ldc + j] = sat32(acc, &ovf);
            }
        }
    }
    free(bu);
    free(au);
    return ovf;
}

/* Without scratch memory: one output at a time straight from the planes. */
static bool gemm_planes(const uint64_t *a, size_t lda, const uint64_t *b, size_t ldb, int32_t *c,
                        size_t ldc, unsigned m, unsigned n, unsigned k, unsigned wbits,
                        unsigned abits, bool wsigned, bool asigned)
{
    const unsigned kc = (k + 63u) / 64u;
    bool ovf = false;
    for (unsigned r = 0; r < m; r++)
        for (unsigned j = 0; j < n; j++) {
            int64_t acc = 0;
            for (unsigned ch = 0; ch < kc; ch++) {
                unsigned valid = k - ch * 64u < 64u ? k - ch * 64u : 64u;
                uint64_t kmask = valid == 64u ? ~0ull : ((1ull << valid) - 1u);
                const uint64_t *ap = a + (size_t)r * lda + (size_t)ch * wbits;
                const uint64_t *bp = b + (size_t)j * ldb + (size_t)ch * abits;
                for (unsigned i = 0; i < wbits; i++)
                    for (unsigned q = 0; q < abits; q++) {
                        int64_t p = __builtin_popcountll(ap[i] & bp[q] & kmask);
                        bool neg = (wsigned && i == wbits - 1) != (asigned && q == abits - 1);
                        acc += neg ? -(p << (i + q)) : p << (i + q);
                    }
            }
            c[(size_t)r * ldc + j] = sat32(acc, &ovf);
        }
    return ovf;
}

bool bc_fsim_gemm_packed(const uint64_t *a, size_t lda_words, const uint64_t *b, size_t ldb_words,
                         int32_t *c, size_t ldc_elems, unsigned m, unsigned n, unsigned k,
                         unsigned wbits, unsigned abits, bool wsigned, bool asigned)
{
    if (!m || !n || !k || wbits < 1 || wbits > 16 || abits < 1 || abits > 16)
        return false;
    bool ok, ovf;
    if (fits_int16(wbits, wsigned) && fits_int16(abits, asigned) && wbits + abits <= 24)
        ovf = gemm16(a, lda_words, b, ldb_words, c, ldc_elems, m, n, k, wbits, abits, wsigned,
                     asigned, &ok);
    else
        ovf = gemm32(a, lda_words, b, ldb_words, c, ldc_elems, m, n, k, wbits, abits, wsigned,
                     asigned, &ok);
    if (!ok)
        ovf = gemm_planes(a, lda_words, b, ldb_words, c, ldc_elems, m, n, k, wbits, abits,
                          wsigned, asigned);
    return ovf;
}
