/* The mmio backend on the host: registers are a plain word array standing in
 * for the device, memory a byte buffer. Checks that offsets land on the right
 * words, that the driver's register writes arrive there, that memory copies
 * honour mem_base, and the HAL's own monotonic clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define BC_REGS_WANT_TABLE
#include "bc_hal_mmio.h"
#include "bc_regs.h"
#include "bitcycle.h"
#include "drv_tests.h"

static uint32_t regs[BC_REG_SPACE_BYTES / 4];
static uint8_t ram[4096];

static void load_reset_image(void)
{
    memset(regs, 0, sizeof regs);
    for (unsigned i = 0; i < BC_REG_TABLE_LEN; i++)
        regs[bc_reg_table[i].offset / 4] = bc_reg_table[i].reset;
}

static void test_mmio_open_submit_and_memory(void **state)
{
    (void)state;
    load_reset_image();
    bc_mmio_t m = {.reg_base = (uintptr_t)regs, .mem_base = (uintptr_t)ram - 0x100};
    bc_hal_t hal;
    bc_hal_mmio_init(&hal, &m);
    assert_null(hal.wait_irq); /* no platform interrupt wait given */
    bc_dev_t dev;
    assert_int_equal(bc_open(&dev, &hal), BC_OK);
    assert_int_equal(dev.cfg.max_k, BC_PARAM_MAX_K);
    assert_int_equal(regs[BC_REG_CTRL / 4], BC_CTRL_ERR_CLEAR_MASK); /* the open's clear */

    bc_gemm_t g;
    bc_gemm_init(&dev, &g);
    g.m = 3, g.n = 5, g.k = 77, g.wbits = 2, g.abits = 9, g.wsigned = false, g.asigned = true;
    g.job_id = 0x1234;
    bc_gemm_default_strides(&g);
    g.a_addr = 0x100, g.b_addr = 0x800, g.c_addr = 0x1000;
    assert_int_equal(bc_gemm_submit(&dev, &g), BC_OK);
    assert_int_equal(regs[BC_REG_JOB_A_ADDR / 4], 0x100);
    assert_int_equal(regs[BC_REG_JOB_B_ADDR / 4], 0x800);
    assert_int_equal(regs[BC_REG_JOB_C_ADDR / 4], 0x1000);
    assert_int_equal(regs[BC_REG_JOB_M / 4], 3);
    assert_int_equal(regs[BC_REG_JOB_N / 4], 5);
    assert_int_equal(regs[BC_REG_JOB_K / 4], 77);
    assert_int_equal(regs[BC_REG_JOB_LDA / 4], 2 * 2 * 8);
    assert_int_equal(regs[BC_REG_JOB_LDB / 4], 2 * 9 * 8);
    assert_int_equal(regs[BC_REG_JOB_LDC / 4], 24);
    assert_int_equal(regs[BC_REG_JOB_PREC / 4], 2u | 9u << 8 | 1u << 17);
    assert_int_equal(regs[BC_REG_JOB_ID / 4], 0x1234);
    assert_int_equal(regs[BC_REG_JOB_PUSH / 4], 1);

    /* A full queue in STATUS: refused, staging untouched. */
    regs[BC_REG_STATUS / 4] = BC_STATUS_QUEUE_FULL_MASK | BC_STATUS_BUSY_MASK;
    regs[BC_REG_JOB_PUSH / 4] = 0;
    g.job_id = 0x9999;
    assert_int_equal(bc_gemm_submit(&dev, &g), BC_E_QUEUE_FULL);
    assert_int_equal(regs[BC_REG_JOB_ID / 4], 0x1234);
    assert_int_equal(regs[BC_REG_JOB_PUSH / 4], 0);

    /* Device address 0x100 is ram[0]. */
    const char msg[] = "bitcycle";
    assert_int_equal(bc_mem_write(&dev, 0x100, msg, sizeof msg), BC_OK);
    assert_memory_equal(ram, msg, sizeof msg);
    char back[sizeof msg];
    assert_int_equal(bc_mem_read(&dev, 0x100, back, sizeof back), BC_OK);
    assert_memory_equal(back, msg, sizeof msg);
}

static void test_mmio_time_fallback_and_timeout(void **state)
{
    (void)state;
    load_reset_image();
    bc_mmio_t m = {.reg_base = (uintptr_t)regs, .mem_base = (uintptr_t)ram, .poll_ns = 250};
    bc_hal_t hal;
    bc_hal_mmio_init(&hal, &m);
    /* The HAL's own clock: poll_ns per call, whatever the counters say. */
    regs[BC_REG_CNT_BUSY_LO / 4] = 0x00000010u;
    assert_int_equal(hal.now_ns(hal.ctx), 250);
    regs[BC_REG_CNT_BUSY_LO / 4] = 0; /* software cleared the counters */
    assert_int_equal(hal.now_ns(hal.ctx), 500);
    bc_dev_t dev;
    assert_int_equal(bc_open(&dev, &hal), BC_OK);
    /* Busy forever: a timeout of 10 us ends after about 40 polls, not never. */
    regs[BC_REG_STATUS / 4] = BC_STATUS_BUSY_MASK;
    uint64_t t0 = m.own_ns;
    assert_int_equal(bc_wait(&dev, 10000), BC_E_TIMEOUT);
    assert_true(m.own_ns - t0 >= 10000 && m.own_ns - t0 < 10000 + 100 * 250);
    assert_int_equal(bc_wait(&dev, 0), BC_E_TIMEOUT); /* a zero timeout still returns */
    /* Idle with an error recorded. */
    regs[BC_REG_STATUS / 4] = BC_STATUS_ERR_MASK;
    regs[BC_REG_ERR_CODE / 4] = BC_ERR_BUS_WRITE;
    assert_int_equal(bc_wait(&dev, 1000), BC_E_HW);
    assert_int_equal(dev.hw_err.status, BC_E_BUS_WRITE);
}

const struct CMUnitTest drv_mmio_tests[] = {
    cmocka_unit_test(test_mmio_open_submit_and_memory),
    cmocka_unit_test(test_mmio_time_fallback_and_timeout),
};
const size_t drv_mmio_tests_count = sizeof drv_mmio_tests / sizeof drv_mmio_tests[0];
