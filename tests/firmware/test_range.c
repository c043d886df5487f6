/* Precision range test decision rule on synthetic accuracy curves. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>

#include <cmocka.h>

#include "bc_range.h"
#include "fw_tests.h"

static void test_jump_at_four(void **state)
{
    (void)state;
    /* bits 2..8: training fails at 2 and 3, works from 4 */
    const double acc[7] = {0.10, 0.12, 0.71, 0.78, 0.80, 0.80, 0.81};
    bc_range_result_t r;
    assert_int_equal(bc_range_pick(acc, 2, 7, 0.05, &r), 0);
    assert_int_equal(r.bmin, 4);
    assert_int_equal(r.bmax, 8);
    assert_int_equal(r.decided_at, 4);
    /* a threshold larger than every gain: nothing passes, Bmin stays at 2 */
    assert_int_equal(bc_range_pick(acc, 2, 7, 0.70, &r), 0);
    assert_int_equal(r.bmin, 2);
    assert_int_equal(r.decided_at, 0);
    /* a small threshold picks the first small rise (3; gain 0.02) */
    assert_int_equal(bc_range_pick(acc, 2, 7, 0.015, &r), 0);
    assert_int_equal(r.bmin, 3);
}

static void test_flat_curve(void **state)
{
    (void)state;
    const double acc[5] = {0.90, 0.91, 0.905, 0.91, 0.912};
    bc_range_result_t r;
    assert_int_equal(bc_range_pick(acc, 2, 5, 0.02, &r), 0);
    assert_int_equal(r.bmin, 2);
    assert_int_equal(r.bmax, 6);
}

static void test_gain_exactly_threshold_and_dip(void **state)
{
    (void)state;
    /* gains: -0.2 (dip), then +0.25 (exactly threshold, passes) */
    const double acc[4] = {0.50, 0.30, 0.55, 0.60};
    bc_range_result_t r;
    assert_int_equal(bc_range_pick(acc, 2, 4, 0.25, &r), 0);
    assert_int_equal(r.bmin, 4);
}

static void test_bad_input(void **state)
{
    (void)state;
    bc_range_result_t r;
    const double acc[2] = {0.1, NAN};
    assert_int_equal(bc_range_pick(acc, 2, 0, 0.1, &r), -1);
    assert_int_equal(bc_range_pick(acc, 2, 2, 0.1, &r), -1);
    assert_int_equal(bc_range_pick(NULL, 2, 2, 0.1, &r), -1);
    const double one[1] = {0.5};
    assert_int_equal(bc_range_pick(one, 3, 1, 0.1, &r), 0);
    assert_int_equal(r.bmin, 3);
    assert_int_equal(r.bmax, 3);
}

int fw_run_range_tests(unsigned *ntests)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jump_at_four),
        cmocka_unit_test(test_flat_curve),
        cmocka_unit_test(test_gain_exactly_threshold_and_dip),
        cmocka_unit_test(test_bad_input),
    };
    *ntests += (unsigned)(sizeof tests / sizeof tests[0]);
    return cmocka_run_group_tests_name("range-test", tests, NULL, NULL);
}
