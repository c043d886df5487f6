/* Layer lowering (bc_lower.h): GEMM shapes of real layers worked out by hand
 * from the definitions (forward, transposed-convolution error, weight
 * gradient), error cases and the descriptor split order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "bc_lower.h"
#include "fw_tests.h"

static void expect_desc(const bc_gemm_desc_t *d, bc_gemm_kind_t kind, uint64_t m, uint64_t n, uint64_t k,
                        uint64_t count, unsigned wbits, unsigned abits)
{
    assert_int_equal(d->kind, kind);
    assert_int_equal(d->m, m);
    assert_int_equal(d->n, n);
    assert_int_equal(d->k, k);
    assert_int_equal(d->count, count);
    assert_int_equal(d->wbits, wbits);
    assert_int_equal(d->abits, abits);
}

static bc_layer_geom_t conv(uint32_t cin, uint32_t cout, uint32_t hw, uint32_t k, uint32_t stride, uint32_t pad)
{
    bc_layer_geom_t l = {.kind = BC_LAYER_CONV, .cin = cin, .cout = cout, .in_h = hw, .in_w = hw, .kh = k,
                         .kw = k, .stride_h = stride, .stride_w = stride, .pad_h = pad, .pad_w = pad};
    return l;
}

/* ResNet-20 stem: 3 -> 16, 32x32, 3x3; first layer, so no error GEMM. */
static void test_first_conv(void **state)
{
    (void)state;
    bc_layer_geom_t l = conv(3, 16, 32, 3, 1, 1);
    l.first = true;
    bc_gemm_desc_t d[3];
    unsigned n = 0;
    assert_int_equal(bc_lower_layer(&l, 4, 8, 8, d, &n), BC_LOWER_OK);
    assert_int_equal(n, 2);
    expect_desc(&d[0], BC_GEMM_FWD, 16, 4096, 27, 1, 8, 8);
    expect_desc(&d[1], BC_GEMM_WGRAD, 16, 27, 4096, 1, 8, 8);
    uint64_t macs = 0;
    assert_int_equal(bc_layer_macs(&l, &macs), BC_LOWER_OK);
    assert_int_equal(macs, 442368); /* 16 * 27 * 32 * 32 */
}

/* ResNet-20 stage 2 entry: 16 -> 32, stride 2: the error is input-sized
 * (M = Cin, N = 32*32*batch, K = Cout*9), not W^T dY in column form. */
static void test_strided_conv_error_is_transposed(void **state)
{
    (void)state;
    bc_layer_geom_t l = conv(16, 32, 32, 3, 2, 1);
    bc_gemm_desc_t d[3];
    unsigned n = 0;
    assert_int_equal(bc_lower_layer(&l, 128, 5, 8, d, &n), BC_LOWER_OK);
    assert_int_equal(n, 3);
    expect_desc(&d[0], BC_GEMM_FWD, 32, 256 * 128, 144, 1, 5, 5);
    expect_desc(&d[1], BC_GEMM_ERR, 16, 1024 * 128, 288, 1, 5, 8);
    expect_desc(&d[2], BC_GEMM_WGRAD, 32, 144, 256 * 128, 1, 8, 5);
    uint32_t oh = 0, ow = 0;
    assert_int_equal(bc_layer_out(&l, &oh, &ow), BC_LOWER_OK);
    assert_int_equal(oh, 16);
    assert_int_equal(ow, 16);
}

/* Depthwise 3x3 over 32 channels keeps its groups: 32 GEMMs of one row. */
static void test_depthwise_keeps_groups(void **state)
{
    (void)state;
    bc_layer_geom_t l = conv(32, 32, 16, 3, 1, 1);
    l.groups = 32;
    bc_gemm_desc_t d[3];
    unsigned n = 0;
    assert_int_equal(bc_lower_layer(&l, 2, 4, 6, d, &n), BC_LOWER_OK);
    expect_desc(&d[0], BC_GEMM_FWD, 1, 512, 9, 32, 4, 4);
    expect_desc(&d[1], BC_GEMM_ERR, 1, 512, 9, 32, 4, 6);
    expect_desc(&d[2], BC_GEMM_WGRAD, 1, 9, 512, 32, 6, 4);
}

static void test_fc(void **state)
{
    (void)state;
    bc_layer_geom_t l = {.kind = BC_LAYER_FC, .cin = 64, .cout = 10};
    bc_gemm_desc_t d[3];
    unsigned n = 0;
    assert_int_equal(bc_lower_layer(&l, 128, 8, 8, d, &n), BC_LOWER_OK);
    expect_desc(&d[0], BC_GEMM_FWD, 10, 128, 64, 1, 8, 8);
    expect_desc(&d[1], BC_GEMM_ERR, 64, 128, 10, 1, 8, 8);
    expect_desc(&d[2], BC_GEMM_WGRAD, 10, 64, 128, 1, 8, 8);
}

static void test_conv_out_size(void **state)
{
    (void)state;
    assert_int_equal(bc_conv_out_size(7, 3, 1, 0, 2), 3); /* dilated span 5 */
    assert_int_equal(bc_conv_out_size(5, 3, 2, 1, 1), 3);
    assert_int_equal(bc_conv_out_size(224, 7, 2, 3, 1), 112);
    assert_int_equal(bc_conv_out_size(2, 5, 1, 1, 1), 0); /* kernel does not fit */
    assert_int_equal(bc_conv_out_size(8, 3, 0, 1, 1), 0);
}

static void test_errors(void **state)
{
    (void)state;
    bc_gemm_desc_t d[3];
    unsigned n = 0;
    bc_layer_geom_t l = conv(6, 8, 8, 3, 1, 1);
    l.groups = 4; /* 6 % 4 != 0 */
    assert_int_equal(bc_lower_layer(&l, 1, 8, 8, d, &n), BC_LOWER_E_GROUPS);
    l = conv(6, 8, 2, 5, 1, 1);
    assert_int_equal(bc_lower_layer(&l, 1, 8, 8, d, &n), BC_LOWER_E_KERNEL);
    l = conv(0, 8, 8, 3, 1, 1);
    assert_int_equal(bc_lower_layer(&l, 1, 8, 8, d, &n), BC_LOWER_E_ZERO);
    l = conv(6, 8, 8, 3, 1, 1);
    assert_int_equal(bc_lower_layer(&l, 0, 8, 8, d, &n), BC_LOWER_E_ZERO);
    assert_int_equal(bc_lower_layer(&l, 1, 0, 8, d, &n), BC_LOWER_E_BITS);
    assert_int_equal(bc_lower_layer(&l, 1, 8, 17, d, &n), BC_LOWER_E_BITS);
    l = (bc_layer_geom_t){.kind = BC_LAYER_FC, .cin = 4, .cout = 4};
    assert_int_equal(bc_lower_layer(&l, UINT64_MAX / 2, 8, 8, d, &n), BC_LOWER_OK);
    l = conv(4, 4, 65535, 1, 1, 0); /* 2^32 positions x 2^62 batch overflows */
    assert_int_equal(bc_lower_layer(&l, (uint64_t)1 << 62, 8, 8, d, &n), BC_LOWER_E_OVERFLOW);
    assert_string_equal(bc_gemm_kind_name(BC_GEMM_ERR), "error");
}

/* 5000 x 4097 x 2049 at 4096/4096/2048: 8 parts, K innermost, then N, then M. */
static void test_split_order(void **state)
{
    (void)state;
    const bc_gemm_limits_t lim = {4096, 4096, 2048};
    assert_int_equal(bc_split_count(5000, 4097, 2049, &lim), 8);
    static const uint64_t want[8][6] = {
        {0, 0, 0, 4096, 4096, 2048},    {0, 0, 2048, 4096, 4096, 1},
        {0, 4096, 0, 4096, 1, 2048},    {0, 4096, 2048, 4096, 1, 1},
        {4096, 0, 0, 904, 4096, 2048},  {4096, 0, 2048, 904, 4096, 1},
        {4096, 4096, 0, 904, 1, 2048},  {4096, 4096, 2048, 904, 1, 1},
    };
    bc_split_iter_t it;
    bc_gemm_part_t p;
    bc_split_begin(&it, 5000, 4097, 2049, &lim);
    for (unsigned i = 0; i < 8; i++) {
        assert_true(bc_split_next(&it, &p));
        assert_int_equal(p.m0, want[i][0]);
        assert_int_equal(p.n0, want[i][1]);
        assert_int_equal(p.k0, want[i][2]);
        assert_int_equal(p.m, want[i][3]);
        assert_int_equal(p.n, want[i][4]);
        assert_int_equal(p.k, want[i][5]);
        assert_int_equal(p.k_first, i % 2 == 0);
        assert_int_equal(p.k_last, i % 2 == 1);
    }
    assert_false(bc_split_next(&it, &p));
    bc_split_begin(&it, 3, 3, 3, &lim);
    assert_true(bc_split_next(&it, &p));
    assert_true(p.k_first && p.k_last);
    assert_false(bc_split_next(&it, &p));
    assert_int_equal(bc_split_count(0, 1, 1, &lim), 0);
    bc_split_begin(&it, 0, 1, 1, &lim);
    assert_false(bc_split_next(&it, &p));
}

int fw_run_lower_tests(unsigned *ntests)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_conv),
        cmocka_unit_test(test_strided_conv_error_is_transposed),
        cmocka_unit_test(test_depthwise_keeps_groups),
        cmocka_unit_test(test_fc),
        cmocka_unit_test(test_conv_out_size),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_split_order),
    };
    return FW_RUN_GROUP("lowering", tests, ntests);
}
