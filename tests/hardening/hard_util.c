#include "hard_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_golden.h"
#include "bc_regs.h"

#define HU_MEM_BYTES (64u << 20)

#ifdef HU_COVERAGE
/* tests/hardening/hard_cov.cpp: Verilator coverage of each sim, written to
 * $HU_COV_DIR/cov-PID-N.dat when the sim is destroyed */
#include <unistd.h>
void *hard_cov_attach(void);
void hard_cov_write(void *ctx, const char *path);
static unsigned cov_files;
#endif

bool hu_have_sim(void)
{
    return bc_backend_available("sim");
}

void hu_opts_default(hu_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
}

int hu_open(hu_dev_t *d, const char *backend, const hu_opts_t *o)
{
    memset(d, 0, sizeof *d);
    d->backend = backend;
    bc_backend_config_t c;
    bc_backend_config_default(&c);
    c.mem_bytes = HU_MEM_BYTES;
    c.rd_latency = o->rd_latency;
    c.wr_latency = o->wr_latency;
    c.stall_prob = o->stall_prob;
    c.seed = o->seed;
    c.err_lo = o->err_lo;
    c.err_hi = o->err_hi;
    c.err_kind = o->err_kind;
    char err[256];
    if (bc_backend_open(backend, &c, &d->be, err, sizeof err)) {
        fprintf(stderr, "hu_open: %s\n", err);
        return -1;
    }
    if (strcmp(backend, "sim") == 0) {
        d->sim = d->be.impl;
#ifdef HU_COVERAGE
        d->cov_ctx = hard_cov_attach();
#endif
    }
    bc_status_t st = bc_open(&d->dev, &d->be.hal);
    if (st != BC_OK) {
        fprintf(stderr, "hu_open: bc_open on %s: %s\n", backend, bc_strerror(st));
        hu_close(d);
        return -1;
    }
    return 0;
}

void hu_close(hu_dev_t *d)
{
#ifdef HU_COVERAGE
    const char *dir = getenv("HU_COV_DIR");
    if (d->sim && dir && *dir) {
        char path[512];
        snprintf(path, sizeof path, "%s/cov-%ld-%u.dat", dir, (long)getpid(), cov_files++);
        hard_cov_write(d->cov_ctx, path);
    }
#endif
    bc_backend_close(&d->be);
    d->sim = NULL;
}

void hu_seed(hu_rng_t *r, uint64_t seed)
{
    r->s = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
    if (!r->s)
        r->s = 1;
}

uint64_t hu_next(hu_rng_t *r)
{
    /* splitmix64: independent of the driver's own generator */
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

unsigned hu_range(hu_rng_t *r, unsigned lo, unsigned hi)
{
    return lo + (unsigned)(hu_next(r) % ((uint64_t)hi - lo + 1));
}

void hu_layout(const hu_job_t *j, uint32_t base, hu_layout_t *l)
{
    uint32_t a_bytes = (uint32_t)(j->m * bc_packed_row_bytes(j->k, j->wbits));
    uint32_t b_bytes = (uint32_t)(j->n * bc_packed_row_bytes(j->k, j->abits));
    uint32_t c_bytes = (uint32_t)(j->m * ((4u * j->n + 7u) & ~7u));
    l->a_addr = base;
    l->b_addr = (l->a_addr + a_bytes + 7u) & ~7u; /* 8-aligned only: bursts cross 4 KiB pages */
    l->c_addr = (l->b_addr + b_bytes + 7u) & ~7u;
    l->end = l->c_addr + c_bytes;
}

void hu_gemm_for(hu_dev_t *d, const hu_job_t *j, const hu_layout_t *l, uint32_t job_id, bc_gemm_t *g)
{
    bc_gemm_init(&d->dev, g);
    g->m = j->m;
    g->n = j->n;
    g->k = j->k;
    g->wbits = j->wbits;
    g->abits = j->abits;
    g->wsigned = j->wsigned;
    g->asigned = j->asigned;
    g->a_addr = l->a_addr;
    g->b_addr = l->b_addr;
    g->c_addr = l->c_addr;
    g->job_id = job_id;
    bc_gemm_default_strides(g);
    g->ldc = (4u * j->n + 7u) & ~7u;
}

static int32_t rand_elem(hu_rng_t *r, unsigned bits, bool is_signed, unsigned style)
{
    int64_t lo = is_signed ? -((int64_t)1 << (bits - 1)) : 0;
    int64_t hi = is_signed ? ((int64_t)1 << (bits - 1)) - 1 : ((int64_t)1 << bits) - 1;
    int64_t v;
    switch (style) {
    case 0: /* extremes: saturation and sign planes */
        v = (hu_next(r) & 1) ? lo : hi;
        break;
    case 1: /* garbage above the low bits must be ignored */
        return (int32_t)(uint32_t)hu_next(r);
    default:
        v = lo + (int64_t)(hu_next(r) % (uint64_t)(hi - lo + 1));
    }
    return (int32_t)v;
}

int hu_prepare(hu_dev_t *d, hu_rng_t *r, const hu_job_t *j, uint32_t base, hu_data_t *h)
{
    memset(h, 0, sizeof *h);
    h->job = *j;
    hu_layout(j, base, &h->lay);
    size_t na = (size_t)j->m * j->k, nb = (size_t)j->k * j->n, nc = (size_t)j->m * j->n;
    h->a = malloc(na * sizeof *h->a);
    h->b = malloc(nb * sizeof *h->b);
    h->c_gold = malloc(nc * sizeof *h->c_gold);
    size_t wa = bc_packed_row_bytes(j->k, j->wbits) / 8, wb = bc_packed_row_bytes(j->k, j->abits) / 8;
    uint64_t *pa = calloc((size_t)j->m * wa, 8), *pb = calloc((size_t)j->n * wb, 8);
    int rc = -1;
    if (!h->a || !h->b || !h->c_gold || !pa || !pb) {
        fprintf(stderr, "hu_prepare: out of memory\n");
        goto out;
    }
    unsigned style = (unsigned)(hu_next(r) % 8); /* 0 extremes, 1 garbage, else uniform */
    for (size_t i = 0; i < na; i++)
        h->a[i] = rand_elem(r, j->wbits, j->wsigned, style);
    for (size_t i = 0; i < nb; i++)
        h->b[i] = rand_elem(r, j->abits, j->asigned, style);
    h->overflow = bc_golden_gemm(h->a, j->k, h->b, j->n, h->c_gold, j->n, j->m, j->n, j->k, j->wbits,
                                 j->abits, j->wsigned, j->asigned);
    bc_status_t st = bc_pack(h->a, j->k, 1, j->m, j->k, j->wbits, pa, wa);
    if (st == BC_OK)
        st = bc_pack(h->b, 1, j->n, j->n, j->k, j->abits, pb, wb);
    if (st == BC_OK)
        st = bc_mem_write(&d->dev, h->lay.a_addr, pa, (size_t)j->m * wa * 8);
    if (st == BC_OK)
        st = bc_mem_write(&d->dev, h->lay.b_addr, pb, (size_t)j->n * wb * 8);
    if (st == BC_OK) {
        /* poison C so a job that writes nothing cannot pass */
        size_t cb = (size_t)(h->lay.end - h->lay.c_addr);
        uint8_t *poison = malloc(cb);
        if (!poison) {
            st = BC_E_ARG;
        } else {
            memset(poison, 0xA5, cb);
            st = bc_mem_write(&d->dev, h->lay.c_addr, poison, cb);
            free(poison);
        }
    }
    if (st != BC_OK) {
        fprintf(stderr, "hu_prepare: %s\n", bc_strerror(st));
        goto out;
    }
    rc = 0;
out:
    free(pa);
    free(pb);
    if (rc)
        hu_data_free(h);
    return rc;
}

void hu_data_free(hu_data_t *h)
{
    free(h->a);
    free(h->b);
    free(h->c_gold);
    h->a = h->b = h->c_gold = NULL;
}

int hu_check(hu_dev_t *d, const hu_data_t *h, const char *what)
{
    const hu_job_t *j = &h->job;
    size_t ldc = ((4u * j->n + 7u) & ~7u) / 4;
    int32_t *c = malloc((size_t)j->m * ldc * sizeof *c);
    if (!c)
        return -1;
    bc_status_t st = bc_mem_read(&d->dev, h->lay.c_addr, c, (size_t)j->m * ldc * 4);
    if (st != BC_OK) {
        fprintf(stderr, "%s: reading C: %s\n", what, bc_strerror(st));
        free(c);
        return -1;
    }
    int rc = 0;
    for (unsigned r = 0; r < j->m && !rc; r++)
        for (unsigned col = 0; col < j->n; col++)
            if (c[(size_t)r * ldc + col] != h->c_gold[(size_t)r * j->n + col]) {
                if (what[0])
                    fprintf(stderr,
                        "%s: MISMATCH on %s at C[%u][%u]: got %d, golden %d (m %u n %u k %u w%u%s a%u%s)\n",
                        what, d->backend, r, col, c[(size_t)r * ldc + col], h->c_gold[(size_t)r * j->n + col],
                        j->m, j->n, j->k, j->wbits, j->wsigned ? "s" : "u", j->abits, j->asigned ? "s" : "u");
                rc = 1;
                break;
            }
    free(c);
    return rc;
}

int hu_run(hu_dev_t *d, hu_rng_t *r, const hu_job_t *j, uint32_t base, uint64_t timeout_ns, const char *what)
{
    hu_data_t h;
    if (hu_prepare(d, r, j, base, &h))
        return -1;
    bc_gemm_t g;
    hu_gemm_for(d, j, &h.lay, (uint32_t)(hu_next(r) & 0xffff), &g);
    bc_status_t st = bc_gemm_run(&d->dev, &g, timeout_ns);
    int rc;
    if (st != BC_OK) {
        fprintf(stderr, "%s: bc_gemm_run on %s: %s (hw %s)\n", what, d->backend, bc_strerror(st),
                d->dev.hw_err.name ? d->dev.hw_err.name : "-");
        rc = -1;
    } else {
        rc = hu_check(d, &h, what);
        uint32_t status = 0;
        if (!rc && bc_reg_read(&d->dev, BC_REG_STATUS, &status) == BC_OK &&
            !!(status & BC_STATUS_OVERFLOW_MASK) != h.overflow) {
            fprintf(stderr, "%s: STATUS.OVERFLOW %u, golden %u\n", what, !!(status & BC_STATUS_OVERFLOW_MASK), h.overflow);
            rc = 1;
        }
        if (h.overflow)
            bc_error_clear(&d->dev); /* clears the sticky overflow flag */
    }
    hu_data_free(&h);
    return rc;
}

void hu_random_job(hu_rng_t *r, unsigned max_mn, unsigned max_k, hu_job_t *j)
{
    j->wbits = hu_range(r, 1, 16);
    j->abits = hu_range(r, 1, 16);
    j->wsigned = hu_next(r) & 1;
    j->asigned = hu_next(r) & 1;
    j->m = hu_range(r, 1, max_mn);
    j->n = hu_range(r, 1, max_mn);
    /* K near chunk boundaries more often than uniform */
    unsigned kc = hu_range(r, 1, (max_k + 63) / 64);
    switch (hu_next(r) % 3) {
    case 0: j->k = kc * 64 > max_k ? max_k : kc * 64; break;
    case 1: j->k = hu_range(r, 1, max_k); break;
    default: j->k = kc * 64 - (unsigned)(hu_next(r) % 3); if (j->k > max_k || j->k == 0) j->k = max_k;
    }
}
