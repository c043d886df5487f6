/* Shared helpers of the array-core regressions (see rtl_util.h). */
#include "rtl_util.h"

#include <stdlib.h>
#include <string.h>

void rtl_rng_seed(rtl_rng_t *r, uint64_t seed)
{
    r->s = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
    if (r->s == 0)
        r->s = 1;
}

uint64_t rtl_rng_next(rtl_rng_t *r)
{
    /* xorshift64* */
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545f4914f6cdd1dull;
}

unsigned rtl_rng_range(rtl_rng_t *r, unsigned lo, unsigned hi)
{
    return lo + (unsigned)(rtl_rng_next(r) % ((uint64_t)hi - lo + 1u));
}

void rtl_fill(rtl_rng_t *r, int32_t *x, unsigned n, unsigned bits, rtl_fill_t mode)
{
    uint32_t mask = (bits >= 32) ? 0xffffffffu : ((1u << bits) - 1u);
    for (unsigned e = 0; e < n; e++) {
        uint32_t garbage = (uint32_t)rtl_rng_next(r) & ~mask;
        uint32_t v;
        switch (mode) {
        case RTL_FILL_EXTREME: {
            const uint32_t pick[5] = {1u << (bits - 1), mask >> 1, mask, 0u, 1u};
            v = pick[rtl_rng_next(r) % 5u];
            break;
        }
        case RTL_FILL_MOST_NEG:
            v = 1u << (bits - 1);
            break;
        case RTL_FILL_ALL_ONES:
            v = mask;
            break;
        default:
            v = (uint32_t)rtl_rng_next(r) & mask;
            break;
        }
        x[e] = (int32_t)(v | garbage);
    }
}

bool rtl_gemm_alloc(rtl_gemm_t *g, const bc_core_job_t *job)
{
    memset(g, 0, sizeof *g);
    g->job = *job;
    g->idx = -1;
    g->a = calloc((size_t)job->m * job->k, sizeof(int32_t));
    g->b = calloc((size_t)job->k * job->n, sizeof(int32_t));
    if (!g->a || !g->b) {
        rtl_gemm_free(g);
        return false;
    }
    return true;
}

void rtl_gemm_free(rtl_gemm_t *g)
{
    free(g->a);
    free(g->b);
    g->a = g->b = NULL;
}

unsigned rtl_a_words(const bc_core_geom_t *geo, const bc_core_job_t *job)
{
    return ((job->m + geo->dm - 1) / geo->dm) * bc_golden_kchunks(job->k) * job->wbits;
}

unsigned rtl_b_words(const bc_core_geom_t *geo, const bc_core_job_t *job)
{
    return ((job->n + geo->dn - 1) / geo->dn) * bc_golden_kchunks(job->k) * job->abits;
}

/* Pack `rows` rows (element (r,kk) = x[r*ldx + kk*cs]) and emit them bank by bank. */
static int emit_matrix(bool is_a, unsigned banks, unsigned off, const int32_t *x,
                       size_t ldx, size_t cs, unsigned rows, unsigned k, unsigned bits, rtl_rng_t *garbage,
                       rtl_word_fn emit, void *ctx)
{
    unsigned kcs = bc_golden_kchunks(k);
    size_t ld = (size_t)kcs * bits;
    uint64_t *packed = malloc(sizeof(uint64_t) * ld * rows);
    if (!packed)
        return -1;
    bc_golden_pack(x, ldx, cs, rows, k, bits, packed, ld);
    uint64_t pad_mask = (k % 64u) ? ~((1ull << (k % 64u)) - 1u) : 0;
    int rc = 0;
    for (unsigned r = 0; r < rows && rc == 0; r++) {
        for (unsigned w = 0; w < ld && rc == 0; w++) {
            uint64_t word = packed[(size_t)r * ld + w];
            if (garbage && w / bits == kcs - 1u)
                word |= rtl_rng_next(garbage) & pad_mask;
            unsigned bank = r % banks, addr = off + (unsigned)((r / banks) * ld + w);
            rc = emit(ctx, is_a, bank, addr, word);
        }
    }
    free(packed);
    return rc;
}

int rtl_emit_operands(const bc_core_geom_t *geo, const rtl_gemm_t *g, rtl_rng_t *garbage, rtl_word_fn emit,
                      void *ctx)
{
    const bc_core_job_t *j = &g->job;
    if (emit_matrix(true, geo->dm, j->a_off, g->a, j->k, 1, j->m, j->k, j->wbits, garbage, emit, ctx))
        return -1;
    /* B is packed as the N rows of its transpose: element (n, kk) = b[kk*N + n]. */
    return emit_matrix(false, geo->dn, j->b_off, g->b, 1, j->n, j->n, j->k, j->abits, garbage, emit, ctx);
}

uint64_t rtl_passes(const bc_core_geom_t *geo, const bc_core_job_t *job)
{
    return bc_golden_core_passes(job->m, job->n, job->k, job->wbits, job->abits, geo->dm, geo->dn, geo->dk);
}
