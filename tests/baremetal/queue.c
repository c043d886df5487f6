/* Queued jobs at different precisions, read from the counters: four jobs of
 * one compute-bound shape (32 x 64 x 512) run alone, then as one queue. The
 * queue's COMPUTE equals the golden pass count (every pass issued once, none
 * lost at a precision switch), SWITCHES counts each change, and the queue
 * overlaps the jobs: its busy and stall cycles are below the sums of the
 * jobs run alone (counters cannot separate start-up from idle cycles;
 * test-platform's harness probes check the exact 0 idle cycles). Operands
 * are the zeroed RAM: timing does not depend on values (results are checked
 * in gemm.elf). */
#include "bmt.h"

static const unsigned prec[][4] = {{8, 8, 1, 1}, {6, 6, 0, 1}, {16, 2, 1, 0}, {8, 5, 1, 1}};
enum { NJ = 4, M = 32, N = 64, K = 512 };

static void job(bc_dev_t *dev, unsigned i, bc_gemm_t *g)
{
    bc_gemm_init(dev, g);
    g->m = M, g->n = N, g->k = K;
    g->wbits = prec[i][0], g->abits = prec[i][1], g->wsigned = prec[i][2], g->asigned = prec[i][3];
    bc_gemm_default_strides(g);
    g->a_addr = BMT_BUF + i * 0x40000u;
    g->b_addr = g->a_addr + 0x10000u;
    g->c_addr = g->a_addr + 0x30000u;
    g->job_id = 0x50 + i;
}

static uint64_t passes(unsigned i)
{
    /* tiles x K chunks x plane pairs */
    return (uint64_t)(M / 8) * (N / 8) * (K / 64) * prec[i][0] * prec[i][1];
}

int main(void)
{
    bc_dev_t dev;
    bmt_open(&dev);
    BMT_EQ(bc_set_wait_mode(&dev, BC_WAIT_IRQ), BC_OK);
    bc_gemm_t g[NJ];
    bc_counters_t alone[NJ], q;
    uint64_t ideal = 0, stall_sum = 0, busy_sum = 0;
    for (unsigned i = 0; i < NJ; i++) {
        job(&dev, i, &g[i]);
        BMT_EQ(bc_counters_clear(&dev), BC_OK);
        BMT_EQ(bc_gemm_run(&dev, &g[i], 100000000ull), BC_OK);
        BMT_EQ(bc_counters_read(&dev, &alone[i]), BC_OK);
        BMT_EQ(alone[i].compute, passes(i));
        ideal += passes(i);
        stall_sum += alone[i].stall;
        busy_sum += alone[i].busy;
    }
    BMT_EQ(bc_gemm_run(&dev, &g[NJ - 1], 100000000ull), BC_OK); /* the queue starts with a switch */
    BMT_EQ(bc_counters_clear(&dev), BC_OK);
    for (unsigned i = 0; i < NJ; i++) {
        unsigned free_entries = 0;
        do
            BMT_EQ(bc_queue_free(&dev, &free_entries), BC_OK);
        while (!free_entries);
        BMT_EQ(bc_gemm_submit(&dev, &g[i]), BC_OK);
    }
    BMT_EQ(bc_wait(&dev, 100000000ull), BC_OK);
    BMT_EQ(bc_counters_read(&dev, &q), BC_OK);
    BMT_EQ(q.jobs, NJ);
    BMT_EQ(q.compute, ideal);
    BMT_EQ(q.passes, (uint64_t)(M / 8) * (N / 8) * (8 * 8 + 6 * 6 + 16 * 2 + 8 * 5));
    BMT_EQ(q.switches, NJ);
    BMT_EQ(dev.last_job_id, 0x50 + NJ - 1);
    BMT_CHECK(q.busy + 1000 < busy_sum);   /* queueing overlaps the jobs */
    BMT_CHECK(q.stall < stall_sum);
    bm_puts("queue: ");
    bm_putdec(NJ);
    bm_puts(" jobs at different precisions: ");
    bm_putdec((int64_t)q.compute);
    bm_puts(" pass cycles, busy ");
    bm_putdec((int64_t)q.busy);
    bm_puts(" (alone ");
    bm_putdec((int64_t)busy_sum);
    bm_puts("), stall ");
    bm_putdec((int64_t)q.stall);
    bm_puts(" (alone ");
    bm_putdec((int64_t)stall_sum);
    bm_puts(")\n");
    return bmt_end("queue");
}
