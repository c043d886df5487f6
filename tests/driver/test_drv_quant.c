/* The driver's quantizer (bc_quant.h): libm-free half-to-even rounding
 * against hand values, the min/max grid on exactly representable ranges
 * (unsigned and signed codes), non-finite inputs, stochastic rounding
 * (bounds, determinism per seed, unbiased mean), per-row parameters and the
 * firmware's generator names. The CPT reference cases are in
 * tests/firmware/test_quant.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "bitcycle.h"
#include "drv_tests.h"

static void test_rint_half_even(void **state)
{
    (void)state;
    const double in[] = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 3.7, -3.2, 4503599627370497.0};
    const double want[] = {0.0, 2.0, 2.0, -0.0, -2.0, -2.0, 0.0, 4.0, -3.0, 4503599627370497.0};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        if (bc_q_rint(in[i]) != want[i])
            fail_msg("bc_q_rint(%.17g) = %.17g, want %.17g", in[i], bc_q_rint(in[i]), want[i]);
    assert_true(bc_q_rint(INFINITY) == INFINITY);
    assert_true(bc_q_rint(NAN) != bc_q_rint(NAN));
}

static void test_grid_hand_vector(void **state)
{
    (void)state;
    /* [-2, 5] at 3 bits: scale 1, zero point at the minimum; v = x + 2 =
     * 0, 0.5 (tie -> 0), 1.5 (tie -> 2), 2.5 (tie -> 2), 7. */
    const float x[5] = {-2.0f, -1.5f, -0.5f, 0.5f, 5.0f};
    int32_t q[5];
    bc_qp_t p = bc_q_tensor(x, 5, 3, false, BC_QROUND_NEAREST, NULL, q);
    const int32_t want[5] = {0, 0, 2, 2, 7};
    assert_memory_equal(q, want, sizeof want);
    assert_true(p.scale == 1.0f && p.offset == -2.0f && p.min == -2.0f);
    /* signed codes: the same grid shifted by 2^(b-1) = 4, same values */
    bc_qp_t ps = bc_q_tensor(x, 5, 3, true, BC_QROUND_NEAREST, NULL, q);
    const int32_t wants[5] = {-4, -4, -2, -2, 3};
    assert_memory_equal(q, wants, sizeof wants);
    for (int i = 0; i < 5; i++)
        assert_true(bc_q_value(&ps, wants[i]) == bc_q_value(&p, want[i]));
    /* out of range values clamp to the ends of the grid */
    assert_int_equal(bc_q_code(&p, 100.0f, BC_QROUND_NEAREST, NULL), 7);
    assert_int_equal(bc_q_code(&p, -100.0f, BC_QROUND_NEAREST, NULL), 0);
}

static void test_nonfinite(void **state)
{
    (void)state;
    const float x[5] = {NAN, 1.0f, INFINITY, -INFINITY, 4.0f};
    float mn, mx;
    assert_true(bc_q_minmax(x, 5, 1, &mn, &mx));
    assert_true(mn == 1.0f && mx == 4.0f);
    const float none[2] = {NAN, INFINITY};
    assert_false(bc_q_minmax(none, 2, 1, &mn, &mx));
    int32_t q[5];
    bc_qp_t p = bc_q_tensor(x, 5, 2, false, BC_QROUND_NEAREST, NULL, q); /* [1, 4], scale 1 */
    const int32_t want[5] = {0, 0, 3, 0, 3};
    assert_memory_equal(q, want, sizeof want);
    assert_true(p.scale == 1.0f);
    /* bits are clamped to 1..16 */
    assert_int_equal(bc_q_params(0.0f, 1.0f, 0, false).bits, 1);
    assert_int_equal(bc_q_params(0.0f, 1.0f, 40, false).bits, 16);
}

static void test_stochastic_rounding(void **state)
{
    (void)state;
    enum { N = 20000 };
    static float x[N];
    static int32_t q[N], q2[N], q3[N];
    bc_qp_t p = bc_q_params(0.0f, 15.0f, 4, false); /* scale 1 */
    for (int i = 0; i < N; i++)
        x[i] = 0.3f;
    bc_rng_t r, r2, r3;
    bc_rng_seed(&r, drv_test_seed());
    bc_rng_seed(&r2, drv_test_seed());
    bc_rng_seed(&r3, drv_test_seed() + 1);
    for (int i = 0; i < N; i++) {
        q[i] = bc_q_code(&p, x[i], BC_QROUND_STOCHASTIC, &r);
        q2[i] = bc_q_code(&p, x[i], BC_QROUND_STOCHASTIC, &r2);
        q3[i] = bc_q_code(&p, x[i], BC_QROUND_STOCHASTIC, &r3);
    }
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
    /* Grid points never move; others go to the neighbours only. */
    for (int t = 0; t < 100; t++) {
        assert_int_equal(bc_q_code(&p, 2.0f, BC_QROUND_STOCHASTIC, &r), 2);
        int32_t c = bc_q_code(&p, 7.25f, BC_QROUND_STOCHASTIC, &r);
        assert_true(c == 7 || c == 8);
    }
    float u_min = 1.0f, u_max = 0.0f;
    for (int t = 0; t < 10000; t++) {
        float u = bc_rng_unit(&r);
        u_min = u < u_min ? u : u_min;
        u_max = u > u_max ? u : u_max;
    }
    assert_true(u_min >= 0.0f && u_min < 0.01f);
    assert_true(u_max < 1.0f && u_max > 0.99f);
    /* the firmware's names are the same generator */
    bc_fw_rng_t f;
    bc_fw_rng_seed(&f, 42);
    bc_rng_seed(&r, 42);
    for (int t = 0; t < 8; t++)
        assert_true(bc_fw_rng_u64(&f) == bc_rng_u64(&r));
}

static void test_per_row(void **state)
{
    (void)state;
    /* 2 rows of 5 with different ranges, ldx 5, ldq 6 */
    const float x[10] = {0.0f, 1.0f, 2.0f, 3.0f, 255.0f, -8.0f, -4.0f, 0.0f, 4.0f, 7.0f};
    int32_t q[12];
    memset(q, 0x55, sizeof q);
    bc_qp_t p[2];
    bc_q_rows(x, 2, 5, 5, 8, true, BC_QROUND_NEAREST, NULL, q, 6, p);
    for (int r = 0; r < 2; r++) {
        int32_t qt[5];
        bc_qp_t pt = bc_q_tensor(x + 5 * r, 5, 8, true, BC_QROUND_NEAREST, NULL, qt);
        assert_true(pt.scale == p[r].scale && pt.offset == p[r].offset && pt.min == p[r].min &&
                    pt.bits == p[r].bits && pt.is_signed == p[r].is_signed);
        assert_memory_equal(qt, q + 6 * r, sizeof qt);
    }
    assert_true(p[0].scale == 1.0f && p[0].min == 0.0f);
    assert_int_equal(q[5], 0x55555555); /* padding between rows untouched */
}

static void test_one_bit_and_constant(void **state)
{
    (void)state;
    /* 1 bit over [-1, 3]: scale 4, codes 0/1 for the two ends, tie at 1 -> 0 */
    const float x[4] = {-1.0f, 0.9f, 1.0f, 3.0f};
    int32_t q[4];
    bc_qp_t p = bc_q_tensor(x, 4, 1, false, BC_QROUND_NEAREST, NULL, q);
    const int32_t want[4] = {0, 0, 0, 1};
    assert_memory_equal(q, want, sizeof want);
    assert_true(p.scale == 4.0f && bc_q_value(&p, 1) == 3.0f);
    /* signed 1-bit codes are -1/0 on the same grid */
    p = bc_q_tensor(x, 4, 1, true, BC_QROUND_NEAREST, NULL, q);
    assert_int_equal(q[0], -1);
    assert_int_equal(q[3], 0);
    assert_true(bc_q_value(&p, 0) == 3.0f);
    /* a constant tensor codes as its minimum exactly */
    const float c[3] = {0.625f, 0.625f, 0.625f};
    p = bc_q_tensor(c, 3, 8, false, BC_QROUND_NEAREST, NULL, q);
    assert_true(p.scale == 1.0f && q[0] == 0 && bc_q_value(&p, q[2]) == 0.625f);
}

const struct CMUnitTest drv_quant_tests[] = {
    cmocka_unit_test(test_one_bit_and_constant),
    cmocka_unit_test(test_rint_half_even),
    cmocka_unit_test(test_grid_hand_vector),
    cmocka_unit_test(test_nonfinite),
    cmocka_unit_test(test_stochastic_rounding),
    cmocka_unit_test(test_per_row),
};
const size_t drv_quant_tests_count = sizeof drv_quant_tests / sizeof drv_quant_tests[0];
