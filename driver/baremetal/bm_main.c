/* Minimal bare-metal firmware: the driver over the mmio HAL, one quantized
 * GEMM end to end with interrupt-driven completion. `make test-driver` links
 * it for rv32imac (no undefined symbols); `bitcycle vp run` runs it on the
 * virtual platform (exit code 0 when the job completed). */
#include <stdint.h>

#include "bc_hal_mmio.h"
#include "bitcycle.h"
#include "bm_platform.h"

#define BC_BUF_ADDR 0x00100000u /* device address of the operand area (CPU 0x80100000) */

/* K long enough that the job outlives the first STATUS poll, so its
 * completion really arrives by interrupt. */
enum { M = 8, N = 8, K = 2048, KC = K / 64 }; /* K at the descriptor limit */

static float weights[M * K], acts[K * N];
static int32_t qa[M * K], qb[K * N], c[M * N];
static uint64_t pa[M * KC * 4], pb[N * KC * 6];
static bc_qp_t pw[M];

int main(void)
{
    bc_mmio_t mmio = {.reg_base = BM_ACCEL_BASE, .mem_base = BM_RAM_BASE, .now_ns = bm_now_ns,
                      .wait_irq = bm_wait_irq};
    bc_hal_t hal;
    bc_hal_mmio_init(&hal, &mmio);
    bc_dev_t dev;
    if (bc_open(&dev, &hal) != BC_OK || bc_set_wait_mode(&dev, BC_WAIT_IRQ) != BC_OK)
        return 1;
    for (int i = 0; i < M * K; i++)
        weights[i] = (float)((i * 7) % 13) - 6.0f;
    for (int i = 0; i < K * N; i++)
        acts[i] = (float)((i * 5) % 11) * 0.25f;
    bc_rng_t rng;
    bc_rng_seed(&rng, 1);
    bc_q_rows(weights, M, K, K, 4, true, BC_QROUND_NEAREST, 0, qa, K, pw);
    bc_qp_t pact = bc_q_tensor(acts, K * N, 6, true, BC_QROUND_STOCHASTIC, &rng, qb);
    if (!(pact.scale > 0.0f))
        return 2;
    bc_precision_t p = {4, 6, true, true};
    if (bc_set_precision(&dev, &p) != BC_OK)
        return 3;
    bc_gemm_t g;
    bc_gemm_init(&dev, &g);
    g.m = M, g.n = N, g.k = K;
    bc_gemm_default_strides(&g);
    g.a_addr = BC_BUF_ADDR;
    g.b_addr = BC_BUF_ADDR + M * g.lda;
    g.c_addr = g.b_addr + N * g.ldb;
    if (bc_pack(qa, K, 1, M, K, 4, pa, g.lda / 8) || bc_pack(qb, 1, N, N, K, 6, pb, g.ldb / 8))
        return 4;
    bc_mem_write(&dev, g.a_addr, pa, sizeof pa);
    bc_mem_write(&dev, g.b_addr, pb, sizeof pb);
    if (bc_gemm_run(&dev, &g, 1000000000ull) != BC_OK)
        return 5;
    bc_mem_read(&dev, g.c_addr, c, sizeof c);
    bc_counters_t cnt;
    bc_counters_snapshot(&dev, &cnt);
    bm_puts("bm_main: job done, c[0] = ");
    bm_putdec(c[0]);
    bm_puts(", interrupts ");
    bm_putdec(bm_irq_count());
    bm_putc('\n');
    return cnt.jobs && bm_irq_count() > 0 ? 0 : 6;
}
