/* GEMMs bit-exact against the golden model's results (computed on the host,
 * bm_cases.h), one at a time with interrupt-driven completion, then the
 * first four as one queue at different precisions: results exact, the
 * counters' plane-pair passes and compute cycles equal the golden model's,
 * precision switches counted. */
#include "bm_cases.h"
#include "bmt.h"

static uint64_t pa[4][512], pb[4][512];
static int32_t c_out[512];

/* Pack case i's operands into slot s of the operand area and describe the job. */
static void prepare(bc_dev_t *dev, const bm_case_t *t, unsigned slot, bc_gemm_t *g)
{
    bc_gemm_init(dev, g);
    g->m = t->m, g->n = t->n, g->k = t->k;
    g->wbits = t->wbits, g->abits = t->abits, g->wsigned = t->ws, g->asigned = t->as;
    bc_gemm_default_strides(g);
    uint32_t base = BMT_BUF + slot * 0x10000u;
    g->a_addr = base;
    g->b_addr = base + 0x4000u;
    g->c_addr = base + 0x8000u;
    g->job_id = 100 + slot;
    BMT_EQ(bc_pack(t->a, t->k, 1, t->m, t->k, t->wbits, pa[slot], g->lda / 8), BC_OK);
    BMT_EQ(bc_pack(t->b, 1, t->n, t->n, t->k, t->abits, pb[slot], g->ldb / 8), BC_OK);
    bc_mem_write(dev, g->a_addr, pa[slot], (size_t)g->lda * t->m);
    bc_mem_write(dev, g->b_addr, pb[slot], (size_t)g->ldb * t->n);
}

static bool result_exact(bc_dev_t *dev, const bm_case_t *t, const bc_gemm_t *g)
{
    bool ok = true;
    for (unsigned r = 0; r < t->m; r++) {
        bc_mem_read(dev, g->c_addr + r * g->ldc, c_out, 4 * t->n);
        for (unsigned j = 0; j < t->n; j++)
            ok &= c_out[j] == t->c[r * t->n + j];
    }
    return ok;
}

int main(void)
{
    bc_dev_t dev;
    bmt_open(&dev);
    BMT_EQ(bc_set_wait_mode(&dev, BC_WAIT_IRQ), BC_OK);
    for (unsigned i = 0; i < BM_NCASES; i++) {
        bc_gemm_t g;
        prepare(&dev, &bm_cases[i], 0, &g);
        BMT_EQ(bc_gemm_run(&dev, &g, 100000000ull), BC_OK);
        BMT_CHECK(result_exact(&dev, &bm_cases[i], &g));
    }
    /* one queue, four precisions */
    bc_gemm_t q[4];
    uint64_t passes = 0, pass_cycles = 0;
    for (unsigned i = 0; i < 4; i++) {
        prepare(&dev, &bm_cases[i], i, &q[i]);
        passes += bm_cases[i].passes;
        pass_cycles += bm_cases[i].pass_cycles;
    }
    BMT_EQ(bc_counters_clear(&dev), BC_OK);
    for (unsigned i = 0; i < 4; i++)
        BMT_EQ(bc_gemm_submit(&dev, &q[i]), BC_OK);
    BMT_EQ(bc_wait(&dev, 100000000ull), BC_OK);
    for (unsigned i = 0; i < 4; i++)
        BMT_CHECK(result_exact(&dev, &bm_cases[i], &q[i]));
    bc_counters_t cnt;
    BMT_EQ(bc_counters_read(&dev, &cnt), BC_OK);
    BMT_EQ(cnt.jobs, 4);
    BMT_EQ(cnt.passes, passes);
    BMT_EQ(cnt.compute, pass_cycles);
    BMT_EQ(cnt.switches, 4); /* case 0 also differs from the last single job */
    BMT_EQ(dev.last_job_id, 103);
    bm_puts("gemm: queue of 4 jobs: ");
    bm_putdec((int64_t)cnt.compute);
    bm_puts(" pass cycles, busy ");
    bm_putdec((int64_t)cnt.busy);
    bm_puts(", stall ");
    bm_putdec((int64_t)cnt.stall);
    bm_putc('\n');
    return bmt_end("gemm");
}
