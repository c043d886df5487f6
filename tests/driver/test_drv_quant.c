/* Quantization helpers: hand-computed vectors for both modes, half-to-even
 * rounding, stochastic rounding (bounds, determinism per seed, unbiased
 * mean), per-row parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bitcycle.h"
#include "drv_tests.h"

static void test_asym_hand_vector(void **state)
{
    (void)state;
    /* 2 bits over [-1, 1]: scale 2/3, zero = rint(1.5) = 2.
     * x/scale = -1.5, 0, 0.75, 1.5 -> rint -2, 0, 1, 2 -> +2 -> 0, 2, 3, 4->3. */
    const float x[4] = {-1.0f, 0.0f, 0.5f, 1.0f};
    int32_t q[4];
    bc_qparams_t p;
    assert_int_equal(bc_quantize_tensor(x, 4, 2, BC_QUANT_ASYM, BC_ROUND_NEAREST, NULL, q, &p),
                     BC_OK);
    assert_float_equal(p.scale, 2.0f / 3.0f, 1e-7f);
    assert_int_equal(p.zero, 2);
    assert_int_equal(p.qmin, 0);
    assert_int_equal(p.qmax, 3);
    assert_false(p.is_signed);
    const int32_t want[4] = {0, 2, 3, 3};
    assert_memory_equal(q, want, sizeof want);
    float back[4];
    bc_dequantize(q, 4, &p, back);
    assert_float_equal(back[0], -4.0f / 3.0f, 1e-6f);
    assert_float_equal(back[1], 0.0f, 0.0f); /* zero is exact */
}

static void test_asym_range_contains_zero(void **state)
{
    (void)state;
    /* All positive: the range is widened to [0, 6]; 3 bits -> scale 6/7. */
    const float x[3] = {2.0f, 4.0f, 6.0f};
    int32_t q[3];
    bc_qparams_t p;
    assert_int_equal(bc_quantize_tensor(x, 3, 3, BC_QUANT_ASYM, BC_ROUND_NEAREST, NULL, q, &p),
                     BC_OK);
    assert_int_equal(p.zero, 0);
    assert_float_equal(p.scale, 6.0f / 7.0f, 1e-7f);
    /* 2/(6/7) = 2.333 -> 2; 4.667 -> 5; 7 -> 7 */
    assert_int_equal(q[0], 2);
    assert_int_equal(q[1], 5);
    assert_int_equal(q[2], 7);
}

static void test_sym_hand_vector_and_half_even(void **state)
{
    (void)state;
    /* 4 bits signed: qmax 7, amax 3.5 -> scale 0.5; x/scale = -7, -5, -0.5, 0.5, 1.5, 2.5, 3 */
    const float x[7] = {-3.5f, -2.5f, -0.25f, 0.25f, 0.75f, 1.25f, 1.5f};
    int32_t q[7];
    bc_qparams_t p;
    assert_int_equal(bc_quantize_tensor(x, 7, 4, BC_QUANT_SYM, BC_ROUND_NEAREST, NULL, q, &p),
                     BC_OK);
    assert_float_equal(p.scale, 0.5f, 0.0f);
    assert_int_equal(p.zero, 0);
    assert_int_equal(p.qmin, -7);
    assert_int_equal(p.qmax, 7);
    assert_true(p.is_signed);
    const int32_t want[7] = {-7, -5, 0, 0, 2, 2, 3}; /* -0.5->0, 0.5->0, 1.5->2, 2.5->2 */
    assert_memory_equal(q, want, sizeof want);
    for (int i = 0; i < 7; i++)
        assert_true(bc_fits(q[i], 4, true));
}

static void test_nonfinite_and_arguments(void **state)
{
    (void)state;
    const float inf = 1e30f * 1e30f;
    const float nan = inf - inf;
    const float x[4] = {1.0f, nan, inf, -inf};
    int32_t q[4];
    bc_qparams_t p;
    assert_int_equal(bc_quant_params(x, 4, 8, BC_QUANT_SYM, &p), BC_OK);
    assert_float_equal(p.scale, 1.0f / 127.0f, 1e-9f); /* only finite values count */
    assert_int_equal(bc_quantize(x, 4, &p, BC_ROUND_NEAREST, NULL, q), BC_OK);
    assert_int_equal(q[0], 127);
    assert_int_equal(q[1], 0);
    assert_int_equal(q[2], 127);
    assert_int_equal(q[3], -127);
    assert_int_equal(bc_quant_params(x, 0, 8, BC_QUANT_SYM, &p), BC_E_ARG);
    assert_int_equal(bc_quant_params(x, 1, 1, BC_QUANT_SYM, &p), BC_E_ARG);
    assert_int_equal(bc_quant_params(x, 1, 17, BC_QUANT_ASYM, &p), BC_E_ARG);
    assert_int_equal(bc_quant_params(x, 1, 1, BC_QUANT_ASYM, &p), BC_OK);
    assert_int_equal(bc_quantize(x, 1, &p, BC_ROUND_STOCHASTIC, NULL, q), BC_E_NULL);
    const float zeros[3] = {0, 0, 0};
    assert_int_equal(bc_quantize_tensor(zeros, 3, 8, BC_QUANT_ASYM, BC_ROUND_NEAREST, NULL, q, &p),
                     BC_OK);
    assert_float_equal(p.scale, 1.0f, 0.0f);
    assert_int_equal(q[0], p.zero);
}

static void test_stochastic_rounding(void **state)
{
    (void)state;
    enum { N = 20000 };
    static float x[N];
    static int32_t q[N], q2[N], q3[N];
    for (int i = 0; i < N; i++)
        x[i] = 0.3f;
    bc_qparams_t p = {.scale = 1.0f, .zero = 0, .qmin = -8, .qmax = 7, .bits = 4, .is_signed = true};
    bc_rng_t r, r2, r3;
    bc_rng_seed(&r, drv_test_seed());
    bc_rng_seed(&r2, drv_test_seed());
    bc_rng_seed(&r3, drv_test_seed() + 1);
    assert_int_equal(bc_quantize(x, N, &p, BC_ROUND_STOCHASTIC, &r, q), BC_OK);
    assert_int_equal(bc_quantize(x, N, &p, BC_ROUND_STOCHASTIC, &r2, q2), BC_OK);
    assert_int_equal(bc_quantize(x, N, &p, BC_ROUND_STOCHASTIC, &r3, q3), BC_OK);
    assert_memory_equal(q, q2, sizeof q); /* same seed, same draws */
    assert_memory_not_equal(q, q3, sizeof q);
    long ones = 0;
    for (int i = 0; i < N; i++) {
        assert_true(q[i] == 0 || q[i] == 1);
        ones += q[i];
    }
    /* Expected 6000 ones; binomial sd ~ 65, allow 5 sd. */
    if (ones < 6000 - 325 || ones > 6000 + 325)
        fail_msg("stochastic rounding of 0.3: %ld ones of %d (SEED=%llu)", ones, N,
                 (unsigned long long)drv_test_seed());
    /* Exact integers never move; negative values round to floor or ceil. */
    const float y[3] = {2.0f, -3.0f, -2.75f};
    int32_t qy[3];
    for (int t = 0; t < 100; t++) {
        assert_int_equal(bc_quantize(y, 3, &p, BC_ROUND_STOCHASTIC, &r, qy), BC_OK);
        assert_int_equal(qy[0], 2);
        assert_int_equal(qy[1], -3);
        assert_true(qy[2] == -3 || qy[2] == -2);
    }
    float u_min = 1.0f, u_max = 0.0f;
    for (int t = 0; t < 10000; t++) {
        float u = bc_rng_unit(&r);
        u_min = u < u_min ? u : u_min;
        u_max = u > u_max ? u : u_max;
    }
    assert_true(u_min >= 0.0f && u_min < 0.01f);
    assert_true(u_max < 1.0f && u_max > 0.99f);
}

static void test_per_row(void **state)
{
    (void)state;
    /* Row 0 spans +-1, row 1 spans +-100: per-row scales differ by 100x. */
    const float x[2 * 5] = {-1.0f, 0.5f, 1.0f, 0.0f, 0.25f, -100.0f, 50.0f, 100.0f, 0.0f, 25.0f};
    int32_t q[2 * 6];
    bc_qparams_t p[2];
    assert_int_equal(bc_quantize_rows(x, 2, 5, 5, 8, BC_QUANT_SYM, BC_ROUND_NEAREST, NULL, q, 6, p),
                     BC_OK);
    assert_float_equal(p[0].scale, 1.0f / 127.0f, 1e-9f);
    assert_float_equal(p[1].scale, 100.0f / 127.0f, 1e-6f);
    for (int r = 0; r < 2; r++) {
        int32_t qt[5];
        bc_qparams_t pt;
        assert_int_equal(bc_quantize_tensor(x + 5 * r, 5, 8, BC_QUANT_SYM, BC_ROUND_NEAREST, NULL,
                                            qt, &pt),
                         BC_OK);
        assert_memory_equal(q + 6 * r, qt, sizeof qt);
    }
    assert_int_equal(q[0], -127);
    assert_int_equal(q[2], 127);
    assert_int_equal(q[6 + 4], 32); /* 25/(100/127) = 31.75 -> 32 */
    assert_int_equal(bc_quantize_rows(x, 2, 5, 4, 8, BC_QUANT_SYM, BC_ROUND_NEAREST, NULL, q, 6, p),
                     BC_E_ARG);
}

const struct CMUnitTest drv_quant_tests[] = {
    cmocka_unit_test(test_asym_hand_vector),
    cmocka_unit_test(test_asym_range_contains_zero),
    cmocka_unit_test(test_sym_hand_vector_and_half_even),
    cmocka_unit_test(test_nonfinite_and_arguments),
    cmocka_unit_test(test_stochastic_rounding),
    cmocka_unit_test(test_per_row),
};
const size_t drv_quant_tests_count = sizeof drv_quant_tests / sizeof drv_quant_tests[0];
