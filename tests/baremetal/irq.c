/* Completion by interrupt and by polling, and a timeout: a long job waited
 * on with a short timeout returns BC_E_TIMEOUT (the CPU's timer interrupt
 * ends the wait), and a second wait sees it complete. */
#include "bmt.h"

static uint64_t zeros[256];
static int32_t row[16];

int main(void)
{
    bc_dev_t dev;
    bmt_open(&dev);
    bc_gemm_t g;
    bc_gemm_init(&dev, &g);
    g.m = 16, g.n = 16, g.k = 1024;
    g.wbits = 16, g.abits = 16;
    bc_gemm_default_strides(&g);
    g.a_addr = BMT_BUF;
    g.b_addr = BMT_BUF + 0x10000u;
    g.c_addr = BMT_BUF + 0x20000u;
    for (unsigned r = 0; r < 16; r++) { /* zero operands, a non-zero result area */
        bc_mem_write(&dev, g.a_addr + r * g.lda, zeros, g.lda);
        bc_mem_write(&dev, g.b_addr + r * g.ldb, zeros, g.ldb);
        for (unsigned j = 0; j < 16; j++)
            row[j] = -1;
        bc_mem_write(&dev, g.c_addr + r * g.ldc, row, sizeof row);
    }
    /* interrupt mode: the long job times out after 2 us, then completes */
    BMT_EQ(bc_set_wait_mode(&dev, BC_WAIT_IRQ), BC_OK);
    uint32_t irqs = bm_irq_count();
    uint64_t t0 = bm_now_ns(0);
    BMT_EQ(bc_gemm_submit(&dev, &g), BC_OK);
    BMT_EQ(bc_wait(&dev, 2000), BC_E_TIMEOUT);
    uint64_t waited = bm_now_ns(0) - t0;
    BMT_CHECK(waited >= 2000 && waited < 200000);
    BMT_EQ(bm_irq_count(), irqs); /* no completion interrupt yet */
    BMT_EQ(bc_wait(&dev, 100000000ull), BC_OK);
    BMT_EQ(bm_irq_count(), irqs + 1);
    bool zero = true;
    for (unsigned r = 0; r < 16; r++) {
        bc_mem_read(&dev, g.c_addr + r * g.ldc, row, sizeof row);
        for (unsigned j = 0; j < 16; j++)
            zero &= row[j] == 0;
    }
    BMT_CHECK(zero);
    /* 4 tiles x 16 x 16 plane pairs, each 16 K chunks long */
    bc_counters_t cnt;
    BMT_EQ(bc_counters_read(&dev, &cnt), BC_OK);
    BMT_EQ(cnt.passes, 4ull * 16 * 16);
    BMT_EQ(cnt.compute, 4ull * 16 * 16 * 16);
    /* polling mode: the interrupt stays disabled, no trap is taken */
    BMT_EQ(bc_set_wait_mode(&dev, BC_WAIT_POLL), BC_OK);
    g.k = 64, g.wbits = 1, g.abits = 1;
    bc_gemm_default_strides(&g);
    irqs = bm_irq_count();
    BMT_EQ(bc_gemm_run(&dev, &g, 100000000ull), BC_OK);
    BMT_EQ(bm_irq_count(), irqs);
    BMT_EQ(bc_wait(&dev, 1000), BC_OK); /* idle device: nothing to wait for */
    return bmt_end("irq");
}
