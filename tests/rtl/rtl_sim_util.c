/* Simulator-side helpers of the array-core regressions (see rtl_util.h). */
#include <stdlib.h>

#include "rtl_util.h"

typedef struct load_ctx {
    bc_core_sim_t *sim;
    rtl_word_fn emit;
    void *ctx;
} load_ctx_t;

static int write_word(void *vctx, bool is_a, unsigned bank, unsigned addr, uint64_t word)
{
    load_ctx_t *l = vctx;
    if (l->emit && l->emit(l->ctx, is_a, bank, addr, word))
        return -1;
    return is_a ? bc_core_sim_write_a(l->sim, bank, addr, word) : bc_core_sim_write_b(l->sim, bank, addr, word);
}

int rtl_load(bc_core_sim_t *sim, const bc_core_geom_t *geo, const rtl_gemm_t *g, rtl_rng_t *garbage,
             rtl_word_fn emit, void *ctx)
{
    load_ctx_t l = {sim, emit, ctx};
    return rtl_emit_operands(geo, g, garbage, write_word, &l);
}

bool rtl_check(bc_core_sim_t *sim, const rtl_gemm_t *g, uint64_t seed, const char *what)
{
    const bc_core_job_t *j = &g->job;
    int32_t *c = malloc(sizeof(int32_t) * j->m * j->n);
    if (!c)
        return false;
    bool ovf = bc_golden_gemm(g->a, j->k, g->b, j->n, c, j->n, j->m, j->n, j->k, j->wbits, j->abits, j->wsigned,
                              j->asigned);
    bc_core_job_rec_t rec;
    bool ok = bc_core_sim_job(sim, (unsigned)g->idx, &rec) == 0 && rec.done;
    if (!ok)
        fprintf(stderr, "MISMATCH %s seed=%llu job %d did not complete\n", what, (unsigned long long)seed, g->idx);
    for (unsigned r = 0; ok && r < j->m; r++) {
        for (unsigned col = 0; col < j->n; col++) {
            int32_t got = bc_core_sim_result(sim, (unsigned)g->idx, r, col);
            if (got != c[(size_t)r * j->n + col]) {
                fprintf(stderr,
                        "MISMATCH %s seed=%llu M=%u N=%u K=%u wbits=%u%c abits=%u%c C[%u][%u]: rtl %d golden %d\n",
                        what, (unsigned long long)seed, j->m, j->n, j->k, j->wbits, j->wsigned ? 's' : 'u',
                        j->abits, j->asigned ? 's' : 'u', r, col, got, c[(size_t)r * j->n + col]);
                ok = false;
                break;
            }
        }
    }
    if (ok && rec.overflow != ovf) {
        fprintf(stderr, "MISMATCH %s seed=%llu M=%u N=%u K=%u wbits=%u abits=%u: overflow rtl %d golden %d\n", what,
                (unsigned long long)seed, j->m, j->n, j->k, j->wbits, j->abits, rec.overflow, ovf);
        ok = false;
    }
    free(c);
    return ok;
}

