/* A complete bitcycle driver program (docs/driver.md walks through it).
 *
 * It quantizes a float layer (weights per output channel, activations per
 * tensor), packs the codes into bit planes, runs the GEMM on the
 * accelerator, reads the int32 result back, dequantizes it and prints the
 * error against the float result and the performance counters.
 *
 * The device here is fsim, the functional model; on a board only the two
 * HAL lines change (bc_hal_mmio_init with the register base). */
#include <stdio.h>
#include <stdlib.h>

#include "bc_hal_fsim.h"
#include "bitcycle.h"

enum { M = 16, N = 12, K = 100 };             /* C (M x N) = W (M x K) * X (K x N) */
enum { WBITS = 6, ABITS = 5 };                /* precisions of this job */
static const uint32_t A_ADDR = 0x1000;        /* device addresses of the operands */

static int check(bc_status_t st, const char *what)
{
    if (st != BC_OK)
        fprintf(stderr, "gemm_example: %s: %s (%s)\n", what, bc_strerror(st), bc_status_name(st));
    return st != BC_OK;
}

int main(void)
{
    /* 1. The backend: a functional model with 1 MiB of device memory. */
    bc_fsim_config_t fcfg;
    bc_fsim_config_default(&fcfg);
    fcfg.mem_bytes = 1u << 20;
    char err[160];
    bc_fsim_t *fsim = bc_fsim_create(&fcfg, err, sizeof err);
    if (!fsim) {
        fprintf(stderr, "gemm_example: %s\n", err);
        return 1;
    }
    bc_hal_t hal;
    bc_fsim_hal(fsim, &hal);

    /* 2. Open: reads ID, VERSION and the configuration registers. */
    bc_dev_t dev;
    if (check(bc_open(&dev, &hal), "bc_open"))
        return 1;
    printf("bitcycle %u.%u: %ux%u array, DK %u, up to %u bits, queue %u\n", dev.cfg.version >> 16,
           (dev.cfg.version >> 8) & 0xff, dev.cfg.dm, dev.cfg.dn, dev.cfg.dk, dev.cfg.max_bits,
           dev.cfg.queue_depth);

    /* 3. Data: a deterministic float layer. */
    static float w[M * K], x[K * N], ref[M * N];
    for (int i = 0; i < M * K; i++)
        w[i] = (float)((i * 37) % 101 - 50) / 50.0f * (1.0f + (float)(i / K) / 4.0f);
    for (int i = 0; i < K * N; i++)
        x[i] = (float)((i * 53) % 97 - 48) / 48.0f;
    for (int r = 0; r < M; r++)
        for (int c = 0; c < N; c++) {
            float s = 0.0f;
            for (int t = 0; t < K; t++)
                s += w[r * K + t] * x[t * N + c];
            ref[r * N + c] = s;
        }

    /* 4. Quantize on the min/max grid (bc_quant.h): weights per row (output
     * channel), activations per tensor, as signed codes for the accelerator. */
    static int32_t qw[M * K], qx[K * N];
    static bc_qp_t pw[M];
    bc_q_rows(w, M, K, K, WBITS, true, BC_QROUND_NEAREST, NULL, qw, K, pw);
    bc_qp_t px = bc_q_tensor(x, K * N, ABITS, true, BC_QROUND_NEAREST, NULL, qx);

    /* 5. Describe the job; bc_gemm_validate checks it against the hardware. */
    bc_precision_t prec = {WBITS, ABITS, true, true};
    if (check(bc_set_precision(&dev, &prec), "bc_set_precision"))
        return 1;
    bc_gemm_t g;
    bc_gemm_init(&dev, &g);
    g.m = M, g.n = N, g.k = K;
    g.job_id = 1;
    bc_gemm_default_strides(&g);
    g.a_addr = A_ADDR;
    g.b_addr = g.a_addr + M * g.lda;
    g.c_addr = g.b_addr + N * g.ldb;
    if (check(bc_gemm_validate(&dev, &g), "bc_gemm_validate"))
        return 1;

    /* 6. Pack into bit planes (B as the rows of its transpose) and copy. */
    static uint64_t pa[M * 2 * WBITS], pb[N * 2 * ABITS];
    if (check(bc_pack(qw, K, 1, M, K, WBITS, pa, g.lda / 8), "pack A") ||
        check(bc_pack(qx, 1, N, N, K, ABITS, pb, g.ldb / 8), "pack B") ||
        check(bc_mem_write(&dev, g.a_addr, pa, sizeof pa), "write A") ||
        check(bc_mem_write(&dev, g.b_addr, pb, sizeof pb), "write B"))
        return 1;

    /* 7. Run: submit (non-blocking) and wait, here by interrupt. */
    bc_counters_t before, after, used;
    if (check(bc_set_wait_mode(&dev, BC_WAIT_IRQ), "wait mode") ||
        check(bc_counters_snapshot(&dev, &before), "counters") ||
        check(bc_gemm_submit(&dev, &g), "bc_gemm_submit"))
        return 1;
    bc_status_t st = bc_wait(&dev, 1000000000ull);
    if (st == BC_E_HW)
        fprintf(stderr, "gemm_example: hardware error %s\n", dev.hw_err.name);
    if (check(st, "bc_wait") || check(bc_counters_snapshot(&dev, &after), "counters"))
        return 1;
    bc_counters_diff(&after, &before, &used);

    /* 8. Read C, check it against an integer GEMM of the same codes and
     * dequantize: with x_hat = offset + scale * q on both sides,
     * C_real = sw*sx*C + sw*ox*sum_k qw + ow*sx*sum_k qx + K*ow*ox. */
    static int32_t c[M * N];
    if (check(bc_mem_read(&dev, g.c_addr, c, sizeof c), "read C"))
        return 1;
    int mismatches = 0;
    double max_err = 0.0, max_ref = 0.0;
    for (int r = 0; r < M; r++)
        for (int col = 0; col < N; col++) {
            int64_t s = 0, sum_w = 0, sum_x = 0;
            for (int t = 0; t < K; t++) {
                s += (int64_t)qw[r * K + t] * qx[t * N + col];
                sum_w += qw[r * K + t];
                sum_x += qx[t * N + col];
            }
            mismatches += s != c[r * N + col];
            double sw = pw[r].scale, ow = pw[r].offset, sx = px.scale, ox = px.offset;
            double real = sw * sx * c[r * N + col] + sw * ox * (double)sum_w + ow * sx * (double)sum_x +
                          (double)K * ow * ox;
            double e = real - ref[r * N + col];
            max_err = e < 0 ? (-e > max_err ? -e : max_err) : (e > max_err ? e : max_err);
            double a = ref[r * N + col] < 0 ? -ref[r * N + col] : ref[r * N + col];
            max_ref = a > max_ref ? a : max_ref;
        }
    printf("C[0][0..3] = %d %d %d %d; integer mismatches %d\n", c[0], c[1], c[2], c[3], mismatches);
    printf("max |dequantized - float| = %.4f (max |float| %.3f, %.2f%%)\n", max_err, max_ref,
           100.0 * max_err / max_ref);
    for (unsigned i = 0; i < BC_NUM_COUNTERS; i++)
        printf("  %-14s %10llu %s\n", bc_counter_info(i)->name,
               (unsigned long long)bc_counter_get(&used, i), bc_counter_info(i)->unit);
    bc_fsim_destroy(fsim);
    /* 6/5-bit codes: a few percent of the output range is the expected error. */
    return mismatches == 0 && max_err < 0.1 * max_ref ? 0 : 1;
}
