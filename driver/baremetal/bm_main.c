/* Minimal bare-metal firmware: the driver over the mmio HAL, running one
 * quantized GEMM end to end. Built for rv32imac by `make test-driver` to
 * prove the driver is freestanding (links with no undefined symbols). */
#include <stdint.h>

#include "bc_hal_mmio.h"
#include "bitcycle.h"

#define BC_REG_BASE 0x40000000u /* bitcycle AXI4-Lite registers */
#define BC_DMA_BASE 0x00000000u /* CPU address of device address 0 */
#define BC_BUF_ADDR 0x00100000u /* device address of the operand area */

enum { M = 8, N = 8, K = 64 };

volatile int bm_exit_code = -1;
static float weights[M * K], acts[K * N];
static int32_t qa[M * K], qb[K * N], c[M * N];
static uint64_t pa[M * 8], pb[N * 8];
static bc_qp_t pw[M];

int main(void)
{
    bc_mmio_t mmio = {.reg_base = BC_REG_BASE, .mem_base = BC_DMA_BASE};
    bc_hal_t hal;
    bc_hal_mmio_init(&hal, &mmio);
    bc_dev_t dev;
    if (bc_open(&dev, &hal) != BC_OK)
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
    return cnt.jobs ? 0 : 6;
}
