/* Quantizer: hand-computed codes, tie rounding, edge cases, stochastic rounding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bc_quant.h"
#include "fw_tests.h"

static void test_hand_codes_with_tie(void **state)
{
    (void)state;
    /* range [0,3] at 2 bits: s = 1 exactly; x/s = 0, .5 (tie -> 0), 1.5 (tie -> 2), 2.5 (tie -> 2), 3 */
    const float x[5] = {0.0f, 0.5f, 1.5f, 2.5f, 3.0f};
    int32_t q[5];
    bc_qp_t p = bc_q_tensor(x, 5, 2, false, BC_QROUND_NEAREST, NULL, q);
    const int32_t want[5] = {0, 0, 2, 2, 3};
    assert_memory_equal(q, want, sizeof want);
    assert_true(p.scale == 1.0f);
    assert_true(p.offset == 0.0f);
    /* signed codes: same grid shifted by 2^(b-1) = 2 */
    bc_qp_t ps = bc_q_tensor(x, 5, 2, true, BC_QROUND_NEAREST, NULL, q);
    const int32_t wants[5] = {-2, -2, 0, 0, 1};
    assert_memory_equal(q, wants, sizeof wants);
    for (int i = 0; i < 5; i++)
        assert_true(bc_q_value(&ps, wants[i]) == bc_q_value(&p, want[i]));
    /* range [-1, 6] at 3 bits: s = 1; x = 2.5 -> 3.5 -> tie -> 4; x = 0.5 -> 1.5 -> 2 */
    const float y[4] = {-1.0f, 0.5f, 2.5f, 6.0f};
    bc_q_tensor(y, 4, 3, false, BC_QROUND_NEAREST, NULL, q);
    assert_int_equal(q[0], 0);
    assert_int_equal(q[1], 2);
    assert_int_equal(q[2], 4);
    assert_int_equal(q[3], 7);
}

static void test_constant_tensor(void **state)
{
    (void)state;
    float x[7];
    int32_t q[7];
    for (int i = 0; i < 7; i++)
        x[i] = -2.75f;
    for (unsigned bits = 1; bits <= 16; bits++) {
        bc_qp_t p = bc_q_tensor(x, 7, bits, false, BC_QROUND_NEAREST, NULL, q);
        assert_true(p.scale > 0.0f && isfinite(p.scale));
        for (int i = 0; i < 7; i++) {
            assert_int_equal(q[i], 0);
            assert_true(bc_q_value(&p, q[i]) == -2.75f);
        }
        p = bc_q_tensor(x, 7, bits, true, BC_QROUND_NEAREST, NULL, q);
        for (int i = 0; i < 7; i++) {
            assert_int_equal(q[i], -(int32_t)(1u << (bits - 1)));
            assert_true(bc_q_value(&p, q[i]) == -2.75f);
        }
    }
    /* all zeros (e.g. a dead ReLU layer) */
    memset(x, 0, sizeof x);
    bc_qp_t p = bc_q_tensor(x, 7, 4, false, BC_QROUND_NEAREST, NULL, q);
    for (int i = 0; i < 7; i++)
        assert_true(q[i] == 0 && bc_q_value(&p, q[i]) == 0.0f);
}

static void test_one_element(void **state)
{
    (void)state;
    float x = 123.5f;
    int32_t q = 99;
    bc_fw_rng_t r;
    bc_fw_rng_seed(&r, fw_seed);
    bc_qp_t p = bc_q_tensor(&x, 1, 8, false, BC_QROUND_STOCHASTIC, &r, &q);
    assert_int_equal(q, 0);
    assert_true(bc_q_value(&p, q) == 123.5f);
}

static void test_extreme_ranges(void **state)
{
    (void)state;
    const float x[4] = {-FLT_MAX, -1.0f, 1.0f, FLT_MAX};
    int32_t q[4];
    for (unsigned bits = 1; bits <= 16; bits++) {
        for (int sgn = 0; sgn < 2; sgn++) {
            bc_qp_t p = bc_q_tensor(x, 4, bits, sgn, BC_QROUND_NEAREST, NULL, q);
            assert_true(isfinite(p.scale) && p.scale > 0.0f);
            int32_t lo = sgn ? -(int32_t)(1u << (bits - 1)) : 0;
            int32_t hi = lo + (int32_t)((1u << bits) - 1u);
            assert_int_equal(q[0], lo);
            assert_int_equal(q[3], hi);
            for (int i = 0; i < 4; i++)
                assert_true(q[i] >= lo && q[i] <= hi);
        }
    }
    /* tiny range */
    const float t[3] = {1.0f, 1.0000001f, 1.0000002f};
    bc_qp_t p = bc_q_tensor(t, 3, 8, false, BC_QROUND_NEAREST, NULL, q);
    assert_true(p.scale > 0.0f);
    assert_int_equal(q[0], 0);
    assert_int_equal(q[2], 255);
    /* denormal-sized values */
    const float d[2] = {0.0f, 1e-40f};
    p = bc_q_tensor(d, 2, 4, false, BC_QROUND_NEAREST, NULL, q);
    assert_true(p.scale > 0.0f);
    assert_int_equal(q[0], 0);
    assert_int_equal(q[1], 15);
}

static void test_non_finite_inputs(void **state)
{
    (void)state;
    const float x[5] = {NAN, 0.0f, INFINITY, 3.0f, -INFINITY};
    int32_t q[5];
    bc_qp_t p = bc_q_tensor(x, 5, 2, false, BC_QROUND_NEAREST, NULL, q);
    assert_true(p.offset == 0.0f && fabsf(p.scale - 1.0f) < 1e-7f); /* range from finite values only */
    assert_int_equal(q[1], 0);
    assert_int_equal(q[2], 3);
    assert_int_equal(q[3], 3);
    assert_int_equal(q[4], 0);
    assert_int_equal(q[0], 0);
}

static void test_stochastic_rounding(void **state)
{
    (void)state;
    /* range [0, 3] at 2 bits: s = 1; x = 1.3 rounds to 1 or 2, mean 1.3 */
    enum { N = 200000 };
    static float x[N];
    static int32_t q[N];
    for (int i = 0; i < N; i++)
        x[i] = 1.3f;
    x[0] = 0.0f;
    x[1] = 3.0f;
    bc_fw_rng_t r;
    bc_fw_rng_seed(&r, fw_seed);
    bc_q_tensor(x, N, 2, false, BC_QROUND_STOCHASTIC, &r, q);
    double sum = 0;
    for (int i = 2; i < N; i++) {
        assert_true(q[i] == 1 || q[i] == 2);
        sum += q[i];
    }
    assert_int_equal(q[0], 0);
    assert_int_equal(q[1], 3);
    double mean = sum / (N - 2);
    if (fabs(mean - 1.3) > 0.01)
        fail_msg("stochastic rounding mean %.4f, want 1.3 +- 0.01 (seed %llu)", mean, (unsigned long long)fw_seed);
    /* same seed, same codes */
    static int32_t q2[N];
    bc_fw_rng_seed(&r, fw_seed);
    bc_q_tensor(x, N, 2, false, BC_QROUND_STOCHASTIC, &r, q2);
    assert_memory_equal(q, q2, sizeof q);
}

static void test_per_row(void **state)
{
    (void)state;
    const float w[2][4] = {{-1.0f, 0.0f, 2.5f, 6.0f}, {10.0f, 35.0f, 45.0f, 80.0f}};
    int32_t q[2][4];
    bc_qp_t p[2];
    bc_q_rows(&w[0][0], 2, 4, 4, 3, false, BC_QROUND_NEAREST, NULL, &q[0][0], 4, p);
    /* row 0: s = 1: codes 0, 1, 3.5->4, 7 ; row 1: s = 10: 0, 2.5->2, 3.5->4, 7 */
    const int32_t want[2][4] = {{0, 1, 4, 7}, {0, 2, 4, 7}};
    assert_memory_equal(q, want, sizeof want);
    assert_true(p[0].offset == -1.0f && p[1].offset == 10.0f);
    assert_true(p[0].scale == 1.0f && p[1].scale == 10.0f);
}

int fw_run_quant_tests(unsigned *ntests)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_codes_with_tie), cmocka_unit_test(test_constant_tensor),
        cmocka_unit_test(test_one_element),         cmocka_unit_test(test_extreme_ranges),
        cmocka_unit_test(test_non_finite_inputs),   cmocka_unit_test(test_stochastic_rounding),
        cmocka_unit_test(test_per_row),
    };
    *ntests += (unsigned)(sizeof tests / sizeof tests[0]);
    return cmocka_run_group_tests_name("quantizer", tests, NULL, NULL);
}
