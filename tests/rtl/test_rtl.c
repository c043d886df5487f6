/* Array-core regression: RTL (Verilator model of bc_core_top) against the golden model.
 * Every job is checked bit-exact (all elements and the overflow flag), its cycles against
 * the analytical formula, and every batch's performance counters against independently
 * computed event counts. Usage: test_rtl [--seed N] [--fast] [--full | --reps N] [--trace F.fst]
 * [--selfcheck]. --selfcheck runs only signed random GEMMs (used with a deliberately
 * broken golden model, where it must fail). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtl_util.h"

#define MAX_BATCH 12

static unsigned g_pass, g_fail;
static uint64_t g_seed = 1;
static unsigned g_gemms, g_cycle_checks, g_counter_checks;
static uint64_t g_macs;
static bool g_pairs[17][17];
static bool g_signs[4];

#define CHECK(cond, ...)                                                                                     \
    do {                                                                                                     \
        if (cond) {                                                                                          \
            g_pass++;                                                                                        \
        } else {                                                                                             \
            g_fail++;                                                                                        \
            fprintf(stderr, "FAIL %s:%d seed=%" PRIu64 ": ", __FILE__, __LINE__, g_seed);                    \
            fprintf(stderr, __VA_ARGS__);                                                                    \
            fputc('\n', stderr);                                                                             \
        }                                                                                                    \
    } while (0)

/* ------------------------------------------------------------------ golden unit tests */
static void test_golden_units(void)
{
    /* Hand-computed values. */
    bool ovf = false;
    CHECK(bc_golden_value(0x8, 4, true) == -8, "4-bit 0x8 signed is -8");
    CHECK(bc_golden_value(0x8, 4, false) == 8, "4-bit 0x8 unsigned is 8");
    CHECK(bc_golden_value(0xfff7, 4, true) == 7, "only the low 4 bits count");
    CHECK(bc_golden_value(0x1, 1, true) == -1, "1-bit signed 1 is -1");
    CHECK(bc_golden_sat32(INT64_C(2147483648), &ovf) == INT32_MAX && ovf, "sat high");
    ovf = false;
    CHECK(bc_golden_sat32(INT64_C(-2147483649), &ovf) == INT32_MIN && ovf, "sat low");
    ovf = false;
    CHECK(bc_golden_sat32(INT64_C(-2147483648), &ovf) == INT32_MIN && !ovf, "INT32_MIN fits");
    CHECK(bc_golden_acc_wrap(INT64_C(1) << 47) == -(INT64_C(1) << 47), "48-bit wrap");

    int32_t a1[2] = {0x8, 0x8}, b1[2] = {0x7, 0x7}, c1[1];
    CHECK(!bc_golden_gemm(a1, 1, b1, 1, c1, 1, 1, 1, 1, 4, 3, true, false) && c1[0] == -56, "-8 * 7 = -56, got %d",
          c1[0]);
    /* 16-bit signed: (-32768)^2 = 2^30; two of them give 2^31, which saturates. */
    int32_t a2[2] = {0x8000, 0x8000}, b2[2] = {0x8000, 0x8000}, c2[1];
    CHECK(!bc_golden_gemm(a2, 1, b2, 1, c2, 1, 1, 1, 1, 16, 16, true, true) && c2[0] == (1 << 30), "2^30 fits");
    CHECK(bc_golden_gemm(a2, 2, b2, 1, c2, 1, 1, 1, 2, 16, 16, true, true) && c2[0] == INT32_MAX, "2^31 saturates");
    int32_t a3[1] = {0xffff}, b3[1] = {0xffff}, c3[1];
    CHECK(bc_golden_gemm(a3, 1, b3, 1, c3, 1, 1, 1, 1, 16, 16, false, false) && c3[0] == INT32_MAX,
          "65535^2 saturates");
    int32_t b4[1] = {0x7fff};
    CHECK(!bc_golden_gemm(a2, 1, b4, 1, c3, 1, 1, 1, 1, 16, 16, true, true) && c3[0] == -32768 * 32767,
          "most negative * most positive");

    /* Layout: element (0, 65) = 5 sets bit 1 of plane 0 and plane 2 of chunk 1. */
    int32_t x[70] = {0};
    x[65] = 5;
    uint64_t packed[2 * 3];
    bc_golden_pack(x, 70, 1, 1, 70, 3, packed, 6);
    CHECK(packed[3] == 2 && packed[4] == 0 && packed[5] == 2 && packed[0] == 0, "packed layout word(kc,plane)");
    /* B is packed from its transpose: column n of B is row n. */
    int32_t bm[3 * 2] = {1, 0, 0, 1, 1, 1}; /* K=3 x N=2 */
    uint64_t bp[2];
    bc_golden_pack(bm, 1, 2, 2, 3, 1, bp, 1);
    CHECK(bp[0] == 0x5 && bp[1] == 0x6, "B transpose packing: %llx %llx", (unsigned long long)bp[0],
          (unsigned long long)bp[1]);

    /* Random cross-checks: product-sum model vs plane-by-plane model, pack/unpack round trip. */
    rtl_rng_t rng;
    rtl_rng_seed(&rng, g_seed ^ 0x60dull);
    unsigned agree = 0, round = 0;
    enum { TRIALS = 200 };
    for (unsigned t = 0; t < TRIALS; t++) {
        unsigned m = rtl_rng_range(&rng, 1, 5), n = rtl_rng_range(&rng, 1, 5), k = rtl_rng_range(&rng, 1, 150);
        unsigned w = rtl_rng_range(&rng, 1, 16), ab = rtl_rng_range(&rng, 1, 16);
        bool ws = rtl_rng_next(&rng) & 1, as = rtl_rng_next(&rng) & 1;
        int32_t a[5 * 150], b[150 * 5], c1x[25], c2x[25], u[5 * 150];
        rtl_fill(&rng, a, m * k, w, (t & 1) ? RTL_FILL_EXTREME : RTL_FILL_RANDOM);
        rtl_fill(&rng, b, k * n, ab, RTL_FILL_RANDOM);
        bool o1 = bc_golden_gemm(a, k, b, n, c1x, n, m, n, k, w, ab, ws, as);
        bool o2 = bc_golden_gemm_bitplane(a, k, b, n, c2x, n, m, n, k, w, ab, ws, as);
        agree += (o1 == o2 && memcmp(c1x, c2x, sizeof(int32_t) * m * n) == 0);
        uint64_t p[5 * 3 * 16];
        bc_golden_pack(a, k, 1, m, k, w, p, 3 * 16);
        bc_golden_unpack(p, 3 * 16, m, k, w, ws, u, k);
        bool same = true;
        for (unsigned e = 0; e < m * k; e++)
            same &= (u[e] == (int32_t)bc_golden_value((uint32_t)a[e], w, ws));
        round += same;
    }
    CHECK(agree == TRIALS, "gemm vs bit-plane gemm agree %u/%u", agree, TRIALS);
    CHECK(round == TRIALS, "pack/unpack round trip %u/%u", round, TRIALS);

    /* Cycle formula against a direct walk of the sequencer's loop nest. */
    unsigned formula_ok = 0;
    for (unsigned t = 0; t < 100; t++) {
        unsigned m = rtl_rng_range(&rng, 1, 40), n = rtl_rng_range(&rng, 1, 40), k = rtl_rng_range(&rng, 1, 300);
        unsigned w = rtl_rng_range(&rng, 1, 16), ab = rtl_rng_range(&rng, 1, 16);
        uint64_t walk = 0;
        for (unsigned r0 = 0; r0 < m; r0 += 8)
            for (unsigned c0 = 0; c0 < n; c0 += 8)
                for (unsigned k0 = 0; k0 < k; k0 += 64)
                    walk += (uint64_t)w * ab;
        formula_ok += (bc_golden_core_cycles(m, n, k, w, ab, 8, 8, 64) ==
                       walk + BC_GOLDEN_CORE_FILL + BC_GOLDEN_CORE_DRAIN);
    }
    CHECK(formula_ok == 100, "cycle formula vs loop-nest walk %u/100", formula_ok);
}

/* ------------------------------------------------------------------ RTL batches */
typedef struct batch {
    rtl_gemm_t g[MAX_BATCH];
    unsigned n, a_used, b_used, tiles;
} batch_t;

typedef struct rtl_ctx {
    bc_core_sim_t *sim;
    bc_core_geom_t geo;
    rtl_rng_t rng;
    batch_t batch;
    bool have_prec;
    unsigned prec_w, prec_a;
    bool prec_ws, prec_as;
    uint64_t words_loaded;
} rtl_ctx_t;

static int count_word(void *ctx, bool is_a, unsigned bank, unsigned addr, uint64_t word)
{
    (void)is_a, (void)bank, (void)addr, (void)word;
    ((rtl_ctx_t *)ctx)->words_loaded++;
    return 0;
}

static bool ctx_open(rtl_ctx_t *c, const char *trace, uint64_t salt)
{
    memset(c, 0, sizeof *c);
    char err[256];
    c->sim = bc_core_sim_create(trace, err, sizeof err);
    if (!c->sim) {
        CHECK(false, "cannot create simulator: %s", err);
        return false;
    }
    bc_core_sim_geometry(c->sim, &c->geo);
    rtl_rng_seed(&c->rng, g_seed ^ salt);
    return true;
}

/* Independent event counts of a job, from its shape and the tile loop nest. */
typedef struct expect {
    uint64_t passes, dpu, ard, brd, tiles;
} expect_t;

static void expect_job(const bc_core_geom_t *geo, const bc_core_job_t *j, expect_t *e)
{
    unsigned kc = bc_golden_kchunks(j->k);
    for (unsigned r0 = 0; r0 < j->m; r0 += geo->dm) {
        unsigned rows = (j->m - r0 < geo->dm) ? j->m - r0 : geo->dm;
        for (unsigned c0 = 0; c0 < j->n; c0 += geo->dn) {
            unsigned cols = (j->n - c0 < geo->dn) ? j->n - c0 : geo->dn;
            uint64_t p = (uint64_t)kc * j->wbits * j->abits;
            e->passes += p;
            e->dpu += p * rows * cols;
            e->ard += (uint64_t)kc * j->wbits * rows;
            e->brd += p * cols;
            e->tiles++;
        }
    }
}

static void flush(rtl_ctx_t *c, const char *what)
{
    batch_t *b = &c->batch;
    if (b->n == 0)
        return;
    bc_core_counters_t before, after;
    bc_core_sim_counters(c->sim, &before);
    uint64_t words_before = c->words_loaded;
    for (unsigned i = 0; i < b->n; i++) {
        if (rtl_load(c->sim, &c->geo, &b->g[i], &c->rng, count_word, c)) {
            CHECK(false, "%s: load failed: %s", what, bc_core_sim_last_error(c->sim));
            return;
        }
    }
    uint64_t words = c->words_loaded - words_before;
    unsigned switches = 0;
    expect_t ex = {0};
    for (unsigned i = 0; i < b->n; i++) {
        const bc_core_job_t *j = &b->g[i].job;
        b->g[i].idx = bc_core_sim_push_job(c->sim, j);
        CHECK(b->g[i].idx >= 0, "%s: push_job: %s", what, bc_core_sim_last_error(c->sim));
        if (b->g[i].idx < 0)
            return;
        if (c->have_prec && (j->wbits != c->prec_w || j->abits != c->prec_a || j->wsigned != c->prec_ws ||
                             j->asigned != c->prec_as))
            switches++;
        c->have_prec = true;
        c->prec_w = j->wbits, c->prec_a = j->abits, c->prec_ws = j->wsigned, c->prec_as = j->asigned;
        expect_job(&c->geo, j, &ex);
    }
    int rc = bc_core_sim_run(c->sim, 10000000);
    CHECK(rc == 0, "%s: run: %s", what, bc_core_sim_last_error(c->sim));
    bc_core_sim_counters(c->sim, &after);

    bc_core_job_rec_t first, prev, rec;
    memset(&first, 0, sizeof first);
    memset(&prev, 0, sizeof prev);
    memset(&rec, 0, sizeof rec);
    uint64_t total_passes = 0;
    for (unsigned i = 0; i < b->n; i++) {
        rtl_gemm_t *g = &b->g[i];
        const bc_core_job_t *j = &g->job;
        bool exact = rtl_check(c->sim, g, g_seed, what);
        CHECK(exact, "%s: job %u bit-exact", what, i);
        g_gemms++;
        g_macs += (uint64_t)j->m * j->n * j->k;
        g_pairs[j->wbits][j->abits] = true;
        g_signs[j->wsigned * 2 + j->asigned] = true;
        bc_core_sim_job(c->sim, (unsigned)g->idx, &rec);
        uint64_t passes = rtl_passes(&c->geo, j);
        total_passes += passes;
        CHECK(rec.last_pass_cycle - rec.first_pass_cycle + 1 == passes, "%s: job %u passes %" PRIu64 " != %" PRIu64,
              what, i, rec.last_pass_cycle - rec.first_pass_cycle + 1, passes);
        if (i == 0) {
            uint64_t cyc = rec.done_cycle - rec.accept_cycle + 1;
            uint64_t want = bc_golden_core_cycles(j->m, j->n, j->k, j->wbits, j->abits, c->geo.dm, c->geo.dn,
                                                  c->geo.dk);
            CHECK(cyc == want, "%s: job cycles %" PRIu64 " != formula %" PRIu64, what, cyc, want);
            first = rec;
        } else {
            CHECK(rec.first_pass_cycle == prev.last_pass_cycle + 1,
                  "%s: job %u first pass at %" PRIu64 ", previous job's last pass at %" PRIu64 " (idle gap)", what, i,
                  rec.first_pass_cycle, prev.last_pass_cycle);
        }
        g_cycle_checks++;
        prev = rec;
    }
    uint64_t span = prev.done_cycle - first.accept_cycle + 1;
    CHECK(span == BC_GOLDEN_CORE_FILL + total_passes + BC_GOLDEN_CORE_DRAIN,
          "%s: batch of %u jobs took %" PRIu64 " cycles, formula %" PRIu64, what, b->n, span,
          BC_GOLDEN_CORE_FILL + total_passes + BC_GOLDEN_CORE_DRAIN);
    /* Counters against the independently computed events. */
    CHECK(after.compute - before.compute == ex.passes, "%s: compute counter", what);
    CHECK(after.passes - before.passes == ex.passes, "%s: passes counter", what);
    CHECK(after.dpu_active - before.dpu_active == ex.dpu, "%s: dpu_active counter %" PRIu64 " != %" PRIu64, what,
          after.dpu_active - before.dpu_active, ex.dpu);
    CHECK(after.abuf_rd - before.abuf_rd == ex.ard, "%s: abuf_rd counter", what);
    CHECK(after.bbuf_rd - before.bbuf_rd == ex.brd, "%s: bbuf_rd counter", what);
    CHECK((after.abuf_wr - before.abuf_wr) + (after.bbuf_wr - before.bbuf_wr) == words, "%s: buffer write counters",
          what);
    CHECK(after.tiles - before.tiles == ex.tiles, "%s: tiles counter", what);
    CHECK(after.jobs - before.jobs == b->n, "%s: jobs counter", what);
    CHECK(after.switches - before.switches == switches, "%s: switches counter %" PRIu64 " != %u", what,
          after.switches - before.switches, switches);
    CHECK(after.stall - before.stall == 0, "%s: no stall with an always-ready consumer", what);
    CHECK(after.busy - before.busy == span - 2, "%s: busy counter %" PRIu64 " != span-2 %" PRIu64, what,
          after.busy - before.busy, span - 2);
    g_counter_checks++;
    for (unsigned i = 0; i < b->n; i++)
        rtl_gemm_free(&b->g[i]);
    b->n = b->a_used = b->b_used = b->tiles = 0;
}

/* Add a job (operands generated by fill modes) to the batch, flushing first if it is full. */
static void add_job(rtl_ctx_t *c, bc_core_job_t j, rtl_fill_t fa, rtl_fill_t fb, const char *what)
{
    batch_t *b = &c->batch;
    unsigned aw = rtl_a_words(&c->geo, &j), bw = rtl_b_words(&c->geo, &j);
    unsigned tiles = ((j.m + c->geo.dm - 1) / c->geo.dm) * ((j.n + c->geo.dn - 1) / c->geo.dn);
    if (b->n == MAX_BATCH || b->a_used + aw > c->geo.abuf_words || b->b_used + bw > c->geo.bbuf_words ||
        b->tiles + tiles > c->geo.res_tiles)
        flush(c, what);
    j.a_off = b->a_used;
    j.b_off = b->b_used;
    rtl_gemm_t *g = &b->g[b->n];
    if (!rtl_gemm_alloc(g, &j)) {
        CHECK(false, "out of memory");
        return;
    }
    rtl_fill(&c->rng, g->a, j.m * j.k, j.wbits, fa);
    rtl_fill(&c->rng, g->b, j.k * j.n, j.abits, fb);
    b->n++;
    b->a_used += aw;
    b->b_used += bw;
    b->tiles += tiles;
}

static bc_core_job_t job_of(unsigned m, unsigned n, unsigned k, unsigned w, unsigned a, bool ws, bool as)
{
    bc_core_job_t j = {m, n, k, w, a, ws, as, 0, 0};
    return j;
}

/* Every (wbits, abits) pair with every signedness combination (or one random combination
 * per pair with --fast), random ragged shapes. */
static void test_all_pairs(rtl_ctx_t *c, unsigned reps, bool fast, bool signed_only)
{
    for (unsigned rep = 0; rep < reps; rep++)
        for (unsigned w = 1; w <= 16; w++)
            for (unsigned a = 1; a <= 16; a++)
                for (unsigned s = 0; s < 4; s++) {
                    unsigned combo = fast ? (unsigned)(rtl_rng_next(&c->rng) % 4u) : s;
                    if (fast && s > 0)
                        break;
                    if (signed_only && combo != 3)
                        continue;
                    unsigned maxd = rep ? 40 : 20, maxk = rep ? 400 : 160;
                    bc_core_job_t j = job_of(rtl_rng_range(&c->rng, 1, maxd), rtl_rng_range(&c->rng, 1, maxd),
                                             rtl_rng_range(&c->rng, 1, maxk), w, a, combo & 2, combo & 1);
                    add_job(c, j, RTL_FILL_RANDOM, RTL_FILL_RANDOM, "all-pairs");
                }
    flush(c, "all-pairs");
}

/* Shapes at and around the array and chunk boundaries, including M, N or K = 1. */
static void test_ragged(rtl_ctx_t *c)
{
    static const unsigned shapes[][3] = {
        {1, 1, 1},   {1, 1, 64},  {1, 1, 65},  {8, 8, 64},  {9, 9, 65},    {7, 1, 127}, {1, 7, 129},
        {17, 3, 1},  {3, 17, 2},  {16, 16, 63}, {15, 9, 128}, {1, 33, 200}, {33, 1, 191}, {5, 5, 2048},
        {8, 1, 1},   {1, 8, 1},   {24, 24, 96},
    };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        unsigned w = rtl_rng_range(&c->rng, 1, 16), a = rtl_rng_range(&c->rng, 1, 16);
        if (shapes[s][2] > 1024)
            w = a = 16; /* the deepest K at the widest precision */
        bc_core_job_t j = job_of(shapes[s][0], shapes[s][1], shapes[s][2], w, a, rtl_rng_next(&c->rng) & 1,
                                 rtl_rng_next(&c->rng) & 1);
        add_job(c, j, RTL_FILL_RANDOM, RTL_FILL_RANDOM, "ragged");
        flush(c, "ragged"); /* each alone: every job's cycles are checked in isolation */
    }
}

/* Most negative, all ones, most positive; K = 2048 at 16 bits drives the int32 saturation. */
static void test_extremes(rtl_ctx_t *c)
{
    static const unsigned bits[] = {1, 2, 8, 15, 16};
    static const rtl_fill_t modes[] = {RTL_FILL_MOST_NEG, RTL_FILL_ALL_ONES, RTL_FILL_EXTREME};
    for (size_t bi = 0; bi < 5; bi++)
        for (unsigned s = 0; s < 4; s++)
            for (size_t mi = 0; mi < 3; mi++)
                for (size_t mj = 0; mj < 3; mj++) {
                    bc_core_job_t j = job_of(rtl_rng_range(&c->rng, 1, 12), rtl_rng_range(&c->rng, 1, 12),
                                             rtl_rng_range(&c->rng, 1, 130), bits[bi], bits[4 - bi], s & 2, s & 1);
                    add_job(c, j, modes[mi], modes[mj], "extremes");
                }
    flush(c, "extremes");
    /* Saturation: 16-bit operands over K = 2048 exceed int32 in both directions. */
    unsigned ovf_jobs = 0;
    for (unsigned s = 0; s < 4; s++)
        for (size_t mi = 0; mi < 3; mi++) {
            bc_core_job_t j = job_of(9, 9, 2048, 16, 16, s & 2, s & 1);
            add_job(c, j, modes[mi], modes[(mi + s) % 3], "saturation");
            rtl_gemm_t *g = &c->batch.g[c->batch.n - 1];
            int32_t *tmp = malloc(sizeof(int32_t) * 81);
            if (tmp) {
                ovf_jobs += bc_golden_gemm(g->a, 2048, g->b, 9, tmp, 9, 9, 9, 2048, 16, 16, s & 2, s & 1);
                free(tmp);
            }
            flush(c, "saturation");
        }
    CHECK(ovf_jobs >= 6, "saturation set exercised overflow in %u of 12 jobs", ovf_jobs);
}

/* Back-to-back jobs that switch precision every job: no idle cycle between them. */
static void test_switching(const char *trace)
{
    rtl_ctx_t c;
    if (!ctx_open(&c, trace, 0x5717c4))
        return;
    static const unsigned prec[][4] = {
        {8, 8, 1, 1}, {4, 4, 1, 1}, {2, 2, 1, 0}, {16, 1, 0, 1}, {1, 16, 0, 0}, {3, 5, 1, 1},
        {8, 8, 1, 1}, {8, 8, 0, 0}, {1, 1, 1, 1}, {16, 16, 1, 1}, {6, 2, 0, 1}, {2, 7, 1, 0},
    };
    for (unsigned rep = 0; rep < 2; rep++) {
        for (size_t p = 0; p < sizeof prec / sizeof prec[0]; p++) {
            unsigned m = rep ? rtl_rng_range(&c.rng, 1, 24) : 8, n = rep ? rtl_rng_range(&c.rng, 1, 24) : 8;
            unsigned k = rep ? rtl_rng_range(&c.rng, 1, 100) : 64;
            add_job(&c, job_of(m, n, k, prec[p][0], prec[p][1], prec[p][2], prec[p][3]), RTL_FILL_RANDOM,
                    RTL_FILL_RANDOM, "switching");
        }
        flush(&c, "switching");
    }
    CHECK(bc_core_sim_max_pass_gap(c.sim) > 0, "the switching test saw idle time between its batches");
    /* A job of single-pass tiles (K <= 64 at 1/1): results every cycle, still no stall. */
    add_job(&c, job_of(40, 40, 10, 1, 1, false, false), RTL_FILL_RANDOM, RTL_FILL_RANDOM, "one-pass tiles");
    add_job(&c, job_of(8, 8, 1, 2, 1, true, false), RTL_FILL_RANDOM, RTL_FILL_RANDOM, "one-pass tiles");
    flush(&c, "one-pass tiles");
    bc_core_sim_destroy(c.sim);
}

/* A slow result consumer: results stay exact, stalls are counted and explain the delay. */
static void test_backpressure(void)
{
    rtl_ctx_t c;
    if (!ctx_open(&c, NULL, 0xbac4))
        return;
    const unsigned period = 7, len = 5;
    bc_core_sim_set_stall(c.sim, period, len);
    bc_core_job_t jobs[2] = {job_of(24, 32, 5, 1, 2, true, false), job_of(16, 16, 64, 1, 1, true, true)};
    for (unsigned t = 0; t < 2; t++) {
        rtl_gemm_t g;
        jobs[t].a_off = jobs[t].b_off = 0;
        if (!rtl_gemm_alloc(&g, &jobs[t]))
            return;
        rtl_fill(&c.rng, g.a, jobs[t].m * jobs[t].k, jobs[t].wbits, RTL_FILL_RANDOM);
        rtl_fill(&c.rng, g.b, jobs[t].k * jobs[t].n, jobs[t].abits, RTL_FILL_RANDOM);
        rtl_load(c.sim, &c.geo, &g, &c.rng, NULL, NULL);
        bc_core_counters_t before, after;
        bc_core_sim_counters(c.sim, &before);
        g.idx = bc_core_sim_push_job(c.sim, &jobs[t]);
        CHECK(bc_core_sim_run(c.sim, 1000000) == 0, "backpressure run: %s", bc_core_sim_last_error(c.sim));
        bc_core_sim_counters(c.sim, &after);
        CHECK(rtl_check(c.sim, &g, g_seed, "backpressure"), "backpressure: bit-exact");
        bc_core_job_rec_t rec;
        bc_core_sim_job(c.sim, (unsigned)g.idx, &rec);
        uint64_t cyc = rec.done_cycle - rec.accept_cycle + 1;
        uint64_t ideal = bc_golden_core_cycles(jobs[t].m, jobs[t].n, jobs[t].k, jobs[t].wbits, jobs[t].abits,
                                               c.geo.dm, c.geo.dn, c.geo.dk);
        uint64_t stall = after.stall - before.stall;
        CHECK(stall > 0, "backpressure: stall cycles counted (%" PRIu64 ")", stall);
        /* Every stall cycle freezes the pipeline; the last tile may wait up to `len` more. */
        CHECK(cyc >= ideal + stall && cyc <= ideal + stall + len,
              "backpressure: cycles %" PRIu64 " not in ideal %" PRIu64 " + stall %" PRIu64 " + [0,%u]", cyc, ideal,
              stall, len);
        CHECK(after.compute - before.compute == rtl_passes(&c.geo, &jobs[t]), "backpressure: compute counter");
        g_gemms++;
        g_macs += (uint64_t)jobs[t].m * jobs[t].n * jobs[t].k;
        rtl_gemm_free(&g);
    }
    bc_core_sim_destroy(c.sim);
}

/* Invalid jobs are refused by the harness with an error naming the field. */
static void test_bad_jobs(void)
{
    rtl_ctx_t c;
    if (!ctx_open(&c, NULL, 0xbad))
        return;
    static const struct {
        bc_core_job_t job;
        const char *field;
    } bad[] = {
        {{0, 8, 8, 8, 8, false, false, 0, 0}, "job.m"},
        {{8, 4097, 8, 8, 8, false, false, 0, 0}, "job.n"},
        {{8, 8, 0, 8, 8, false, false, 0, 0}, "job.k"},
        {{8, 8, 2049, 8, 8, false, false, 0, 0}, "job.k"},
        {{8, 8, 8, 17, 8, false, false, 0, 0}, "job.wbits"},
        {{8, 8, 8, 8, 0, false, false, 0, 0}, "job.abits"},
        {{8, 8, 64, 8, 8, false, false, 1020, 0}, "job.a_off"},
        {{8, 8, 64, 8, 8, false, false, 0, 2047}, "job.b_off"},
        {{200, 200, 8, 1, 1, false, false, 0, 0}, "result tiles"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int idx = bc_core_sim_push_job(c.sim, &bad[i].job);
        const char *msg = bc_core_sim_last_error(c.sim);
        CHECK(idx < 0 && strstr(msg, bad[i].field) != NULL, "bad job %zu: expected an error naming %s, got %d '%s'",
              i, bad[i].field, idx, msg);
    }
    CHECK(bc_core_sim_write_a(c.sim, c.geo.dm, 0, 0) < 0, "A write to a bank beyond DM is refused");
    CHECK(bc_core_sim_write_b(c.sim, 0, c.geo.bbuf_words, 0) < 0, "B write beyond the bank is refused");
    CHECK(bc_core_sim_run(c.sim, 100) == 0, "nothing queued after refused jobs");
    bc_core_sim_destroy(c.sim);
}

static void usage(void)
{
    fprintf(stderr, "usage: test_rtl [--seed N] [--fast] [--full | --reps N] [--trace FILE.fst] [--selfcheck]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    bool fast = false, selfcheck = false;
    unsigned reps = 1;
    const char *trace = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            char *end;
            g_seed = strtoull(argv[++i], &end, 10);
            if (*end || argv[i][0] == '\0' || argv[i][0] == '-') {
                fprintf(stderr, "test_rtl: --seed: '%s' is not a decimal number\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--fast")) {
            fast = true;
        } else if (!strcmp(argv[i], "--full")) {
            reps = 8;
        } else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
            reps = (unsigned)atoi(argv[++i]);
            if (reps < 1 || reps > 1000) {
                fprintf(stderr, "test_rtl: --reps: '%s' is not in 1..1000\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--selfcheck")) {
            selfcheck = true;
        } else if (!strcmp(argv[i], "--trace") && i + 1 < argc) {
            trace = argv[++i];
        } else {
            usage();
        }
    }
    printf("test-rtl: seed %" PRIu64 " (replay: make test-rtl SEED=%" PRIu64 ")\n", g_seed, g_seed);
    rtl_ctx_t c;
    if (selfcheck) {
        if (ctx_open(&c, NULL, 0x5e1f)) {
            test_all_pairs(&c, 1, false, true);
            bc_core_sim_destroy(c.sim);
        }
    } else {
        test_golden_units();
        if (ctx_open(&c, NULL, 0xa11)) {
            test_all_pairs(&c, reps, fast, false);
            test_ragged(&c);
            test_extremes(&c);
            bc_core_sim_destroy(c.sim);
        }
        test_switching(trace);
        test_backpressure();
        test_bad_jobs();
        if (trace)
            printf("test-rtl: FST trace of the switching test: %s\n", trace);
    }
    unsigned npairs = 0, nsigns = 0;
    for (unsigned w = 1; w <= 16; w++)
        for (unsigned a = 1; a <= 16; a++)
            npairs += g_pairs[w][a];
    for (unsigned s = 0; s < 4; s++)
        nsigns += g_signs[s];
    printf("test-rtl: checked %u GEMMs bit-exact, %u precision pairs x %u signedness combos, %" PRIu64
           " MACs, %u jobs' cycles == formula, %u batches' counters\n",
           g_gemms, npairs, nsigns, g_macs, g_cycle_checks, g_counter_checks);
    printf("test-rtl: %u passed, %u failed\n", g_pass, g_fail);
    return g_fail ? 1 : 0;
}
