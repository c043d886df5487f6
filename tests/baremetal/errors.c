/* Every descriptor error the hardware checks, and bus errors injected by
 * pointing a job past the end of the platform's RAM (the interconnect answers
 * DECERR inside the DMA window): each ends in the documented state (ERR_CODE,
 * ERR_JOB_ID, ERR_ADDR for bus errors, STATUS.ERR, the ERR interrupt), and
 * the next job after ERR_CLEAR is bit-exact. */
#include "bc_regs.h"
#include "bm_cases.h"
#include "bmt.h"

#define RAM_BYTES 0x04000000u /* the platform's default 64 MiB */

static uint64_t pa[512], pb[512];
static int32_t row[64];

static bool packed;

static void good_job(bc_dev_t *dev, bc_gemm_t *g)
{
    const bm_case_t *t = &bm_cases[1];
    bc_gemm_init(dev, g);
    g->m = t->m, g->n = t->n, g->k = t->k;
    g->wbits = t->wbits, g->abits = t->abits, g->wsigned = t->ws, g->asigned = t->as;
    bc_gemm_default_strides(g);
    g->a_addr = BMT_BUF;
    g->b_addr = BMT_BUF + 0x4000u;
    g->c_addr = BMT_BUF + 0x8000u;
    g->job_id = 7;
    if (packed)
        return;
    packed = true;
    bc_pack(t->a, t->k, 1, t->m, t->k, t->wbits, pa, g->lda / 8);
    bc_pack(t->b, 1, t->n, t->n, t->k, t->abits, pb, g->ldb / 8);
    bc_mem_write(dev, g->a_addr, pa, (size_t)g->lda * t->m);
    bc_mem_write(dev, g->b_addr, pb, (size_t)g->ldb * t->n);
}

static void check_next_job_exact(bc_dev_t *dev)
{
    bc_gemm_t g;
    good_job(dev, &g);
    BMT_EQ(bc_gemm_run(dev, &g, 100000000ull), BC_OK);
    const bm_case_t *t = &bm_cases[1];
    bool ok = true;
    for (unsigned r = 0; r < t->m; r++) {
        bc_mem_read(dev, g.c_addr + r * g.ldc, row, 4 * t->n);
        for (unsigned j = 0; j < t->n; j++)
            ok &= row[j] == t->c[r * t->n + j];
    }
    BMT_CHECK(ok);
    BMT_EQ(dev->last_job_id, 7);
}

/* Submit g unchecked; the hardware must report `code` for job 99. */
static void expect_error(bc_dev_t *dev, bc_gemm_t *g, unsigned code, bool bus, uint32_t addr_lo, uint32_t addr_hi)
{
    g->job_id = 99;
    BMT_EQ(bc_gemm_submit_unchecked(dev, g), BC_OK);
    uint32_t v = 0;
    do /* until the engine is idle: then the ERR interrupt is up and the CPU sees it */
        bc_reg_read(dev, BC_REG_STATUS, &v);
    while (v & BC_STATUS_BUSY_MASK);
    bc_reg_read(dev, BC_REG_IRQ_STATUS, &v);
    BMT_CHECK(v & BC_IRQ_STATUS_ERR_MASK);
    BMT_CHECK(bm_irq_pending());
    BMT_EQ(bc_wait(dev, 100000000ull), BC_E_HW);
    BMT_CHECK(!bm_irq_pending()); /* bc_wait acknowledged it */
    bc_reg_read(dev, BC_REG_ERR_CODE, &v);
    BMT_EQ(v, code);
    bc_reg_read(dev, BC_REG_ERR_JOB_ID, &v);
    BMT_EQ(v, 99);
    if (bus) {
        bc_reg_read(dev, BC_REG_ERR_ADDR, &v);
        BMT_CHECK(v >= addr_lo && v < addr_hi);
    }
    bc_reg_read(dev, BC_REG_STATUS, &v);
    BMT_CHECK(v & BC_STATUS_ERR_MASK);
    BMT_EQ(bc_error_clear(dev), BC_OK);
    bc_reg_read(dev, BC_REG_ERR_CODE, &v);
    BMT_EQ(v, 0);
    check_next_job_exact(dev);
}

int main(void)
{
    bc_dev_t dev;
    bmt_open(&dev);
    BMT_EQ(bc_set_wait_mode(&dev, BC_WAIT_IRQ), BC_OK);
    bc_gemm_t g;
#define CASE(field, value, code)                   \
    do {                                           \
        good_job(&dev, &g);                        \
        g.field = value;                           \
        expect_error(&dev, &g, code, false, 0, 0); \
    } while (0)
    CASE(wbits, 0, BC_ERR_BAD_WBITS);
    CASE(wbits, 17, BC_ERR_BAD_WBITS);
    CASE(abits, 0, BC_ERR_BAD_ABITS);
    CASE(m, 0, BC_ERR_BAD_M);
    CASE(m, dev.cfg.max_m + 1, BC_ERR_BAD_M);
    CASE(n, 0, BC_ERR_BAD_N);
    CASE(k, 0, BC_ERR_BAD_K);
    CASE(k, dev.cfg.max_k + 1, BC_ERR_BAD_K);
    CASE(a_addr, BMT_BUF + 4, BC_ERR_BAD_A_ADDR);
    CASE(b_addr, BMT_BUF + 0x4004u, BC_ERR_BAD_B_ADDR);
    CASE(c_addr, 0xFFFFFFF8u, BC_ERR_BAD_C_ADDR);
    CASE(lda, 8, BC_ERR_BAD_LDA);
    CASE(ldb, 12, BC_ERR_BAD_LDB);
    CASE(ldc, 8, BC_ERR_BAD_LDC);
    /* bus errors: operands or result past the end of RAM, inside the window */
    good_job(&dev, &g);
    g.a_addr = RAM_BYTES + 0x1000u;
    expect_error(&dev, &g, BC_ERR_BUS_READ, true, RAM_BYTES, RAM_BYTES + 0x2000u);
    good_job(&dev, &g);
    g.c_addr = RAM_BYTES + 0x3000u;
    expect_error(&dev, &g, BC_ERR_BUS_WRITE, true, RAM_BYTES, RAM_BYTES + 0x4000u);
    return bmt_end("errors");
}
