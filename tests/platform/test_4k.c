/* 4 KiB burst split on the C-ABI harness: operand rows and C row segments placed
 * just before page ends, at every DMA burst limit (DMA_CFG 0..16 and values the
 * engine clamps), with and without memory back-pressure. Every job is checked
 * bit-exact against the golden model, C's padding must stay untouched, and the
 * harness's AXI checker (no burst across 4 KiB, handshake rules) must stay silent.
 * SEED=N replays a run. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bc_golden.h"
#include "bc_regs.h"
#include "bc_sim.h"
#include "plat.h"

enum { PAGE = 4096, SPAN = 0x20000, REGION = 3 * SPAN };

static int s_rd(void *c, uint32_t a, uint32_t *v) { return bc_sim_reg_read(c, a, v); }
static int s_wr(void *c, uint32_t a, uint32_t v) { return bc_sim_reg_write(c, a, v); }
static int s_mrd(void *c, uint64_t a, void *d, size_t n) { return bc_sim_mem_read(c, a, d, n); }
static int s_mwr(void *c, uint64_t a, const void *s, size_t n) { return bc_sim_mem_write(c, a, s, n); }
static int s_irq(void *c, uint64_t t) { return bc_sim_run_until_irq(c, t); }
static uint64_t s_cyc(void *c) { return bc_sim_cycles(c); }

/* Row segments of one operand that straddle a page: rows of `bytes` bytes at
 * addr + r*ld. The engines must split each of these into two bursts. */
static unsigned straddles(uint32_t addr, uint32_t ld, unsigned rows, uint32_t bytes)
{
    unsigned n = 0;
    for (unsigned r = 0; r < rows; r++)
        n += ((addr + r * ld) % PAGE) + bytes > PAGE;
    return n;
}

typedef struct layout {
    unsigned m, n, k, wbits, abits;
    unsigned da, db, dc; /* beats between the first row's start and its page end */
} layout_t;

/* Stride of whole pages minus one beat, at least a row: row r of an operand whose
 * first row starts d beats before a page end starts d + r beats before one. */
static uint32_t page_stride(uint32_t row_bytes)
{
    return (row_bytes + 8 + PAGE - 1) / PAGE * PAGE - 8;
}

/* A job whose rows all start near a page end (see page_stride). */
static void job_make(const plat_bus_t *b, plat_job_t *j, const layout_t *l, uint32_t base, uint64_t *rng)
{
    memset(j, 0, sizeof *j);
    j->m = l->m;
    j->n = l->n;
    j->k = l->k;
    j->wbits = l->wbits;
    j->abits = l->abits;
    j->wsigned = plat_rand(rng) & 1;
    j->asigned = plat_rand(rng) & 1;
    unsigned kc = (l->k + 63) / 64;
    j->lda = page_stride(kc * l->wbits * 8);
    j->ldb = page_stride(kc * l->abits * 8);
    j->ldc = page_stride(4 * l->n);
    j->a_addr = base + PAGE - 8 * l->da;
    j->b_addr = base + SPAN + PAGE - 8 * l->db;
    j->c_addr = base + 2 * SPAN + PAGE - 8 * l->dc;
    j->a = calloc((size_t)j->m * j->k, sizeof(int32_t));
    j->bm = calloc((size_t)j->k * j->n, sizeof(int32_t));
    j->c_ref = calloc((size_t)j->m * j->n, sizeof(int32_t));
    uint32_t wmask = (1u << j->wbits) - 1, amask = (1u << j->abits) - 1;
    for (size_t i = 0; i < (size_t)j->m * j->k; i++)
        j->a[i] = (int32_t)(uint32_t)(plat_rand(rng) & wmask);
    for (size_t i = 0; i < (size_t)j->k * j->n; i++)
        j->bm[i] = (int32_t)(uint32_t)(plat_rand(rng) & amask);
    j->overflow = bc_golden_gemm(j->a, j->k, j->bm, j->n, j->c_ref, j->n, j->m, j->n, j->k, j->wbits,
                                 j->abits, j->wsigned, j->asigned);
    size_t a_words = (size_t)j->m * j->lda / 8, b_words = (size_t)j->n * j->ldb / 8;
    size_t c_bytes = (size_t)j->m * j->ldc;
    uint64_t *pa = calloc(a_words, 8), *pb = calloc(b_words, 8);
    uint8_t *junk = malloc(c_bytes);
    bc_golden_pack(j->a, j->k, 1, j->m, j->k, j->wbits, pa, j->lda / 8);
    bc_golden_pack(j->bm, 1, j->n, j->n, j->k, j->abits, pb, j->ldb / 8);
    memset(junk, 0xEE, c_bytes);
    CHECK(b->mem_wr(b->ctx, j->a_addr, pa, a_words * 8) == 0, "mem write A");
    CHECK(b->mem_wr(b->ctx, j->b_addr, pb, b_words * 8) == 0, "mem write B");
    CHECK(b->mem_wr(b->ctx, j->c_addr, junk, c_bytes) == 0, "mem write C");
    free(junk);
    free(pa);
    free(pb);
}

/* Straddling read rows and C tile-row segments of a job (8 columns per tile). */
static void count_straddles(const plat_job_t *j, unsigned *rd, unsigned *wr)
{
    unsigned kc = (j->k + 63) / 64;
    *rd += straddles(j->a_addr, j->lda, j->m, kc * j->wbits * 8);
    *rd += straddles(j->b_addr, j->ldb, j->n, kc * j->abits * 8);
    for (unsigned n0 = 0; n0 < j->n; n0 += BC_PARAM_DN) {
        unsigned cols = j->n - n0 < BC_PARAM_DN ? j->n - n0 : BC_PARAM_DN;
        *wr += straddles(j->c_addr + 4 * n0, j->ldc, j->m, ((4 * cols + 7) / 8) * 8);
    }
}

/* DMA_CFG may only change while idle: wait for STATUS.BUSY to drop, then set it. */
static void set_burst(const plat_bus_t *b, bc_sim_t *s, uint32_t burst)
{
    for (unsigned it = 0; it < 1000 && (plat_rd(b, BC_REG_STATUS) & BC_STATUS_BUSY_MASK); it++)
        bc_sim_run(s, 10);
    plat_wr(b, BC_REG_DMA_CFG, burst);
    CHECK(plat_rd(b, BC_REG_DMA_CFG) == (burst & 0x1F), "DMA_CFG read back 0x%x, wrote 0x%x",
          plat_rd(b, BC_REG_DMA_CFG), burst);
}

static bool run_job(const plat_bus_t *b, bc_sim_t *s, plat_job_t *j, uint32_t burst)
{
    set_burst(b, s, burst);
    plat_job_push(b, j);
    int rc = bc_sim_run_until_irq(s, 4000000);
    CHECK(rc == 0, "job %u (DMA_CFG %u): rc %d: %s", j->id, burst, rc, rc < 0 ? bc_sim_last_error(s) : "timeout");
    if (rc != 0)
        return false;
    uint32_t st = plat_rd(b, BC_REG_IRQ_STATUS);
    plat_wr(b, BC_REG_IRQ_STATUS, st);
    CHECK(st == BC_IRQ_STATUS_DONE_MASK, "job %u: IRQ_STATUS 0x%x, ERR_CODE %u", j->id, st,
          plat_rd(b, BC_REG_ERR_CODE));
    CHECK(plat_rd(b, BC_REG_LAST_JOB_ID) == j->id, "job %u: LAST_JOB_ID 0x%x", j->id,
          plat_rd(b, BC_REG_LAST_JOB_ID));
    unsigned bad = plat_job_check(b, j);
    CHECK(bad == 0, "job %u (%ux%ux%u w%u a%u, DMA_CFG %u): %u mismatches vs golden", j->id, j->m, j->n, j->k,
          j->wbits, j->abits, burst, bad);
    bool ovf = plat_rd(b, BC_REG_STATUS) & BC_STATUS_OVERFLOW_MASK;
    CHECK(ovf == j->overflow, "job %u: STATUS.OVERFLOW %d, golden %d", j->id, ovf, j->overflow);
    if (ovf)
        plat_wr(b, BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);
    return bad == 0;
}

/* DMA_CFG values: 0 (one beat), every limit 1..16, and values the engine clamps to 16. */
static const uint32_t bursts[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31};
enum { NBURSTS = sizeof bursts / sizeof bursts[0] };

static void run_set(double stall, unsigned lat, uint64_t seed, unsigned *rd, unsigned *wr)
{
    bc_sim_config_t cfg;
    bc_sim_config_default(&cfg);
    cfg.mem_bytes = 16u << 20;
    cfg.rd_latency = lat;
    cfg.wr_latency = lat;
    cfg.stall_prob = stall;
    cfg.seed = seed;
    char err[256];
    bc_sim_t *s = bc_sim_create(&cfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bc_sim_create: %s\n", err);
        exit(1);
    }
    plat_bus_t b = {s, "sim", s_rd, s_wr, s_mrd, s_mwr, s_irq, s_cyc};
    plat_wr(&b, BC_REG_IRQ_ENABLE, BC_IRQ_ENABLE_DONE_MASK | BC_IRQ_ENABLE_ERR_MASK);
    uint64_t rng = seed * 0x9E37 + 11;
    unsigned ok = 0, total = 0;
    for (unsigned i = 0; i < NBURSTS + 2; i++) {
        layout_t l;
        uint32_t burst;
        if (i < NBURSTS) {
            /* rows of 3*wbits and 3*abits words: 3..48 beats, shorter and longer than the limit */
            unsigned v = i % 16;
            l = (layout_t){10, 12, 150, 1 + v, 16 - v, 1 + v, 1 + (v * 5) % 16, 1 + i % 6};
            burst = bursts[i];
        } else {
            /* 512-word rows (4 KiB): every row crosses a page, many full bursts per row */
            l = (layout_t){9, 9, 2048, 16, 16, 1 + plat_urand(&rng, 0, 15), 1 + plat_urand(&rng, 0, 15), 3};
            burst = i == NBURSTS ? 16 : 7;
        }
        plat_job_t j;
        job_make(&b, &j, &l, 0x10000 + i * REGION, &rng);
        CHECK(j.c_addr + j.m * j.ldc <= cfg.mem_bytes, "job %u does not fit the memory", i);
        j.id = 0x4000 + i;
        count_straddles(&j, rd, wr);
        total++;
        ok += run_job(&b, s, &j, burst);
        plat_job_free(&j);
    }
    printf("  stall %.1f latency %u: %u of %u jobs bit-exact, %" PRIu64 " cycles, checker: %s\n", stall, lat, ok,
           total, bc_sim_cycles(s), *bc_sim_last_error(s) ? bc_sim_last_error(s) : "silent");
    CHECK(*bc_sim_last_error(s) == '\0', "AXI checker: %s", bc_sim_last_error(s));
    bc_sim_destroy(s);
}

int main(void)
{
    const char *e = getenv("SEED");
    uint64_t seed = e && *e ? strtoull(e, NULL, 10) : 1;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("4 KiB split tests, SEED=%" PRIu64 "\n", seed);
    plat_test = "split_4k";
    unsigned rd = 0, wr = 0;
    run_set(0.0, 5, seed, &rd, &wr);
    unsigned rd0 = rd, wr0 = wr;
    plat_test = "split_4k_stall";
    run_set(0.3, 30, seed + 1, &rd, &wr);
    printf("  row segments across a page: %u read, %u written (per set: %u, %u)\n", rd, wr, rd0, wr0);
    /* the layout itself must make the engines split: otherwise this test proves nothing */
    CHECK(rd0 >= 2 * NBURSTS && wr0 >= NBURSTS, "layout has only %u read / %u write page crossings", rd0, wr0);
    printf("split4k: %u passed, %u failed\n", plat_pass, plat_fail);
    return plat_fail ? 1 : 0;
}
