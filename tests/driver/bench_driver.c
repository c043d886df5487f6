/* make bench (driver part): fsim GEMM throughput at 8/8 through the driver
 * against a plain triple-loop int32 C GEMM on the same machine, and the
 * bit-plane packing throughput at 8 and 3 bits. Reports only; asserts
 * nothing except that the fsim result equals the plain GEMM's.
 *   bench_driver OUT.md */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bc_hal_fsim.h"
#include "bitcycle.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The baseline: the textbook triple loop, int32 throughout. */
static void plain_gemm(const int32_t *a, const int32_t *b, int32_t *c, unsigned m, unsigned n,
                       unsigned k)
{
    for (unsigned i = 0; i < m; i++)
        for (unsigned j = 0; j < n; j++) {
            int32_t acc = 0;
            for (unsigned t = 0; t < k; t++)
                acc += a[(size_t)i * k + t] * b[(size_t)t * n + j];
            c[(size_t)i * n + j] = acc;
        }
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_driver OUT.md\n");
        return 2;
    }
    enum { M = 256, N = 256, K = 2048, REPS = 3 };
    const double macs = (double)M * N * K;
    int32_t *a = malloc(sizeof *a * M * K), *b = malloc(sizeof *b * K * N);
    int32_t *c0 = malloc(sizeof *c0 * M * N), *c1 = malloc(sizeof *c1 * M * N);
    uint64_t s = 42;
    for (size_t i = 0; i < (size_t)M * K; i++)
        a[i] = (int32_t)(lcg(&s) % 256) - 128;
    for (size_t i = 0; i < (size_t)K * N; i++)
        b[i] = (int32_t)(lcg(&s) % 256) - 128;

    double best_plain = 1e30;
    for (int r = 0; r < REPS; r++) {
        double t0 = now_s();
        plain_gemm(a, b, c0, M, N, K);
        double t = now_s() - t0;
        best_plain = t < best_plain ? t : best_plain;
    }

    bc_fsim_config_t cfg;
    bc_fsim_config_default(&cfg);
    cfg.mem_bytes = 16u << 20;
    char err[160];
    bc_fsim_t *f = bc_fsim_create(&cfg, err, sizeof err);
    bc_hal_t hal;
    bc_dev_t dev;
    if (!f) {
        fprintf(stderr, "bench_driver: %s\n", err);
        return 1;
    }
    bc_fsim_hal(f, &hal);
    if (bc_open(&dev, &hal) != BC_OK || bc_set_wait_mode(&dev, BC_WAIT_IRQ) != BC_OK)
        return 1;
    bc_gemm_t g;
    bc_gemm_init(&dev, &g); /* 8/8 signed */
    g.m = M, g.n = N, g.k = K;
    bc_gemm_default_strides(&g);
    g.a_addr = 0;
    g.b_addr = M * g.lda;
    g.c_addr = g.b_addr + N * g.ldb;
    uint64_t *pa = malloc((size_t)M * g.lda), *pb = malloc((size_t)N * g.ldb);
    bc_pack(a, K, 1, M, K, 8, pa, g.lda / 8);
    bc_pack(b, 1, N, N, K, 8, pb, g.ldb / 8);
    bc_mem_write(&dev, g.a_addr, pa, (size_t)M * g.lda);
    bc_mem_write(&dev, g.b_addr, pb, (size_t)N * g.ldb);
    double best_fsim = 1e30;
    for (int r = 0; r < REPS; r++) {
        double t0 = now_s();
        if (bc_gemm_run(&dev, &g, UINT64_MAX / 2) != BC_OK) {
            fprintf(stderr, "bench_driver: fsim job failed\n");
            return 1;
        }
        double t = now_s() - t0;
        best_fsim = t < best_fsim ? t : best_fsim;
    }
    bc_mem_read(&dev, g.c_addr, c1, sizeof *c1 * M * N);
    int same = memcmp(c0, c1, sizeof *c0 * M * N) == 0;

    /* Packing: 1M elements into bit planes at 8 and 3 bits. */
    enum { PR = 512, PK = 2048 };
    int32_t *x = malloc(sizeof *x * PR * PK);
    uint64_t *px = malloc(sizeof *px * PR * (PK / 64) * 8);
    int32_t *y = malloc(sizeof *y * PR * PK);
    double pack_eps[2], unpack_eps[2];
    const unsigned pbits[2] = {8, 3};
    for (int bi = 0; bi < 2; bi++) {
        for (size_t i = 0; i < (size_t)PR * PK; i++)
            x[i] = (int32_t)(lcg(&s) % (1u << pbits[bi]));
        double bp = 1e30, bu = 1e30;
        for (int r = 0; r < REPS; r++) {
            double t0 = now_s();
            bc_pack(x, PK, 1, PR, PK, pbits[bi], px, (PK / 64) * pbits[bi]);
            double t1 = now_s();
            bc_unpack(px, (PK / 64) * pbits[bi], PR, PK, pbits[bi], false, y, PK);
            double t2 = now_s();
            bp = t1 - t0 < bp ? t1 - t0 : bp;
            bu = t2 - t1 < bu ? t2 - t1 : bu;
        }
        if (memcmp(x, y, sizeof *x * PR * PK) != 0) {
            fprintf(stderr, "bench_driver: pack/unpack round trip failed at %u bits\n", pbits[bi]);
            return 1;
        }
        pack_eps[bi] = (double)PR * PK / bp;
        unpack_eps[bi] = (double)PR * PK / bu;
    }

    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *o = fopen(tmp, "w");
    if (!o) {
        perror(tmp);
        return 1;
    }
    fprintf(o, "## Driver (issue 4)\n\n");
    fprintf(o, "GEMM %dx%dx%d at 8/8 signed, best of %d (wall clock, one core):\n\n", M, N, K, REPS);
    fprintf(o, "| path | time (ms) | MACs/s |\n|---|---:|---:|\n");
    fprintf(o, "| plain triple-loop int32 C GEMM | %.1f | %.3g |\n", best_plain * 1e3,
            macs / best_plain);
    fprintf(o, "| fsim through the driver (submit, IRQ wait) | %.1f | %.3g |\n", best_fsim * 1e3,
            macs / best_fsim);
    fprintf(o, "\nfsim / plain speed ratio: **%.2fx** (results identical: %s)\n\n",
            best_plain / best_fsim, same ? "yes" : "NO");
    fprintf(o, "Bit-plane packing, %d x %d int32 elements:\n\n", PR, PK);
    fprintf(o, "| bits | pack (input bytes/s) | unpack (output bytes/s) | pack (elements/s) |\n");
    fprintf(o, "|---:|---:|---:|---:|\n");
    for (int bi = 0; bi < 2; bi++)
        fprintf(o, "| %u | %.3g | %.3g | %.3g |\n", pbits[bi], 4 * pack_eps[bi],
                4 * unpack_eps[bi], pack_eps[bi]);
    if (fclose(o) != 0 || rename(tmp, argv[1]) != 0) {
        perror(argv[1]);
        return 1;
    }
    printf("bench-driver: fsim %.3g MACs/s, plain %.3g MACs/s, ratio %.2fx; pack 8b %.3g B/s, 3b %.3g B/s -> %s\n",
           macs / best_fsim, macs / best_plain, best_plain / best_fsim, 4 * pack_eps[0],
           4 * pack_eps[1], argv[1]);
    bc_fsim_destroy(f);
    free(a), free(b), free(c0), free(c1), free(pa), free(pb), free(x), free(px), free(y);
    return same ? 0 : 1;
}
