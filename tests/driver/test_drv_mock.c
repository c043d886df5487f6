/* Driver logic against a mocked HAL: the exact register sequence of every
 * operation, every validation error, timeouts, hardware error decoding. A
 * register access the test did not expect fails the test (cmocka reports a
 * mock() call with no queued value), so "touches no hardware" is checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bc_regs.h"
#include "bitcycle.h"
#include "drv_tests.h"

/* ---- the mock HAL ---- */

static int mock_read32(void *ctx, uint32_t off, uint32_t *val)
{
    (void)ctx;
    check_expected(off);
    *val = mock_type(uint32_t);
    return mock_type(int);
}

static int mock_write32(void *ctx, uint32_t off, uint32_t val)
{
    (void)ctx;
    check_expected(off);
    check_expected(val);
    return mock_type(int);
}

static int mock_wait_irq(void *ctx, uint64_t timeout_ns)
{
    (void)ctx;
    check_expected(timeout_ns);
    return mock_type(int);
}

static uint64_t mock_now_ns(void *ctx)
{
    (void)ctx;
    return mock_type(uint64_t);
}

static const bc_hal_t mock_hal = {
    .ctx = NULL, .name = "mock", .read32 = mock_read32, .write32 = mock_write32,
    .wait_irq = mock_wait_irq, .now_ns = mock_now_ns};

static void expect_rd(uint32_t off, uint32_t val)
{
    expect_value(mock_read32, off, off);
    will_return(mock_read32, val);
    will_return(mock_read32, 0);
}

static void expect_rd_fail(uint32_t off)
{
    expect_value(mock_read32, off, off);
    will_return(mock_read32, 0);
    will_return(mock_read32, -1);
}

static void expect_wr(uint32_t off, uint32_t val)
{
    expect_value(mock_write32, off, off);
    expect_value(mock_write32, val, val);
    will_return(mock_write32, 0);
}

static void expect_now(uint64_t ns)
{
    will_return(mock_now_ns, ns);
}

/* The hardware's self-description with the default parameters. */
typedef struct cfg_regs {
    uint32_t id, version, array, limits, max_m, max_n, max_k, abuf, bbuf, win_base, win_size, bus;
} cfg_regs_t;

static cfg_regs_t default_cfg(void)
{
    cfg_regs_t c = {BC_REG_ID_RESET,        BC_REG_VERSION_RESET,   BC_REG_CFG_ARRAY_RESET,
                    BC_REG_CFG_LIMITS_RESET, BC_REG_CFG_MAX_M_RESET, BC_REG_CFG_MAX_N_RESET,
                    BC_REG_CFG_MAX_K_RESET, BC_REG_CFG_ABUF_WORDS_RESET,
                    BC_REG_CFG_BBUF_WORDS_RESET, BC_REG_CFG_WIN_BASE_RESET,
                    BC_REG_CFG_WIN_SIZE_RESET, BC_REG_CFG_BUS_RESET};
    return c;
}

static void expect_open_reads(const cfg_regs_t *c)
{
    expect_rd(BC_REG_ID, c->id);
    expect_rd(BC_REG_VERSION, c->version);
    expect_rd(BC_REG_CFG_ARRAY, c->array);
    expect_rd(BC_REG_CFG_LIMITS, c->limits);
    expect_rd(BC_REG_CFG_MAX_M, c->max_m);
    expect_rd(BC_REG_CFG_MAX_N, c->max_n);
    expect_rd(BC_REG_CFG_MAX_K, c->max_k);
    expect_rd(BC_REG_CFG_ABUF_WORDS, c->abuf);
    expect_rd(BC_REG_CFG_BBUF_WORDS, c->bbuf);
    expect_rd(BC_REG_CFG_WIN_BASE, c->win_base);
    expect_rd(BC_REG_CFG_WIN_SIZE, c->win_size);
    expect_rd(BC_REG_CFG_BUS, c->bus);
}

static void open_default(bc_dev_t *dev)
{
    cfg_regs_t c = default_cfg();
    expect_open_reads(&c);
    expect_wr(BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);
    expect_wr(BC_REG_IRQ_STATUS, BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK);
    assert_int_equal(bc_open(dev, &mock_hal), BC_OK);
}

/* ---- open ---- */

static void test_open_sequence_and_config(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    /* Values from the register map parameters, not from the driver. */
    assert_int_equal(dev.cfg.dm, BC_PARAM_DM);
    assert_int_equal(dev.cfg.dn, BC_PARAM_DN);
    assert_int_equal(dev.cfg.dk, BC_PARAM_DK);
    assert_int_equal(dev.cfg.max_bits, BC_PARAM_MAX_BITS);
    assert_int_equal(dev.cfg.queue_depth, BC_PARAM_QUEUE_DEPTH);
    assert_int_equal(dev.cfg.acc_w, BC_PARAM_ACC_W);
    assert_int_equal(dev.cfg.axi_bits, BC_PARAM_AXI_W);
    assert_int_equal(dev.cfg.max_m, BC_PARAM_MAX_M);
    assert_int_equal(dev.cfg.max_n, BC_PARAM_MAX_N);
    assert_int_equal(dev.cfg.max_k, BC_PARAM_MAX_K);
    assert_int_equal(dev.cfg.abuf_words, BC_PARAM_ABUF_WORDS);
    assert_int_equal(dev.cfg.bbuf_words, BC_PARAM_BBUF_WORDS);
    assert_int_equal(dev.cfg.win_base, BC_PARAM_WIN_BASE);
    assert_int_equal(dev.cfg.win_size, BC_PARAM_WIN_SIZE);
    assert_true(dev.open);
    assert_int_equal(dev.prec.wbits, 8);
    assert_int_equal(dev.wait_mode, BC_WAIT_POLL);
}

static void test_open_refuses_bad_id(void **state)
{
    (void)state;
    bc_dev_t dev;
    memset(&dev, 0x5a, sizeof dev);
    expect_rd(BC_REG_ID, 0xDEADBEEFu);
    assert_int_equal(bc_open(&dev, &mock_hal), BC_E_ID);
}

static void test_open_refuses_bad_version(void **state)
{
    (void)state;
    bc_dev_t dev;
    expect_rd(BC_REG_ID, BC_PARAM_ID_VALUE);
    expect_rd(BC_REG_VERSION, 0x00020000u);
    assert_int_equal(bc_open(&dev, &mock_hal), BC_E_VERSION);
    /* A newer minor/patch of the same major is accepted. */
    cfg_regs_t c = default_cfg();
    c.version = 0x000103FFu;
    expect_open_reads(&c);
    expect_wr(BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);
    expect_wr(BC_REG_IRQ_STATUS, BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK);
    assert_int_equal(bc_open(&dev, &mock_hal), BC_OK);
}

static void test_open_refuses_bad_cfg(void **state)
{
    (void)state;
    bc_dev_t dev;
    cfg_regs_t c = default_cfg();
    c.array = (8u << BC_CFG_ARRAY_DM_SHIFT) | (8u << BC_CFG_ARRAY_DN_SHIFT) |
              (32u << BC_CFG_ARRAY_DK_SHIFT);
    expect_open_reads(&c);
    assert_int_equal(bc_open(&dev, &mock_hal), BC_E_CFG);
    c = default_cfg();
    c.limits = (17u << BC_CFG_LIMITS_MAX_BITS_SHIFT) | (4u << BC_CFG_LIMITS_QUEUE_DEPTH_SHIFT);
    expect_open_reads(&c);
    assert_int_equal(bc_open(&dev, &mock_hal), BC_E_CFG);
    c = default_cfg();
    c.bus = 96; /* not an AXI data width */
    expect_open_reads(&c);
    assert_int_equal(bc_open(&dev, &mock_hal), BC_E_CFG);
}

static void test_open_hal_errors(void **state)
{
    (void)state;
    bc_dev_t dev;
    expect_rd_fail(BC_REG_ID);
    assert_int_equal(bc_open(&dev, &mock_hal), BC_E_HAL);
    bc_hal_t h = mock_hal;
    h.now_ns = NULL;
    assert_int_equal(bc_open(&dev, &h), BC_E_HAL);
    assert_int_equal(bc_open(NULL, &mock_hal), BC_E_NULL);
    assert_int_equal(bc_open(&dev, NULL), BC_E_NULL);
}

/* ---- jobs ---- */

static bc_gemm_t valid_gemm(const bc_dev_t *dev)
{
    bc_gemm_t g;
    bc_gemm_init(dev, &g);
    g.m = 20;
    g.n = 12;
    g.k = 100;
    g.wbits = 5;
    g.abits = 3;
    g.wsigned = true;
    g.asigned = false;
    g.a_addr = 0x1000;
    g.b_addr = 0x10000;
    g.c_addr = 0x20000;
    g.job_id = 0xC0FFEEu;
    bc_gemm_default_strides(&g);
    return g;
}

static void expect_job_writes(const bc_gemm_t *g)
{
    expect_wr(BC_REG_JOB_A_ADDR, g->a_addr);
    expect_wr(BC_REG_JOB_B_ADDR, g->b_addr);
    expect_wr(BC_REG_JOB_C_ADDR, g->c_addr);
    expect_wr(BC_REG_JOB_M, g->m);
    expect_wr(BC_REG_JOB_N, g->n);
    expect_wr(BC_REG_JOB_K, g->k);
    expect_wr(BC_REG_JOB_LDA, g->lda);
    expect_wr(BC_REG_JOB_LDB, g->ldb);
    expect_wr(BC_REG_JOB_LDC, g->ldc);
    /* JOB_PREC assembled by hand from the register map fields. */
    uint32_t prec = (uint32_t)g->wbits << BC_JOB_PREC_WBITS_SHIFT |
                    (uint32_t)g->abits << BC_JOB_PREC_ABITS_SHIFT |
                    (g->wsigned ? 1u : 0u) << BC_JOB_PREC_WSIGNED_SHIFT |
                    (g->asigned ? 1u : 0u) << BC_JOB_PREC_ASIGNED_SHIFT;
    expect_wr(BC_REG_JOB_PREC, prec);
    expect_wr(BC_REG_JOB_ID, g->job_id);
    expect_wr(BC_REG_JOB_PUSH, 1);
}

static void test_default_strides(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    bc_gemm_t g = valid_gemm(&dev);
    assert_int_equal(g.lda, 2 * 5 * 8); /* K=100: 2 chunks x 5 planes x 8 bytes */
    assert_int_equal(g.ldb, 2 * 3 * 8);
    assert_int_equal(g.ldc, 48);        /* 4*12 = 48 */
    g.n = 13;
    bc_gemm_default_strides(&g);
    assert_int_equal(g.ldc, 56); /* 52 rounded up to a multiple of 8 */
}

static void test_submit_sequence(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    bc_gemm_t g = valid_gemm(&dev);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK | (2u << BC_STATUS_QUEUE_COUNT_SHIFT));
    expect_job_writes(&g);
    assert_int_equal(bc_gemm_submit(&dev, &g), BC_OK);
}

static void test_submit_queue_full_writes_nothing(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    bc_gemm_t g = valid_gemm(&dev);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK | BC_STATUS_QUEUE_FULL_MASK |
                                 (4u << BC_STATUS_QUEUE_COUNT_SHIFT));
    assert_int_equal(bc_gemm_submit(&dev, &g), BC_E_QUEUE_FULL);
    unsigned free_entries = 99;
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK | (3u << BC_STATUS_QUEUE_COUNT_SHIFT));
    assert_int_equal(bc_queue_free(&dev, &free_entries), BC_OK);
    assert_int_equal(free_entries, 1);
}

static void test_submit_hal_error(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    bc_gemm_t g = valid_gemm(&dev);
    expect_rd(BC_REG_STATUS, 0);
    expect_value(mock_write32, off, BC_REG_JOB_A_ADDR);
    expect_value(mock_write32, val, g.a_addr);
    will_return(mock_write32, -1);
    assert_int_equal(bc_gemm_submit(&dev, &g), BC_E_HAL);
}

typedef struct bad_case {
    const char *what;
    bc_status_t expect;
    void (*mutate)(bc_gemm_t *g);
} bad_case_t;

static void m_wbits0(bc_gemm_t *g) { g->wbits = 0; }
static void m_wbits17(bc_gemm_t *g) { g->wbits = 17; }
static void m_abits0(bc_gemm_t *g) { g->abits = 0; }
static void m_abits17(bc_gemm_t *g) { g->abits = 17; }
static void m_m0(bc_gemm_t *g) { g->m = 0; }
static void m_mbig(bc_gemm_t *g) { g->m = BC_PARAM_MAX_M + 1; }
static void m_n0(bc_gemm_t *g) { g->n = 0; }
static void m_nbig(bc_gemm_t *g) { g->n = BC_PARAM_MAX_N + 1; }
static void m_k0(bc_gemm_t *g) { g->k = 0; }
static void m_kbig(bc_gemm_t *g) { g->k = BC_PARAM_MAX_K + 1; }
static void m_a_align(bc_gemm_t *g) { g->a_addr += 4; }
static void m_a_window(bc_gemm_t *g) { g->a_addr = BC_PARAM_WIN_BASE + BC_PARAM_WIN_SIZE - 8; }
static void m_a_end(bc_gemm_t *g)
{
    /* Last row ends one word beyond the window. */
    g->a_addr = BC_PARAM_WIN_BASE + BC_PARAM_WIN_SIZE - (g->m - 1) * g->lda - g->lda + 8;
}
static void m_b_align(bc_gemm_t *g) { g->b_addr += 1; }
static void m_b_window(bc_gemm_t *g) { g->b_addr = 0xFFFFFFF8u; }
static void m_c_align(bc_gemm_t *g) { g->c_addr += 4; }
static void m_c_window(bc_gemm_t *g) { g->c_addr = BC_PARAM_WIN_BASE + BC_PARAM_WIN_SIZE - 4 * g->n + 8; }
static void m_lda_small(bc_gemm_t *g) { g->lda -= 8; }
static void m_lda_align(bc_gemm_t *g) { g->lda += 4; }
static void m_ldb_small(bc_gemm_t *g) { g->ldb -= 8; }
static void m_ldb_align(bc_gemm_t *g) { g->ldb += 2; }
static void m_ldc_small(bc_gemm_t *g) { g->ldc = 4 * g->n - 8; }
static void m_ldc_align(bc_gemm_t *g) { g->ldc += 4; }
/* Several faults at once: the hardware's order decides the reported one. */
static void m_multi1(bc_gemm_t *g) { g->abits = 0; g->k = 0; g->ldc = 1; }
static void m_multi2(bc_gemm_t *g) { g->c_addr = 3; g->lda = 1; }
static void m_multi3(bc_gemm_t *g) { g->n = 0; g->a_addr = 1; }

static const bad_case_t bad_cases[] = {
    {"wbits=0", BC_E_WBITS, m_wbits0},       {"wbits=17", BC_E_WBITS, m_wbits17},
    {"abits=0", BC_E_ABITS, m_abits0},       {"abits=17", BC_E_ABITS, m_abits17},
    {"m=0", BC_E_M, m_m0},                   {"m>MAX_M", BC_E_M, m_mbig},
    {"n=0", BC_E_N, m_n0},                   {"n>MAX_N", BC_E_N, m_nbig},
    {"k=0", BC_E_K, m_k0},                   {"k>MAX_K", BC_E_K, m_kbig},
    {"a misaligned", BC_E_A_ADDR, m_a_align}, {"a past window", BC_E_A_ADDR, m_a_window},
    {"a end past window", BC_E_A_ADDR, m_a_end},
    {"b misaligned", BC_E_B_ADDR, m_b_align}, {"b past window", BC_E_B_ADDR, m_b_window},
    {"c misaligned", BC_E_C_ADDR, m_c_align}, {"c end past window", BC_E_C_ADDR, m_c_window},
    {"lda small", BC_E_LDA, m_lda_small},    {"lda misaligned", BC_E_LDA, m_lda_align},
    {"ldb small", BC_E_LDB, m_ldb_small},    {"ldb misaligned", BC_E_LDB, m_ldb_align},
    {"ldc small", BC_E_LDC, m_ldc_small},    {"ldc misaligned", BC_E_LDC, m_ldc_align},
    {"abits,k,ldc", BC_E_ABITS, m_multi1},   {"c_addr,lda", BC_E_C_ADDR, m_multi2},
    {"n,a_addr", BC_E_N, m_multi3},
};

static void test_every_validation_error(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    bc_gemm_t ok = valid_gemm(&dev);
    assert_int_equal(bc_gemm_validate(&dev, &ok), BC_OK);
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        bc_gemm_t g = ok;
        bad_cases[i].mutate(&g);
        bc_status_t st = bc_gemm_validate(&dev, &g);
        if (st != bad_cases[i].expect)
            fail_msg("%s: got %s, want %s", bad_cases[i].what, bc_status_name(st),
                     bc_status_name(bad_cases[i].expect));
        /* Submit must refuse before any register access (no mock queued). */
        assert_int_equal(bc_gemm_submit(&dev, &g), bad_cases[i].expect);
    }
    /* Exactly at the limits is legal. */
    bc_gemm_t g = ok;
    g.m = BC_PARAM_MAX_M;
    g.n = BC_PARAM_MAX_N;
    g.k = BC_PARAM_MAX_K;
    g.wbits = g.abits = BC_PARAM_MAX_BITS;
    bc_gemm_default_strides(&g);
    g.a_addr = 0;
    g.b_addr = g.a_addr + g.m * g.lda;
    g.c_addr = g.b_addr + g.n * g.ldb;
    assert_int_equal(bc_gemm_validate(&dev, &g), BC_OK);
    g.c_addr = BC_PARAM_WIN_BASE + BC_PARAM_WIN_SIZE - (g.m - 1) * g.ldc - 4 * g.n;
    assert_int_equal(bc_gemm_validate(&dev, &g), BC_OK);
    assert_int_equal(bc_gemm_validate(NULL, &g), BC_E_NULL);
}

static void test_precision_limits_from_hardware(void **state)
{
    (void)state;
    bc_dev_t dev;
    cfg_regs_t c = default_cfg();
    c.limits = (6u << BC_CFG_LIMITS_MAX_BITS_SHIFT) | (4u << BC_CFG_LIMITS_QUEUE_DEPTH_SHIFT) |
               (48u << BC_CFG_LIMITS_ACC_WIDTH_SHIFT);
    expect_open_reads(&c);
    expect_wr(BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);
    expect_wr(BC_REG_IRQ_STATUS, BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK);
    assert_int_equal(bc_open(&dev, &mock_hal), BC_OK);
    bc_precision_t p = {6, 6, true, false};
    assert_int_equal(bc_set_precision(&dev, &p), BC_OK);
    p.wbits = 7;
    assert_int_equal(bc_set_precision(&dev, &p), BC_E_WBITS);
    p.wbits = 3;
    p.abits = 7;
    assert_int_equal(bc_precision_check(&dev, &p), BC_E_ABITS);
    assert_int_equal(dev.prec.wbits, 6); /* unchanged by the failed set */
    bc_gemm_t g;
    bc_gemm_init(&dev, &g);
    assert_int_equal(g.wbits, 6);
    assert_int_equal(g.abits, 6);
    assert_true(g.wsigned);
    assert_false(g.asigned);
}

/* ---- waiting ---- */

static void test_wait_poll_sequence(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    expect_now(1000);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK);
    expect_now(1500);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK);
    expect_now(2000);
    expect_rd(BC_REG_STATUS, 0);
    expect_wr(BC_REG_IRQ_STATUS, BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK);
    expect_rd(BC_REG_LAST_JOB_ID, 77);
    assert_int_equal(bc_wait(&dev, 5000), BC_OK);
    assert_int_equal(dev.last_job_id, 77);
}

static void test_wait_poll_timeout(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    expect_now(100);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK);
    expect_now(150);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK);
    expect_now(1099); /* 999 ns spent: not yet */
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK);
    expect_now(1100); /* 1000 ns spent: timeout */
    assert_int_equal(bc_wait(&dev, 1000), BC_E_TIMEOUT);
    /* Timeout 0 still checks once. */
    expect_now(5);
    expect_rd(BC_REG_STATUS, 0);
    expect_wr(BC_REG_IRQ_STATUS, BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK);
    expect_rd(BC_REG_LAST_JOB_ID, 1);
    assert_int_equal(bc_wait(&dev, 0), BC_OK);
}

static void test_wait_irq_sequence(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    expect_wr(BC_REG_IRQ_ENABLE, BC_IRQ_ENABLE_DONE_MASK | BC_IRQ_ENABLE_ERR_MASK);
    assert_int_equal(bc_set_wait_mode(&dev, BC_WAIT_IRQ), BC_OK);
    const uint32_t ack = BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK;
    expect_now(0);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK);
    expect_now(10);
    expect_value(mock_wait_irq, timeout_ns, 990);
    will_return(mock_wait_irq, BC_HAL_IRQ);
    expect_wr(BC_REG_IRQ_STATUS, ack);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK); /* another job still running */
    expect_now(400);
    expect_value(mock_wait_irq, timeout_ns, 600);
    will_return(mock_wait_irq, BC_HAL_IRQ);
    expect_wr(BC_REG_IRQ_STATUS, ack);
    expect_rd(BC_REG_STATUS, 0);
    expect_wr(BC_REG_IRQ_STATUS, ack);
    expect_rd(BC_REG_LAST_JOB_ID, 9);
    assert_int_equal(bc_wait(&dev, 1000), BC_OK);

    /* Interrupt never comes: wait_irq times out, then the deadline passes. */
    expect_now(0);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK);
    expect_now(0);
    expect_value(mock_wait_irq, timeout_ns, 50);
    will_return(mock_wait_irq, BC_HAL_IRQ_TIMEOUT);
    expect_wr(BC_REG_IRQ_STATUS, ack);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK);
    expect_now(50);
    assert_int_equal(bc_wait(&dev, 50), BC_E_TIMEOUT);

    /* A failing HAL wait is reported, not retried forever. */
    expect_now(0);
    expect_rd(BC_REG_STATUS, BC_STATUS_BUSY_MASK);
    expect_now(0);
    expect_value(mock_wait_irq, timeout_ns, 50);
    will_return(mock_wait_irq, -1);
    assert_int_equal(bc_wait(&dev, 50), BC_E_HAL);
}

static void test_irq_mode_needs_hal_support(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    dev.hal.wait_irq = NULL;
    assert_int_equal(bc_set_wait_mode(&dev, BC_WAIT_IRQ), BC_E_HAL);
    assert_int_equal(bc_set_wait_mode(&dev, (bc_wait_mode_t)7), BC_E_ARG);
    assert_int_equal(dev.wait_mode, BC_WAIT_POLL);
}

/* Expected decoding, written out independently of the driver's table. */
static const struct {
    uint32_t code;
    bc_status_t status;
    const char *name;
} hw_codes[] = {
    {0, BC_OK, "NONE"},
    {1, BC_E_WBITS, "BAD_WBITS"},
    {2, BC_E_ABITS, "BAD_ABITS"},
    {3, BC_E_M, "BAD_M"},
    {4, BC_E_N, "BAD_N"},
    {5, BC_E_K, "BAD_K"},
    {6, BC_E_A_ADDR, "BAD_A_ADDR"},
    {7, BC_E_B_ADDR, "BAD_B_ADDR"},
    {8, BC_E_C_ADDR, "BAD_C_ADDR"},
    {9, BC_E_LDA, "BAD_LDA"},
    {10, BC_E_LDB, "BAD_LDB"},
    {11, BC_E_LDC, "BAD_LDC"},
    {12, BC_E_BUS_READ, "BUS_READ"},
    {13, BC_E_BUS_WRITE, "BUS_WRITE"},
    {14, BC_E_QUEUE_FULL, "QUEUE_OVERFLOW"},
    {15, BC_E_REG_READONLY, "REG_READONLY"},
    {16, BC_E_REG_BUSY, "REG_BUSY"},
    {17, BC_E_HW, "UNKNOWN"},
    {31, BC_E_HW, "UNKNOWN"},
};

static void test_decode_every_hw_error(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hw_codes / sizeof hw_codes[0]; i++) {
        bc_hw_error_t e;
        bc_hw_error_decode(hw_codes[i].code, &e);
        assert_int_equal(e.code, hw_codes[i].code);
        assert_int_equal(e.status, hw_codes[i].status);
        assert_string_equal(e.name, hw_codes[i].name);
    }
    /* The register map's own error names agree (generated bc_err_code_t). */
    assert_int_equal(BC_ERR_BAD_LDC, BC_E_LDC);
    assert_int_equal(BC_ERR_REG_BUSY, BC_E_REG_BUSY);
    assert_int_equal(BC_ERR_COUNT, BC_HWERR_COUNT);
}

static void test_wait_reports_every_hw_error(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    for (size_t i = 1; i < sizeof hw_codes / sizeof hw_codes[0]; i++) {
        expect_now(0);
        expect_rd(BC_REG_STATUS, BC_STATUS_ERR_MASK);
        expect_wr(BC_REG_IRQ_STATUS, BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK);
        expect_rd(BC_REG_LAST_JOB_ID, 5);
        expect_rd(BC_REG_ERR_CODE, hw_codes[i].code);
        assert_int_equal(bc_wait(&dev, 100), BC_E_HW);
        assert_int_equal(dev.hw_err.code, hw_codes[i].code);
        assert_int_equal(dev.hw_err.status, hw_codes[i].status);
        assert_string_equal(dev.hw_err.name, hw_codes[i].name);
    }
    expect_wr(BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);
    expect_wr(BC_REG_IRQ_STATUS, BC_IRQ_STATUS_ERR_MASK);
    assert_int_equal(bc_error_clear(&dev), BC_OK);
    assert_int_equal(dev.hw_err.code, 0);
    bc_hw_error_t e;
    expect_rd(BC_REG_ERR_CODE, 0);
    assert_int_equal(bc_hw_error(&dev, &e), BC_OK);
    expect_rd(BC_REG_ERR_CODE, 9);
    assert_int_equal(bc_hw_error(&dev, &e), BC_E_HW);
    assert_int_equal(e.status, BC_E_LDA);
}

/* ---- counters ---- */

/* The register description's counters (the spot checks below pin the first
 * and last ones by name). */
#define CNT_LO(name, off, unit, desc) off,
#define CNT_NAME(name, off, unit, desc) #name,
static const uint32_t cnt_lo[BC_NUM_COUNTERS] = {BC_COUNTERS(CNT_LO)};
static const char *const cnt_names[BC_NUM_COUNTERS] = {BC_COUNTERS(CNT_NAME)};
#undef CNT_LO
#undef CNT_NAME

static void test_counters_read_sequence(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    /* LO first (it latches the high half), then HI: one pair per counter. */
    for (unsigned i = 0; i < BC_NUM_COUNTERS; i++) {
        expect_rd(cnt_lo[i], 1000u + i);
        expect_rd(cnt_lo[i] + 4, i);
    }
    bc_counters_t c;
    assert_int_equal(bc_counters_read(&dev, &c), BC_OK);
    assert_int_equal(c.busy, 1000u);
    assert_int_equal(c.compute, (1ull << 32) | 1001u);
    assert_int_equal(c.dram_wr_bytes, (13ull << 32) | 1013u);
    for (unsigned i = 0; i < BC_NUM_COUNTERS; i++) {
        const bc_counter_info_t *info = bc_counter_info(i);
        assert_non_null(info);
        assert_string_equal(info->name, cnt_names[i]);
        assert_true(strlen(info->desc) > 10);
        assert_int_equal(bc_counter_get(&c, i), ((uint64_t)i << 32) | (1000u + i));
    }
    assert_null(bc_counter_info(BC_NUM_COUNTERS));
    assert_int_equal(bc_counter_get(&c, BC_NUM_COUNTERS), 0);
}

static void test_counters_snapshot_clear_diff(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    expect_wr(BC_REG_CTRL, BC_CTRL_CNT_FREEZE_MASK);
    for (unsigned i = 0; i < BC_NUM_COUNTERS; i++) {
        expect_rd(cnt_lo[i], 10u * i);
        expect_rd(cnt_lo[i] + 4, 0);
    }
    expect_wr(BC_REG_CTRL, 0);
    bc_counters_t a, b, d;
    assert_int_equal(bc_counters_snapshot(&dev, &a), BC_OK);
    assert_int_equal(a.jobs, 100);
    /* A failing read still unfreezes the counters. */
    expect_wr(BC_REG_CTRL, BC_CTRL_CNT_FREEZE_MASK);
    expect_rd_fail(cnt_lo[0]);
    expect_wr(BC_REG_CTRL, 0);
    assert_int_equal(bc_counters_snapshot(&dev, &b), BC_E_HAL);
    expect_wr(BC_REG_CTRL, BC_CTRL_CNT_CLEAR_MASK);
    assert_int_equal(bc_counters_clear(&dev), BC_OK);
    b = a;
    b.jobs += 3;
    b.busy += 1000;
    bc_counters_diff(&b, &a, &d);
    assert_int_equal(d.jobs, 3);
    assert_int_equal(d.busy, 1000);
    assert_int_equal(d.tiles, 0);
}

static void test_status_strings(void **state)
{
    (void)state;
    const bc_status_t all[] = {
        BC_OK,        BC_E_WBITS,   BC_E_ABITS,      BC_E_M,          BC_E_N,
        BC_E_K,       BC_E_A_ADDR,  BC_E_B_ADDR,     BC_E_C_ADDR,     BC_E_LDA,
        BC_E_LDB,     BC_E_LDC,     BC_E_BUS_READ,   BC_E_BUS_WRITE,  BC_E_QUEUE_FULL,
        BC_E_REG_READONLY, BC_E_REG_BUSY, BC_E_NULL, BC_E_HAL,        BC_E_ID,
        BC_E_VERSION, BC_E_CFG,     BC_E_TIMEOUT,    BC_E_HW,         BC_E_ARG,
        BC_E_RANGE,   BC_E_ALIGN};
    const size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(bc_strerror(all[i]), "unknown status");
        assert_string_not_equal(bc_status_name(all[i]), "BC_E_UNKNOWN");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(bc_strerror(all[i]), bc_strerror(all[j]));
    }
    assert_string_equal(bc_status_name(BC_E_WBITS), "BC_E_WBITS");
    assert_string_equal(bc_strerror((bc_status_t)999), "unknown status");
}

static void test_mem_needs_hal_support(void **state)
{
    (void)state;
    bc_dev_t dev;
    open_default(&dev);
    uint8_t buf[8] = {0};
    assert_int_equal(bc_mem_write(&dev, 0, buf, 8), BC_E_HAL);
    assert_int_equal(bc_mem_read(&dev, 0, buf, 8), BC_E_HAL);
    assert_int_equal(bc_mem_read(&dev, 0, NULL, 8), BC_E_NULL);
}

const struct CMUnitTest drv_mock_tests[] = {
    cmocka_unit_test(test_open_sequence_and_config),
    cmocka_unit_test(test_open_refuses_bad_id),
    cmocka_unit_test(test_open_refuses_bad_version),
    cmocka_unit_test(test_open_refuses_bad_cfg),
    cmocka_unit_test(test_open_hal_errors),
    cmocka_unit_test(test_default_strides),
    cmocka_unit_test(test_submit_sequence),
    cmocka_unit_test(test_submit_queue_full_writes_nothing),
    cmocka_unit_test(test_submit_hal_error),
    cmocka_unit_test(test_every_validation_error),
    cmocka_unit_test(test_precision_limits_from_hardware),
    cmocka_unit_test(test_wait_poll_sequence),
    cmocka_unit_test(test_wait_poll_timeout),
    cmocka_unit_test(test_wait_irq_sequence),
    cmocka_unit_test(test_irq_mode_needs_hal_support),
    cmocka_unit_test(test_decode_every_hw_error),
    cmocka_unit_test(test_wait_reports_every_hw_error),
    cmocka_unit_test(test_counters_read_sequence),
    cmocka_unit_test(test_counters_snapshot_clear_diff),
    cmocka_unit_test(test_status_strings),
    cmocka_unit_test(test_mem_needs_hal_support),
};
const size_t drv_mock_tests_count = sizeof drv_mock_tests / sizeof drv_mock_tests[0];
