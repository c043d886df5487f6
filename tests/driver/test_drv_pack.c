/* Packing: round trips at every precision and signedness, word-for-word
 * equality with the golden model's packer and unpacker, and fsim's exact
 * packed GEMM bit-exact against bc_golden_gemm at every precision pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bc_golden.h"
#include "bc_hal_fsim.h"
#include "bitcycle.h"
#include "drv_tests.h"

static const unsigned ks[] = {1, 7, 63, 64, 65, 128, 130, 200};

static void test_pack_roundtrip_and_golden(void **state)
{
    (void)state;
    drv_rand_t rnd = {drv_test_seed() * 7919u};
    const unsigned rows = 3, maxk = 200, ld_words = (maxk + 63) / 64 * 16 + 2;
    int32_t *x = malloc(sizeof *x * rows * maxk * 2);
    int32_t *y = malloc(sizeof *y * rows * maxk);
    int32_t *yg = malloc(sizeof *yg * rows * maxk);
    uint64_t *p = malloc(sizeof *p * rows * ld_words);
    uint64_t *pg = malloc(sizeof *pg * rows * ld_words);
    assert_non_null(x && y && yg && p && pg);
    unsigned checked = 0;
    for (unsigned bits = 1; bits <= 16; bits++)
        for (int sgn = 0; sgn <= 1; sgn++)
            for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ki++) {
                unsigned k = ks[ki];
                const size_t ldx = k + 3; /* row padding that must be ignored */
                for (size_t i = 0; i < rows * ldx; i++)
                    x[i] = drv_rand_val(&rnd, bits, sgn);
                memset(p, 0xA5, sizeof *p * rows * ld_words);
                memset(pg, 0, sizeof *pg * rows * ld_words);
                assert_int_equal(bc_pack(x, ldx, 1, rows, k, bits, p, ld_words), BC_OK);
                bc_golden_pack(x, ldx, 1, rows, k, bits, pg, ld_words);
                for (size_t w = 0; w < (size_t)rows * ld_words; w++)
                    if (p[w] != pg[w])
                        fail_msg("pack bits=%u signed=%d k=%u word %zu: %016llx, golden %016llx "
                                 "(SEED=%llu)",
                                 bits, sgn, k, w, (unsigned long long)p[w],
                                 (unsigned long long)pg[w], (unsigned long long)drv_test_seed());
                assert_int_equal(bc_unpack(p, ld_words, rows, k, bits, sgn, y, k), BC_OK);
                bc_golden_unpack(p, ld_words, rows, k, bits, sgn, yg, k);
                for (unsigned r = 0; r < rows; r++)
                    for (unsigned c = 0; c < k; c++) {
                        int32_t want = x[r * ldx + c];
                        if (y[r * k + c] != want || yg[r * k + c] != want)
                            fail_msg("roundtrip bits=%u signed=%d k=%u (%u,%u): got %d, "
                                     "golden unpack %d, want %d (SEED=%llu)",
                                     bits, sgn, k, r, c, y[r * k + c], yg[r * k + c], want,
                                     (unsigned long long)drv_test_seed());
                    }
                checked++;
            }
    assert_int_equal(checked, 16 * 2 * (sizeof ks / sizeof ks[0]));
    free(x);
    free(y);
    free(yg);
    free(p);
    free(pg);
}

/* B (K x N row-major) packs as the N rows of its transpose: col_stride = N. */
static void test_pack_column_stride_and_high_bits(void **state)
{
    (void)state;
    enum { K = 70, N = 5 };
    int32_t b[K * N];
    for (int i = 0; i < K * N; i++)
        b[i] = (int32_t)(0x7FFF0000u | (uint32_t)(i * 37)) ^ (i & 1 ? -1 : 0); /* junk high bits */
    for (unsigned bits = 1; bits <= 16; bits++) {
        uint64_t p[N * 2 * 16], pg[N * 2 * 16];
        const size_t ld = 2 * bits;
        assert_int_equal(bc_pack(b, 1, N, N, K, bits, p, ld), BC_OK);
        memset(pg, 0, sizeof pg);
        bc_golden_pack(b, 1, N, N, K, bits, pg, ld);
        assert_memory_equal(p, pg, sizeof p[0] * N * ld);
        int32_t back[N * K];
        assert_int_equal(bc_unpack(p, ld, N, K, bits, false, back, K), BC_OK);
        for (int n = 0; n < N; n++)
            for (int k = 0; k < K; k++)
                assert_int_equal(back[n * K + k], (int32_t)((uint32_t)b[k * N + n] & ((1u << bits) - 1u)));
    }
}

static void test_pack_arguments_and_fits(void **state)
{
    (void)state;
    int32_t x[64] = {0};
    uint64_t p[32];
    assert_int_equal(bc_pack(x, 64, 1, 1, 64, 0, p, 32), BC_E_ARG);
    assert_int_equal(bc_pack(x, 64, 1, 1, 64, 17, p, 32), BC_E_ARG);
    assert_int_equal(bc_pack(x, 64, 1, 1, 64, 8, p, 7), BC_E_ARG); /* needs 8 words */
    assert_int_equal(bc_pack(NULL, 64, 1, 1, 64, 8, p, 8), BC_E_NULL);
    assert_int_equal(bc_unpack(p, 7, 1, 64, 8, true, x, 64), BC_E_ARG);
    assert_int_equal(bc_packed_row_bytes(65, 3), 2 * 3 * 8);
    assert_true(bc_fits(-8, 4, true));
    assert_false(bc_fits(-9, 4, true));
    assert_true(bc_fits(7, 4, true));
    assert_false(bc_fits(8, 4, true));
    assert_true(bc_fits(15, 4, false));
    assert_false(bc_fits(16, 4, false));
    assert_false(bc_fits(-1, 4, false));
    assert_true(bc_fits(INT32_MIN, 32, true));
    assert_false(bc_fits(1, 0, false));
}

/* fsim's exact GEMM on packed operands vs bc_golden_gemm on plain ints. */
static void check_gemm(drv_rand_t *rnd, unsigned m, unsigned n, unsigned k, unsigned wb,
                       unsigned ab, bool ws, bool as, int extreme)
{
    const unsigned kc = (k + 63) / 64;
    const size_t lda = kc * wb + 1, ldb = kc * ab; /* lda padded by one word */
    int32_t *a = malloc(sizeof *a * m * k), *b = malloc(sizeof *b * k * n);
    int32_t *c = malloc(sizeof *c * m * (n + 1)), *cg = malloc(sizeof *cg * m * n);
    uint64_t *pa = calloc((size_t)m * lda, 8), *pb = calloc((size_t)n * ldb, 8);
    assert_non_null(a && b && c && cg && pa && pb);
    for (size_t i = 0; i < (size_t)m * k; i++)
        a[i] = extreme ? (ws ? -(1 << (wb - 1)) : (int32_t)((1u << wb) - 1)) : drv_rand_val(rnd, wb, ws);
    for (size_t i = 0; i < (size_t)k * n; i++)
        b[i] = extreme ? (as ? -(1 << (ab - 1)) : (int32_t)((1u << ab) - 1)) : drv_rand_val(rnd, ab, as);
    assert_int_equal(bc_pack(a, k, 1, m, k, wb, pa, lda), BC_OK);
    assert_int_equal(bc_pack(b, 1, n, n, k, ab, pb, ldb), BC_OK);
    bool ovf = bc_fsim_gemm_packed(pa, lda, pb, ldb, c, n + 1, m, n, k, wb, ab, ws, as);
    bool ovfg = bc_golden_gemm(a, k, b, n, cg, n, m, n, k, wb, ab, ws, as);
    if (ovf != ovfg)
        fail_msg("gemm %ux%ux%u w%u%c a%u%c: overflow %d, golden %d (SEED=%llu)", m, n, k, wb,
                 ws ? 's' : 'u', ab, as ? 's' : 'u', ovf, ovfg,
                 (unsigned long long)drv_test_seed());
    for (unsigned i = 0; i < m; i++)
        for (unsigned j = 0; j < n; j++)
            if (c[i * (n + 1) + j] != cg[i * n + j])
                fail_msg("gemm %ux%ux%u w%u%c a%u%c C[%u][%u]: fsim %d, golden %d (SEED=%llu)", m,
                         n, k, wb, ws ? 's' : 'u', ab, as ? 's' : 'u', i, j, c[i * (n + 1) + j],
                         cg[i * n + j], (unsigned long long)drv_test_seed());
    free(a);
    free(b);
    free(c);
    free(cg);
    free(pa);
    free(pb);
}

static void test_fsim_gemm_bitexact_every_precision(void **state)
{
    (void)state;
    drv_rand_t rnd = {drv_test_seed() * 104729u};
    for (unsigned wb = 1; wb <= 16; wb++)
        for (unsigned ab = 1; ab <= 16; ab++)
            for (int sg = 0; sg < 4; sg++) {
                unsigned m = (unsigned)drv_rand_range(&rnd, 1, 5);
                unsigned n = (unsigned)drv_rand_range(&rnd, 1, 5);
                unsigned k = (unsigned)drv_rand_range(&rnd, 1, 150);
                check_gemm(&rnd, m, n, k, wb, ab, sg & 1, sg & 2, 0);
            }
}

static void test_fsim_gemm_extremes_and_saturation(void **state)
{
    (void)state;
    drv_rand_t rnd = {drv_test_seed()};
    /* Full K at 16/16: the largest sums, saturating in both directions. */
    for (int sg = 0; sg < 4; sg++)
        check_gemm(&rnd, 2, 3, 2048, 16, 16, sg & 1, sg & 2, 1);
    check_gemm(&rnd, 2, 2, 2048, 15, 9, true, true, 1);  /* int16 path limit */
    check_gemm(&rnd, 2, 2, 2048, 8, 16, false, true, 1);
    check_gemm(&rnd, 9, 17, 2048, 16, 16, true, true, 0);
    check_gemm(&rnd, 17, 9, 1000, 8, 8, true, false, 0);
}

const struct CMUnitTest drv_pack_tests[] = {
    cmocka_unit_test(test_pack_roundtrip_and_golden),
    cmocka_unit_test(test_pack_column_stride_and_high_bits),
    cmocka_unit_test(test_pack_arguments_and_fits),
    cmocka_unit_test(test_fsim_gemm_bitexact_every_precision),
    cmocka_unit_test(test_fsim_gemm_extremes_and_saturation),
};
const size_t drv_pack_tests_count = sizeof drv_pack_tests / sizeof drv_pack_tests[0];
