/* libFuzzer: driver descriptor validation (bc_gemm_validate) against an
 * independent statement of the limits, and against the functional model's
 * own validator (what the hardware reports in ERR_CODE) for refused jobs. */
#include "bc_hal_fsim.h"
#include "bitcycle.h"
#include "fuzz_util.h"

static bc_fsim_t *fsim;
static bc_dev_t dev;
static bc_hal_t hal;

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The first failing field, written from docs/contracts.md, not from the
 * driver; -1 when the statement below cannot decide (extents, strides). */
static int expected(const bc_gemm_t *g, const bc_hwcfg_t *c)
{
    uint64_t wb = c->win_base, we = (uint64_t)c->win_base + c->win_size;
    if (g->wbits < 1 || g->wbits > c->max_bits)
        return BC_E_WBITS;
    if (g->abits < 1 || g->abits > c->max_bits)
        return BC_E_ABITS;
    if (g->m < 1 || g->m > c->max_m)
        return BC_E_M;
    if (g->n < 1 || g->n > c->max_n)
        return BC_E_N;
    if (g->k < 1 || g->k > c->max_k)
        return BC_E_K;
    if (g->a_addr % 8 || g->a_addr < wb || g->a_addr >= we)
        return BC_E_A_ADDR;
    /* B and C come after A's extent, which depends on lda: undecided */
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 44)
        return 0;
    if (!fsim) {
        bc_fsim_config_t cfg;
        bc_fsim_config_default(&cfg);
        cfg.mem_bytes = 1u << 20;
        char err[128];
        fsim = bc_fsim_create(&cfg, err, sizeof err);
        if (!fsim)
            abort();
        bc_fsim_hal(fsim, &hal);
        if (bc_open(&dev, &hal) != BC_OK)
            abort();
    }
    bc_gemm_t g;
    memset(&g, 0, sizeof g);
    /* small values are more interesting than uniform 32-bit ones */
    uint32_t f[11];
    for (int i = 0; i < 11; i++) {
        uint32_t v = rd32(data + 4 * i);
        f[i] = (v & 0x80000000u) ? v : v % 5000u;
    }
    g.wbits = f[0] % 20u;
    g.abits = f[1] % 20u;
    g.m = f[2];
    g.n = f[3];
    g.k = f[4];
    g.a_addr = f[5];
    g.b_addr = f[6];
    g.c_addr = f[7];
    g.lda = f[8];
    g.ldb = f[9];
    g.ldc = f[10];
    g.job_id = 1;
    bc_status_t st = bc_gemm_validate(&dev, &g);
    int exp = expected(&g, &dev.cfg);
    if (exp >= 0 && (int)st != exp) {
        fprintf(stderr, "validate says %s, limits say %s\n", bc_status_name(st), bc_status_name((bc_status_t)exp));
        abort();
    }
    if (st == BC_OK)
        return 0; /* a valid job would run; the model's validator is compared on refusals only */
    /* The model's validator (same order and codes as the RTL) must agree. */
    if (bc_gemm_submit_unchecked(&dev, &g) != BC_OK)
        abort();
    bc_status_t w = bc_wait(&dev, 1000000000ull);
    if (w != BC_E_HW || dev.hw_err.status != st) {
        fprintf(stderr, "driver says %s, fsim ERR_CODE %u (%s)\n", bc_status_name(st), dev.hw_err.code,
                dev.hw_err.name ? dev.hw_err.name : "-");
        abort();
    }
    bc_error_clear(&dev);
    return 0;
}
