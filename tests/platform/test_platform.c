/* Platform tests on the C-ABI harness (sim/lib): registers, GEMMs bit-exact
 * against the golden model under memory latency and back-pressure, queued
 * mixed-precision jobs without idle cycles, every error path, counters against
 * the timing model, and the AXI protocol checker. SEED=N replays a run. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bc_golden.h"
#include "bc_regs.h"
#include "bc_sim.h"
#include "bc_timing.h"
#include "plat.h"
#include "test_env.h"


static uint64_t g_seed = 1;
static unsigned g_bus_bytes = 8; /* AXI data width of the linked model, in bytes */
static bool g_fast;
static bool g_trace;

static bc_sim_t *make_sim(unsigned rd_lat, unsigned wr_lat, unsigned bpc, double stall, uint64_t seed,
                          plat_bus_t *bus, const char *trace)
{
    bc_sim_config_t cfg;
    bc_sim_config_default(&cfg);
    cfg.mem_bytes = 16u << 20;
    cfg.rd_latency = rd_lat;
    cfg.wr_latency = wr_lat;
    /* bpc is given as on a 64-bit bus (8 = one beat per cycle) and scales with the width */
    cfg.bytes_per_cycle = bpc >= 8 ? 0 : bpc * g_bus_bytes / 8;
    cfg.stall_prob = stall;
    cfg.seed = seed;
    char path[256];
    if (g_trace && trace) {
        snprintf(path, sizeof path, "build/platform/%s.fst", trace);
        cfg.trace_path = path;
    }
    char err[256];
    bc_sim_t *s = bc_sim_create(&cfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bc_sim_create: %s\n", err);
        exit(1);
    }
    *bus = plat_bus_sim(s);
    return s;
}

/* Wait for the DONE interrupt of n jobs (or an error), clearing IRQ_STATUS each time. */
static int wait_jobs(const plat_bus_t *b, bc_sim_t *s, unsigned n_done, uint64_t timeout)
{
    unsigned seen = 0;
    while (seen < n_done) {
        int rc = bc_sim_run_until_irq(s, timeout);
        if (rc != 0) {
            fprintf(stderr, "  wait_jobs: rc %d after %u of %u jobs: %s\n", rc, seen, n_done,
                    bc_sim_last_error(s));
            return rc;
        }
        uint32_t st = plat_rd(b, BC_REG_IRQ_STATUS);
        plat_wr(b, BC_REG_IRQ_STATUS, st);
        if (st & BC_IRQ_STATUS_ERR_MASK)
            return 2;
        uint32_t last = plat_rd(b, BC_REG_LAST_JOB_ID);
        (void)last;
        seen = (unsigned)plat_rd64(b, BC_REG_CNT_JOBS_LO);
    }
    return 0;
}

static void test_registers(void)
{
    plat_bus_t b;
    bc_sim_t *s = make_sim(20, 20, 8, 0.0, g_seed, &b, NULL);
    uint64_t d = plat_register_suite(&b);
    printf("  register suite digest (sim): %016" PRIx64 "\n", d);
    bc_sim_destroy(s);
}

static void test_gemm_random(unsigned count)
{
    plat_test = "gemm_random";
    uint64_t rng = g_seed * 7919 + 1;
    for (unsigned t = 0; t < count; t++) {
        plat_bus_t b;
        unsigned lat = plat_urand(&rng, 1, 60);
        double stall = (t % 3 == 0) ? 0.0 : 0.3;
        unsigned bpc = (t % 4 == 3) ? 4 : 8;
        bc_sim_t *s = make_sim(lat, plat_urand(&rng, 1, 40), bpc, stall, rng, &b, NULL);
        plat_wr(&b, BC_REG_IRQ_ENABLE, 3);
        plat_wr(&b, BC_REG_DMA_CFG, plat_urand(&rng, 1, 16));
        uint32_t next = 0x1000;
        plat_job_t j;
        unsigned m = plat_urand(&rng, 1, 20), n = plat_urand(&rng, 1, 20), k = plat_urand(&rng, 1, 200);
        unsigned wb = plat_urand(&rng, 1, 16), ab = plat_urand(&rng, 1, 16);
        if (t < 3) {
            wb = 1 + t * 7;
            ab = 16 - t * 7;
        }
        plat_job_make(&b, &j, m, n, k, wb, ab, plat_rand(&rng) & 1, plat_rand(&rng) & 1, &next,
                      plat_urand(&rng, 0, 2), &rng);
        j.id = 100 + t;
        plat_job_push(&b, &j);
        int rc = wait_jobs(&b, s, 1, 2000000);
        CHECK(rc == 0, "job %u (%ux%ux%u w%u a%u lat %u stall %.1f) did not finish: rc %d ERR_CODE %u", t, m,
              n, k, wb, ab, lat, stall, rc, plat_rd(&b, BC_REG_ERR_CODE));
        if (getenv("VERBOSE"))
            printf("  job %u: %ux%ux%u w%u a%u lat %u stall %.1f bpc %u: %" PRIu64 " cycles\n", t, m, n, k,
                   wb, ab, lat, stall, bpc, bc_sim_cycles(s));
        unsigned bad = plat_job_check(&b, &j);
        CHECK(bad == 0, "job %u: %u mismatches vs golden", t, bad);
        CHECK(plat_rd(&b, BC_REG_LAST_JOB_ID) == j.id, "LAST_JOB_ID");
        uint32_t st = plat_rd(&b, BC_REG_STATUS);
        CHECK(!!(st & BC_STATUS_OVERFLOW_MASK) == j.overflow, "STATUS.OVERFLOW %u, golden %u",
              !!(st & BC_STATUS_OVERFLOW_MASK), j.overflow);
        plat_job_free(&j);
        bc_sim_destroy(s);
    }
}


static uint64_t ideal_passes(const plat_job_t *j)
{
    return bc_golden_core_passes(j->m, j->n, j->k, j->wbits, j->abits, BC_PARAM_DM, BC_PARAM_DN, 64);
}

/* Back-to-back jobs at different precisions: bit-exact and no idle array cycle. */
static void test_queue_mixed(void)
{
    plat_test = "queue_mixed";
    plat_bus_t b;
    bc_sim_t *s = make_sim(20, 20, 8, 0.0, g_seed, &b, "queue_mixed");
    uint64_t rng = g_seed * 31 + 7;
    static const unsigned prec[][4] = {{8, 8, 1, 1}, {6, 6, 0, 1}, {16, 2, 1, 0}, {8, 5, 1, 1}, {12, 3, 0, 0}, {5, 5, 1, 1}};
    enum { NJ = 6 };
    plat_job_t j[NJ];
    uint32_t next = 0x1000;
    uint64_t ideal = 0;
    for (unsigned i = 0; i < NJ; i++) {
        plat_job_make(&b, &j[i], 32, 64, 512, prec[i][0], prec[i][1], prec[i][2], prec[i][3], &next, 0, &rng);
        j[i].id = 0x5000 + i;
        ideal += ideal_passes(&j[i]);
    }
    plat_wr(&b, BC_REG_IRQ_ENABLE, BC_IRQ_ENABLE_ERR_MASK);
    /* queue them all, waiting for room as firmware would */
    for (unsigned i = 0; i < NJ; i++) {
        while (plat_rd(&b, BC_REG_STATUS) & BC_STATUS_QUEUE_FULL_MASK)
            bc_sim_run(s, 50);
        plat_job_push(&b, &j[i]);
    }
    CHECK(plat_rd(&b, BC_REG_ERR_CODE) == BC_ERR_NONE, "ERR_CODE %u after queueing", plat_rd(&b, BC_REG_ERR_CODE));
    for (unsigned it = 0; it < 400 && plat_rd64(&b, BC_REG_CNT_JOBS_LO) < NJ; it++)
        if (bc_sim_run(s, 2000) != 0)
            break;
    CHECK(plat_rd64(&b, BC_REG_CNT_JOBS_LO) == NJ, "only %" PRIu64 " of %d jobs done: %s",
          plat_rd64(&b, BC_REG_CNT_JOBS_LO), NJ, bc_sim_last_error(s));
    for (unsigned i = 0; i < NJ; i++) {
        unsigned bad = plat_job_check(&b, &j[i]);
        CHECK(bad == 0, "job %u: %u mismatches", i, bad);
    }
    CHECK(bc_sim_job_gaps(s) == 0, "%" PRIu64 " idle array cycles between jobs", bc_sim_job_gaps(s));
    /* after the first job's first block (its B panel streams in) the array never idles */
    CHECK(bc_sim_compute_gaps(s) < 400, "%" PRIu64 " idle array cycles after the first pass", bc_sim_compute_gaps(s));
    CHECK(bc_sim_precision_switches(s) == NJ - 1, "%" PRIu64 " switches seen", bc_sim_precision_switches(s));
    CHECK(plat_rd64(&b, BC_REG_CNT_SWITCHES_LO) == NJ - 1, "CNT_SWITCHES %" PRIu64,
          plat_rd64(&b, BC_REG_CNT_SWITCHES_LO));
    CHECK(plat_rd64(&b, BC_REG_CNT_COMPUTE_LO) == ideal, "CNT_COMPUTE %" PRIu64 " != ideal %" PRIu64,
          plat_rd64(&b, BC_REG_CNT_COMPUTE_LO), ideal);
    CHECK(plat_rd(&b, BC_REG_LAST_JOB_ID) == 0x5000 + NJ - 1, "LAST_JOB_ID");
    printf("  queue_mixed: %d jobs, %" PRIu64 " pass cycles, busy %" PRIu64 " cycles, idle between jobs %" PRIu64
           ", idle after the first pass %" PRIu64 "\n",
           NJ, ideal, plat_rd64(&b, BC_REG_CNT_BUSY_LO), bc_sim_job_gaps(s), bc_sim_compute_gaps(s));
    for (unsigned i = 0; i < NJ; i++)
        plat_job_free(&j[i]);
    bc_sim_destroy(s);
}

/* Queue n jobs back to back (waiting only for queue room, as firmware would) and
 * check every result bit-exact against the golden model. Returns mismatching jobs. */
static unsigned run_queued(const plat_bus_t *b, bc_sim_t *s, plat_job_t *j, unsigned n, const char *what)
{
    plat_wr(b, BC_REG_IRQ_ENABLE, BC_IRQ_ENABLE_ERR_MASK);
    uint64_t jobs0 = plat_rd64(b, BC_REG_CNT_JOBS_LO);
    for (unsigned i = 0; i < n; i++) {
        for (unsigned it = 0; it < 100000 && (plat_rd(b, BC_REG_STATUS) & BC_STATUS_QUEUE_FULL_MASK); it++)
            bc_sim_run(s, 5);
        plat_job_push(b, &j[i]);
    }
    for (unsigned it = 0; it < 20000 && plat_rd64(b, BC_REG_CNT_JOBS_LO) < jobs0 + n; it++)
        if (bc_sim_run(s, 100) != 0)
            break;
    CHECK(plat_rd64(b, BC_REG_CNT_JOBS_LO) == jobs0 + n, "%s: only %" PRIu64 " of %u jobs done: %s", what,
          plat_rd64(b, BC_REG_CNT_JOBS_LO) - jobs0, n, bc_sim_last_error(s));
    CHECK(plat_rd(b, BC_REG_ERR_CODE) == BC_ERR_NONE, "%s: ERR_CODE %u", what, plat_rd(b, BC_REG_ERR_CODE));
    unsigned bad_jobs = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned bad = plat_job_check(b, &j[i]);
        CHECK(bad == 0, "%s: job %u (%ux%ux%u w%u%s a%u%s) %u mismatches vs golden", what, i, j[i].m, j[i].n,
              j[i].k, j[i].wbits, j[i].wsigned ? "s" : "u", j[i].abits, j[i].asigned ? "s" : "u", bad);
        bad_jobs += bad != 0;
    }
    return bad_jobs;
}

/* Every precision pair 1..16 x 1..16 and every signedness combination, queued,
 * bit-exact against the golden model; random stride padding puts rows at every
 * offset within a beat. (These jobs are too short to hide the next job's loads, so
 * the idle cycles between them are reported, not asserted: queue_mixed asserts 0.) */
static void test_all_pairs(void)
{
    plat_test = "all_pairs";
    uint64_t rng = g_seed * 131 + 7;
    enum { PER_SIM = 64 };
    unsigned total = 0, bad = 0;
    uint64_t job_gaps = 0;
    plat_job_t j[PER_SIM];
    for (unsigned base = 0; base < 1024; base += PER_SIM) {
        plat_bus_t b;
        bc_sim_t *s = make_sim(20, 20, 8, 0.0, g_seed + base, &b, NULL);
        uint32_t next = 0x1000;
        for (unsigned i = 0; i < PER_SIM; i++) {
            unsigned c = base + i, wb = c / 64 + 1, ab = (c / 4) % 16 + 1;
            plat_job_make(&b, &j[i], 9, 10, 70, wb, ab, c & 1, (c >> 1) & 1, &next, plat_urand(&rng, 0, 3), &rng);
            j[i].id = 0xA000 + c;
        }
        bad += run_queued(&b, s, j, PER_SIM, "all_pairs");
        job_gaps += bc_sim_job_gaps(s);
        total += PER_SIM;
        for (unsigned i = 0; i < PER_SIM; i++)
            plat_job_free(&j[i]);
        bc_sim_destroy(s);
    }
    printf("  all_pairs: %u jobs (256 precision pairs x 4 signedness), %u wrong, %" PRIu64 " idle cycles between jobs\n",
           total, bad, job_gaps);
}

/* int16 write-back: queued among int32 jobs, shifts 0..31, bit-exact against the
 * golden model's sat16(C >> shift); CNT_DRAM_WR_BYTES counts 2 bytes per element;
 * STATUS.OVERFLOW stays clear while nothing saturates and is set by an int16
 * saturation; LDC may be 2*N, and below that the job is refused. */
static void test_wb16(void)
{
    plat_test = "wb16";
    uint64_t rng = g_seed * 31 + 17;
    plat_bus_t b;
    bc_sim_t *s = make_sim(20, 20, 8, 0.0, g_seed, &b, NULL);
    enum { NJ = 12 };
    plat_job_t j[NJ];
    uint32_t next = 0x1000;
    uint64_t wr_expect = 0;
    for (unsigned i = 0; i < NJ; i++) {
        unsigned m = plat_urand(&rng, 1, 20), n = plat_urand(&rng, 1, 20), k = plat_urand(&rng, 1, 300);
        unsigned wb = plat_urand(&rng, 1, 8), ab = plat_urand(&rng, 1, 8);
        plat_job_make(&b, &j[i], m, n, k, wb, ab, plat_rand(&rng) & 1, plat_rand(&rng) & 1, &next,
                      plat_urand(&rng, 0, 2), &rng);
        j[i].id = 0xB000 + i;
        if (i % 3 != 2) {
            /* shifts large enough that nothing saturates: |C| < 2^(wb+ab+9) as k < 2^9 */
            unsigned lo = wb + ab + 9 > 15 ? wb + ab + 9 - 15 : 0, sh = lo + plat_urand(&rng, 0, 16);
            plat_job_set_wb16(&j[i], i % 3 == 0 ? (sh > 31 ? 31 : sh) : 31);
            CHECK(!j[i].overflow, "job %u: test setup saturates", i);
        }
        wr_expect += (uint64_t)j[i].m * j[i].n * (j[i].wb16 ? 2 : 4);
    }
    run_queued(&b, s, j, NJ, "wb16");
    CHECK(plat_rd64(&b, BC_REG_CNT_DRAM_WR_BYTES_LO) == wr_expect, "CNT_DRAM_WR_BYTES %" PRIu64 ", expected %" PRIu64,
          plat_rd64(&b, BC_REG_CNT_DRAM_WR_BYTES_LO), wr_expect);
    CHECK(!(plat_rd(&b, BC_REG_STATUS) & BC_STATUS_OVERFLOW_MASK), "STATUS.OVERFLOW set without a saturation");
    for (unsigned i = 0; i < NJ; i++)
        plat_job_free(&j[i]);

    /* a saturating int16 job with ldc = 2*N, then the overflow flag */
    plat_job_t sat;
    plat_job_make(&b, &sat, 9, 12, 300, 8, 8, true, true, &next, 0, &rng);
    sat.ldc = 2 * 12 + 8; /* 2*N rounded up to 8, plus one padding word */
    plat_job_set_wb16(&sat, 2);
    CHECK(sat.overflow, "setup: the job does not saturate");
    sat.id = 0xB100;
    run_queued(&b, s, &sat, 1, "wb16 saturating");
    CHECK(plat_rd(&b, BC_REG_STATUS) & BC_STATUS_OVERFLOW_MASK, "STATUS.OVERFLOW not set by an int16 saturation");
    /* int16 needs 2*N bytes of LDC: one less word is refused */
    sat.ldc = 16;
    sat.id = 0xB101;
    plat_wr(&b, BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);
    plat_job_push(&b, &sat);
    bc_sim_run(s, 200);
    CHECK(plat_rd(&b, BC_REG_ERR_CODE) == BC_ERR_BAD_LDC && plat_rd(&b, BC_REG_ERR_JOB_ID) == 0xB101,
          "int16 job with LDC < 2*N: ERR_CODE %u", plat_rd(&b, BC_REG_ERR_CODE));
    plat_job_free(&sat);
    bc_sim_destroy(s);
}

/* Regression: 1x8x64 at 8/8, 1x1x64 at 1/1, 1x9x64 at 8/8 queued back to back
 * (a short job between two multi-tile panels) gave a wrong first column tile of
 * the third job. Run at several memory latencies. */
static void test_queue_switch_repro(void)
{
    plat_test = "queue_switch_repro";
    static const unsigned shape[][3] = {{8, 8, 8}, {1, 1, 1}, {9, 8, 8}}; /* n, wbits, abits */
    static const unsigned lat[] = {1, 5, 20, 60};
    unsigned bad = 0;
    for (unsigned l = 0; l < sizeof lat / sizeof lat[0]; l++) {
        plat_bus_t b;
        bc_sim_t *s = make_sim(lat[l], lat[l], 8, 0.0, g_seed, &b, NULL);
        uint64_t rng = g_seed * 131 + l;
        plat_job_t j[3];
        uint32_t next = 0x10000;
        for (unsigned i = 0; i < 3; i++) {
            plat_job_make(&b, &j[i], 1, shape[i][0], 64, shape[i][1], shape[i][2], false, false, &next, 0, &rng);
            j[i].id = 300 + i;
        }
        bad += run_queued(&b, s, j, 3, "queue_switch_repro");
        for (unsigned i = 0; i < 3; i++)
            plat_job_free(&j[i]);
        bc_sim_destroy(s);
    }
    printf("  queue_switch_repro: 4 latencies x 3 jobs, %u wrong jobs\n", bad);
}

/* Random queued jobs: tiny and multi-tile shapes, random precisions and signedness,
 * queue kept full, random latency/stalls/bandwidth/burst length. */
static void test_queue_random(unsigned rounds, unsigned jobs_per_round)
{
    plat_test = "queue_random";
    uint64_t rng = g_seed * 6007 + 3;
    unsigned total = 0, bad = 0;
    for (unsigned r = 0; r < rounds; r++) {
        plat_bus_t b;
        unsigned lat = plat_urand(&rng, 1, 40);
        double stall = (r % 3 == 1) ? 0.2 : 0.0;
        unsigned bpc = (r % 4 == 3) ? 4 : 8;
        bc_sim_t *s = make_sim(lat, plat_urand(&rng, 1, 30), bpc, stall, rng, &b, NULL);
        plat_wr(&b, BC_REG_DMA_CFG, plat_urand(&rng, 1, 16));
        plat_job_t *j = calloc(jobs_per_round, sizeof *j);
        if (!j) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
        uint32_t next = 0x1000;
        for (unsigned i = 0; i < jobs_per_round; i++) {
            unsigned kind = plat_urand(&rng, 0, 3);
            unsigned m, n, k;
            if (kind == 0) { /* tiny: one tile, often one chunk */
                m = plat_urand(&rng, 1, 3);
                n = plat_urand(&rng, 1, 3);
                k = plat_urand(&rng, 1, 70);
            } else if (kind == 1) { /* a few column tiles, one block */
                m = plat_urand(&rng, 1, 8);
                n = plat_urand(&rng, 1, 40);
                k = plat_urand(&rng, 1, 200);
            } else { /* multi-block, multi-tile */
                m = plat_urand(&rng, 1, 24);
                n = plat_urand(&rng, 1, 24);
                k = plat_urand(&rng, 1, 300);
            }
            unsigned wb = plat_urand(&rng, 1, 16), ab = plat_urand(&rng, 1, 16);
            if (plat_urand(&rng, 0, 2) == 0) { /* favour low precision: short jobs */
                wb = plat_urand(&rng, 1, 3);
                ab = plat_urand(&rng, 1, 3);
            }
            plat_job_make(&b, &j[i], m, n, k, wb, ab, plat_rand(&rng) & 1, plat_rand(&rng) & 1, &next,
                          plat_urand(&rng, 0, 2), &rng);
            j[i].id = 0x7000 + r * 256 + i;
        }
        bad += run_queued(&b, s, j, jobs_per_round, "queue_random");
        total += jobs_per_round;
        if (getenv("VERBOSE"))
            printf("  round %u: lat %u stall %.1f bpc %u, %" PRIu64 " cycles\n", r, lat, stall, bpc,
                   bc_sim_cycles(s));
        for (unsigned i = 0; i < jobs_per_round; i++)
            plat_job_free(&j[i]);
        free(j);
        bc_sim_destroy(s);
    }
    printf("  queue_random: %u rounds, %u queued jobs, %u wrong jobs\n", rounds, total, bad);
}

/* Streams of queued jobs: CNT_BUSY against the stream timing model
 * (bc_timing_stream, fetch of the next job overlapping the current one) and
 * against the sum of single-job times. Jobs are long enough (>= ~150 cycles)
 * that the register pushes keep the queue ahead of the engine. */
static void test_stream_model(void)
{
    plat_test = "stream_model";
    uint64_t rng = g_seed * 977 + 5;
    enum { NS = 4, NJ = 10 };
    double worst = 0, sum_err_total = 0, stream_err_total = 0, sum_abs = 0, stream_abs = 0;
    for (unsigned r = 0; r < NS; r++) {
        plat_bus_t b;
        bc_sim_t *s = make_sim(20, 20, 8, 0.0, g_seed + r, &b, NULL);
        bc_hw_t hw;
        bc_calib_t cal;
        bc_hw_default(&hw);
        bc_calib_default(&cal);
        hw.mem_latency = 20;
        hw.mem_bytes_per_cycle = g_bus_bytes;
        plat_job_t j[NJ];
        bc_job_shape_t js[NJ];
        uint32_t next = 0x1000;
        uint64_t sum = 0;
        for (unsigned i = 0; i < NJ; i++) {
            bc_events_t ev;
            do {
                unsigned m = plat_urand(&rng, 1, 32), n = plat_urand(&rng, 1, 32), k = plat_urand(&rng, 32, 512);
                unsigned wb = plat_urand(&rng, 1, 8), ab = plat_urand(&rng, 1, 8);
                js[i] = (bc_job_shape_t){m, n, k, wb, ab, plat_rand(&rng) & 1, plat_rand(&rng) & 1, 0};
                bc_timing_job(&hw, &cal, &js[i], &ev);
            } while (ev.cycles < 150);
            sum += ev.cycles;
            plat_job_make(&b, &j[i], js[i].m, js[i].n, js[i].k, js[i].wbits, js[i].abits, js[i].wsigned,
                          js[i].asigned, &next, 0, &rng);
            j[i].id = 0x9000 + i;
        }
        bc_events_t tot, per[NJ], first;
        bc_timing_stream(&hw, &cal, js, NJ, per, &tot);
        /* the first job of a stream costs what it costs alone; the stream is shorter
         * than the sum of its jobs and no shorter than its pass cycles */
        bc_timing_job(&hw, &cal, &js[0], &first);
        CHECK(per[0].cycles == first.cycles, "first job of a stream %" PRIu64 " cycles, alone %" PRIu64,
              per[0].cycles, first.cycles);
        CHECK(tot.cycles <= sum && tot.cycles >= tot.compute, "stream %" PRIu64 " cycles, sum %" PRIu64
              ", passes %" PRIu64, tot.cycles, sum, tot.compute);
        CHECK(tot.jobs == NJ, "stream jobs %" PRIu64, tot.jobs);
        run_queued(&b, s, j, NJ, "stream_model");
        double busy = (double)plat_rd64(&b, BC_REG_CNT_BUSY_LO);
        double e_sum = ((double)sum - busy) / busy, e_stream = ((double)tot.cycles - busy) / busy;
        CHECK(plat_rd64(&b, BC_REG_CNT_COMPUTE_LO) == tot.compute, "CNT_COMPUTE %" PRIu64 " model %" PRIu64,
              plat_rd64(&b, BC_REG_CNT_COMPUTE_LO), tot.compute);
        CHECK(plat_rd64(&b, BC_REG_CNT_SWITCHES_LO) == tot.switches, "CNT_SWITCHES %" PRIu64 " model %" PRIu64,
              plat_rd64(&b, BC_REG_CNT_SWITCHES_LO), tot.switches);
        if (getenv("VERBOSE"))
            printf("  stream %u: RTL busy %.0f, sum of jobs %" PRIu64 " (%+.2f%%), stream model %" PRIu64
                   " (%+.2f%%), idle between jobs %" PRIu64 "\n",
                   r, busy, sum, 100 * e_sum, tot.cycles, 100 * e_stream, bc_sim_job_gaps(s));
        sum_err_total += e_sum;
        stream_err_total += e_stream;
        sum_abs += e_sum < 0 ? -e_sum : e_sum;
        stream_abs += e_stream < 0 ? -e_stream : e_stream;
        if (g_bus_bytes == 8) /* the timing model's cycle formulas are fitted to the 64-bit bus */
            CHECK(e_stream < 0.15 && e_stream > -0.15, "stream %u: RTL busy %.0f, stream model %" PRIu64 " (%+.2f%%)",
                  r, busy, tot.cycles, 100 * e_stream);
        if (e_stream < 0 ? -e_stream > worst : e_stream > worst)
            worst = e_stream < 0 ? -e_stream : e_stream;
        for (unsigned i = 0; i < NJ; i++)
            plat_job_free(&j[i]);
        bc_sim_destroy(s);
    }
    /* the stream model is closer to the RTL than summing single jobs (which ignores the overlap) */
    if (g_bus_bytes == 8)
        CHECK(stream_abs / NS < 0.06 && stream_abs < sum_abs, "mean |error|: stream model %.2f%%, sum of jobs %.2f%%",
              100 * stream_abs / NS, 100 * sum_abs / NS);
    printf("  stream_model: %d streams of %d jobs: mean error sum of jobs %+.2f%%, stream model %+.2f%% (worst %.2f%%)\n",
           NS, NJ, 100 * sum_err_total / NS, 100 * stream_err_total / NS, 100 * worst);
}

/* Beats a row of `bytes` bytes at `addr` occupies on the bus (bursts start at the
 * beat holding the row's first byte). */
static uint64_t row_beats(uint64_t addr, uint64_t bytes)
{
    return (addr % g_bus_bytes + bytes + g_bus_bytes - 1) / g_bus_bytes;
}

/* Bus bytes a job reads: every B row once, every A row once per B panel (the panel
 * count from the A words the model loads, which the ABUF_WRITES row checks). */
static uint64_t expected_rd_bytes(const plat_job_t *j, const bc_events_t *ev)
{
    uint64_t kc = (j->k + 63) / 64, a_bytes = kc * j->wbits * 8, b_bytes = kc * j->abits * 8;
    uint64_t panels = ev->abuf_writes / ((uint64_t)j->m * kc * j->wbits), beats = 0;
    for (unsigned r = 0; r < j->m; r++)
        beats += panels * row_beats(j->a_addr + (uint64_t)r * j->lda, a_bytes);
    for (unsigned n = 0; n < j->n; n++)
        beats += row_beats(j->b_addr + (uint64_t)n * j->ldb, b_bytes);
    return beats * g_bus_bytes;
}

/* Counters of one job against the analytical timing model. */
static void test_counters_vs_model(void)
{
    plat_test = "counters_model";
    static const unsigned shapes[][5] = {{64, 64, 512, 8, 8}, {40, 24, 130, 3, 5}, {8, 200, 64, 2, 2}, {17, 9, 1000, 16, 16}};
    for (unsigned t = 0; t < 4; t++) {
        plat_bus_t b;
        bc_sim_t *s = make_sim(20, 20, 8, 0.0, g_seed, &b, NULL);
        uint64_t rng = g_seed + t;
        plat_job_t j;
        uint32_t next = 0x1000;
        plat_job_make(&b, &j, shapes[t][0], shapes[t][1], shapes[t][2], shapes[t][3], shapes[t][4], true, true,
                      &next, 0, &rng);
        plat_wr(&b, BC_REG_IRQ_ENABLE, 3);
        plat_job_push(&b, &j);
        CHECK(wait_jobs(&b, s, 1, 5000000) == 0, "job did not finish");
        CHECK(plat_job_check(&b, &j) == 0, "mismatch");
        bc_hw_t hw;
        bc_calib_t cal;
        bc_hw_default(&hw);
        bc_calib_default(&cal);
        hw.mem_latency = 20;
        hw.mem_bytes_per_cycle = g_bus_bytes;
        hw.bus_bytes = g_bus_bytes;
        bc_job_shape_t js = {j.m, j.n, j.k, j.wbits, j.abits, true, true, 0};
        bc_events_t ev;
        bc_timing_job(&hw, &cal, &js, &ev);
        /* every counter of the register description; busy and stall depend on
         * the calibrated memory timing, switches on the previous job */
#define COUNTER_ROW(name, off, unit, desc) \
    {#name, off, ev.name, strcmp(#name, "busy") && strcmp(#name, "stall") && strcmp(#name, "switches")},
        struct { const char *name; uint32_t reg; uint64_t model; bool exact; } rows[] = {BC_COUNTERS(COUNTER_ROW)};
#undef COUNTER_ROW
        /* bursts start at the beat holding a row's first byte: the bus moves whole beats */
        for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
            if (!strcmp(rows[r].name, "dram_rd_bytes"))
                rows[r].model = expected_rd_bytes(&j, &ev);
        for (unsigned r = 0; r < sizeof rows / sizeof rows[0]; r++) {
            uint64_t hwv = plat_rd64(&b, rows[r].reg);
            if (rows[r].exact) {
                CHECK(hwv == rows[r].model, "%ux%ux%u w%u a%u: counter %s RTL %" PRIu64 " model %" PRIu64, j.m, j.n,
                      j.k, j.wbits, j.abits, rows[r].name, hwv, rows[r].model);
            } else if (getenv("VERBOSE")) {
                printf("  %ux%ux%u w%u a%u: counter %s RTL %" PRIu64 " model %" PRIu64 " (%.2f%%)\n", j.m, j.n, j.k,
                       j.wbits, j.abits, rows[r].name, hwv, rows[r].model,
                       100.0 * ((double)rows[r].model - (double)hwv) / (double)hwv);
            }
        }
        /* compute-bound shapes: the model is within 1 % of the RTL */
        if ((t == 0 || t == 3) && g_bus_bytes == 8) {
            double busy = (double)plat_rd64(&b, BC_REG_CNT_BUSY_LO);
            double err = ((double)ev.busy - busy) / busy;
            CHECK(err < 0.01 && err > -0.01, "busy cycles: RTL %.0f model %" PRIu64 " (%.2f%%)", busy, ev.busy,
                  100 * err);
        }
        plat_job_free(&j);
        bc_sim_destroy(s);
    }
}

/* Each descriptor error gives its code, ERR_JOB_ID and the ERR interrupt; the next job still runs. */
static void test_descriptor_errors(void)
{
    plat_test = "descriptor_errors";
    plat_bus_t b;
    bc_sim_t *s = make_sim(10, 10, 8, 0.0, g_seed, &b, NULL);
    uint64_t rng = g_seed * 3 + 11;
    uint32_t next = 0x1000;
    plat_job_t good;
    plat_job_make(&b, &good, 9, 11, 100, 4, 3, true, false, &next, 1, &rng);
    plat_wr(&b, BC_REG_IRQ_ENABLE, 3);
    struct { const char *what; uint32_t reg, val; unsigned code; } cases[] = {
        {"wbits 0", BC_REG_JOB_PREC, (0u << 0) | (3u << 8), BC_ERR_BAD_WBITS},
        {"wbits 17", BC_REG_JOB_PREC, (17u << 0) | (3u << 8), BC_ERR_BAD_WBITS},
        {"abits 0", BC_REG_JOB_PREC, (4u << 0) | (0u << 8), BC_ERR_BAD_ABITS},
        {"abits 31", BC_REG_JOB_PREC, (4u << 0) | (31u << 8), BC_ERR_BAD_ABITS},
        {"M 0", BC_REG_JOB_M, 0, BC_ERR_BAD_M},
        {"M max+1", BC_REG_JOB_M, BC_PARAM_MAX_M + 1, BC_ERR_BAD_M},
        {"N 0", BC_REG_JOB_N, 0, BC_ERR_BAD_N},
        {"N huge", BC_REG_JOB_N, 0x80000000u, BC_ERR_BAD_N},
        {"K 0", BC_REG_JOB_K, 0, BC_ERR_BAD_K},
        {"K max+1", BC_REG_JOB_K, BC_PARAM_MAX_K + 1, BC_ERR_BAD_K},
        {"A misaligned", BC_REG_JOB_A_ADDR, good.a_addr + 4, BC_ERR_BAD_A_ADDR},
        {"A outside window", BC_REG_JOB_A_ADDR, BC_PARAM_WIN_SIZE - 64, BC_ERR_BAD_A_ADDR},
        {"B misaligned", BC_REG_JOB_B_ADDR, good.b_addr + 1, BC_ERR_BAD_B_ADDR},
        {"B outside window", BC_REG_JOB_B_ADDR, 0xFFFFFFF8u, BC_ERR_BAD_B_ADDR},
        {"C misaligned", BC_REG_JOB_C_ADDR, good.c_addr + 2, BC_ERR_BAD_C_ADDR},
        {"C outside window", BC_REG_JOB_C_ADDR, BC_PARAM_WIN_SIZE - 8, BC_ERR_BAD_C_ADDR},
        {"LDA not x8", BC_REG_JOB_LDA, good.lda + 4, BC_ERR_BAD_LDA},
        {"LDA too small", BC_REG_JOB_LDA, good.lda - 16, BC_ERR_BAD_LDA},
        {"LDB too small", BC_REG_JOB_LDB, 8, BC_ERR_BAD_LDB},
        {"LDB not x8", BC_REG_JOB_LDB, good.ldb + 3, BC_ERR_BAD_LDB},
        {"LDC too small", BC_REG_JOB_LDC, 40, BC_ERR_BAD_LDC},
        {"LDC not x8", BC_REG_JOB_LDC, good.ldc + 4, BC_ERR_BAD_LDC},
    };
    unsigned n = sizeof cases / sizeof cases[0];
    for (unsigned i = 0; i < n; i++) {
        good.id = 0x100 + i;
        plat_job_push(&b, &good); /* restage every register */
        CHECK(wait_jobs(&b, s, i + 1, 200000) == 0, "%s: the valid job before it failed", cases[i].what);
        plat_wr(&b, cases[i].reg, cases[i].val);
        plat_wr(&b, BC_REG_JOB_ID, 0xBAD00 + i);
        plat_wr(&b, BC_REG_JOB_PUSH, 1);
        CHECK(bc_sim_run_until_irq(s, 1000) == 0, "%s: no interrupt", cases[i].what);
        uint32_t st = plat_rd(&b, BC_REG_IRQ_STATUS), code = plat_rd(&b, BC_REG_ERR_CODE);
        CHECK((st & BC_IRQ_STATUS_ERR_MASK) && code == cases[i].code && plat_rd(&b, BC_REG_ERR_JOB_ID) == 0xBAD00 + i,
              "%s: IRQ_STATUS 0x%x ERR_CODE %u (want %u) ERR_JOB_ID 0x%x", cases[i].what, st, code, cases[i].code,
              plat_rd(&b, BC_REG_ERR_JOB_ID));
        CHECK(plat_rd(&b, BC_REG_STATUS) & BC_STATUS_ERR_MASK, "%s: STATUS.ERR", cases[i].what);
        plat_wr(&b, BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);
        plat_wr(&b, BC_REG_IRQ_STATUS, 3);
        CHECK(plat_rd(&b, BC_REG_ERR_CODE) == 0 && !(plat_rd(&b, BC_REG_STATUS) & BC_STATUS_ERR_MASK),
              "ERR_CLEAR did not clear");
    }
    /* the job after the last error runs and is correct */
    good.id = 0x777;
    plat_job_push(&b, &good);
    CHECK(wait_jobs(&b, s, n + 1, 200000) == 0, "valid job after the errors failed");
    CHECK(plat_job_check(&b, &good) == 0, "valid job after the errors: wrong result");
    CHECK(plat_rd64(&b, BC_REG_CNT_JOBS_LO) == n + 1, "CNT_JOBS %" PRIu64, plat_rd64(&b, BC_REG_CNT_JOBS_LO));
    /* first failing check wins: wbits and M both bad -> BAD_WBITS */
    plat_wr(&b, BC_REG_JOB_M, 0);
    plat_wr(&b, BC_REG_JOB_PREC, 0);
    plat_wr(&b, BC_REG_JOB_PUSH, 1);
    bc_sim_run(s, 50);
    CHECK(plat_rd(&b, BC_REG_ERR_CODE) == BC_ERR_BAD_WBITS, "first error: %u", plat_rd(&b, BC_REG_ERR_CODE));
    /* sticky: a second error keeps the first code */
    plat_wr(&b, BC_REG_JOB_PREC, 0x404);
    plat_wr(&b, BC_REG_JOB_PUSH, 1);
    bc_sim_run(s, 50);
    CHECK(plat_rd(&b, BC_REG_ERR_CODE) == BC_ERR_BAD_WBITS, "not sticky: %u", plat_rd(&b, BC_REG_ERR_CODE));
    plat_job_free(&good);
    bc_sim_destroy(s);
}

/* SLVERR/DECERR responses abort the job with BUS_READ/BUS_WRITE; the next job runs. */
static void test_bus_errors(void)
{
    plat_test = "bus_errors";
    for (int kind = 1; kind <= 3; kind++) {
        plat_bus_t b;
        /* kind 3 here means DECERR: an operand beyond the memory model (inside the window) */
        bc_sim_config_t cfg;
        bc_sim_config_default(&cfg);
        cfg.mem_bytes = 16u << 20;
        cfg.rd_latency = 15;
        cfg.wr_latency = 15;
        cfg.stall_prob = 0.2;
        cfg.seed = g_seed;
        uint64_t rng = g_seed * 5 + (uint64_t)kind;
        uint32_t next = 0x1000;
        plat_job_t bad, good;
        /* lay the jobs out first to know where the window goes */
        bc_sim_t *probe = make_sim(1, 1, 8, 0, 1, &b, NULL);
        plat_job_make(&b, &bad, 20, 20, 300, 5, 5, true, true, &next, 0, &rng);
        plat_job_make(&b, &good, 12, 10, 70, 3, 7, false, true, &next, 0, &rng);
        bc_sim_destroy(probe);
        if (kind == 1) {
            cfg.err_kind = 1;
            cfg.err_lo = bad.a_addr + bad.lda * 9;
            cfg.err_hi = cfg.err_lo + 7;
        } else if (kind == 2) {
            cfg.err_kind = 2;
            cfg.err_lo = bad.c_addr + bad.ldc * 13;
            cfg.err_hi = cfg.err_lo + 3;
        }
        char err[200];
        bc_sim_t *s = bc_sim_create(&cfg, err, sizeof err);
        b.ctx = s;
        /* re-place operands in the new simulator (same addresses, same data) */
        uint32_t next2 = 0x1000;
        rng = g_seed * 5 + (uint64_t)kind;
        plat_job_free(&bad);
        plat_job_free(&good);
        plat_job_make(&b, &bad, 20, 20, 300, 5, 5, true, true, &next2, 0, &rng);
        plat_job_make(&b, &good, 12, 10, 70, 3, 7, false, true, &next2, 0, &rng);
        if (kind == 3)
            bad.b_addr = 0x02000000; /* 32 MiB: inside the window, beyond 16 MiB of memory */
        bad.id = 0xE1;
        good.id = 0xE2;
        plat_wr(&b, BC_REG_IRQ_ENABLE, 3);
        plat_job_push(&b, &bad);
        plat_job_push(&b, &good);
        CHECK(bc_sim_run_until_irq(s, 200000) == 0, "kind %d: no interrupt", kind);
        for (unsigned it = 0; it < 100 && !(plat_rd(&b, BC_REG_IRQ_STATUS) & BC_IRQ_STATUS_ERR_MASK); it++)
            bc_sim_run(s, 1000);
        unsigned want = kind == 2 ? BC_ERR_BUS_WRITE : BC_ERR_BUS_READ;
        uint32_t code = plat_rd(&b, BC_REG_ERR_CODE), eaddr = plat_rd(&b, BC_REG_ERR_ADDR);
        CHECK(code == want && plat_rd(&b, BC_REG_ERR_JOB_ID) == 0xE1, "kind %d: ERR_CODE %u (want %u) ERR_JOB_ID 0x%x",
              kind, code, want, plat_rd(&b, BC_REG_ERR_JOB_ID));
        if (kind != 3)
            /* the memory fails whole beats: ERR_ADDR lies in a beat that overlaps the window */
            CHECK((eaddr & ~(g_bus_bytes - 1)) <= cfg.err_hi && (eaddr | (g_bus_bytes - 1)) >= cfg.err_lo, "kind %d: ERR_ADDR 0x%x outside [0x%x,0x%x]",
                  kind, eaddr, cfg.err_lo, cfg.err_hi);
        else
            CHECK(eaddr >= bad.b_addr && eaddr < bad.b_addr + bad.n * bad.ldb, "DECERR: ERR_ADDR 0x%x", eaddr);
        /* the good job completes correctly, the bad one is not reported done */
        for (unsigned it = 0; it < 200 && plat_rd(&b, BC_REG_LAST_JOB_ID) != 0xE2; it++)
            bc_sim_run(s, 1000);
        CHECK(plat_rd(&b, BC_REG_LAST_JOB_ID) == 0xE2, "kind %d: next job did not complete", kind);
        CHECK(plat_job_check(&b, &good) == 0, "kind %d: next job wrong", kind);
        CHECK(plat_rd64(&b, BC_REG_CNT_JOBS_LO) == 1, "kind %d: CNT_JOBS %" PRIu64, kind,
              plat_rd64(&b, BC_REG_CNT_JOBS_LO));
        bc_sim_run(s, 2000);
        CHECK(!(plat_rd(&b, BC_REG_STATUS) & BC_STATUS_BUSY_MASK), "kind %d: still busy", kind);
        CHECK(*bc_sim_last_error(s) == 0, "kind %d: %s", kind, bc_sim_last_error(s));
        plat_job_free(&bad);
        plat_job_free(&good);
        bc_sim_destroy(s);
    }
}

/* Queue overflow, DMA_CFG while busy, soft reset, counter freeze/clear. */
static void test_queue_and_control(void)
{
    plat_bus_t b;
    bc_sim_t *s = make_sim(20, 20, 8, 0.0, g_seed, &b, NULL);
    uint64_t rng = g_seed * 13 + 5;
    uint32_t next = 0x1000;
    plat_job_t j;
    plat_job_make(&b, &j, 32, 32, 512, 8, 8, true, true, &next, 0, &rng);
    plat_wr(&b, BC_REG_IRQ_ENABLE, 0);

    plat_test = "queue_overflow";
    unsigned pushed = 0;
    plat_job_push(&b, &j);
    pushed++;
    while (!(plat_rd(&b, BC_REG_STATUS) & BC_STATUS_QUEUE_FULL_MASK) && pushed < 20) {
        j.id = pushed;
        plat_wr(&b, BC_REG_JOB_ID, pushed);
        plat_wr(&b, BC_REG_JOB_PUSH, 1);
        pushed++;
    }
    uint32_t st = plat_rd(&b, BC_REG_STATUS);
    CHECK(((st & BC_STATUS_QUEUE_COUNT_MASK) >> BC_STATUS_QUEUE_COUNT_SHIFT) == 4 && (st & BC_STATUS_QUEUE_FULL_MASK),
          "STATUS 0x%x after %u pushes", st, pushed);
    CHECK(plat_rd(&b, BC_REG_ERR_CODE) == 0, "error before overflow");
    plat_wr(&b, BC_REG_JOB_ID, 0xF00);
    plat_wr(&b, BC_REG_JOB_PUSH, 1);
    CHECK(plat_rd(&b, BC_REG_ERR_CODE) == BC_ERR_QUEUE_OVERFLOW && plat_rd(&b, BC_REG_ERR_JOB_ID) == 0xF00,
          "ERR_CODE %u ERR_JOB_ID 0x%x", plat_rd(&b, BC_REG_ERR_CODE), plat_rd(&b, BC_REG_ERR_JOB_ID));
    plat_wr(&b, BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);

    plat_test = "reg_busy";
    CHECK(plat_rd(&b, BC_REG_STATUS) & BC_STATUS_BUSY_MASK, "not busy");
    plat_wr(&b, BC_REG_DMA_CFG, 3);
    CHECK(plat_rd(&b, BC_REG_ERR_CODE) == BC_ERR_REG_BUSY && plat_rd(&b, BC_REG_DMA_CFG) == 16,
          "ERR_CODE %u DMA_CFG %u", plat_rd(&b, BC_REG_ERR_CODE), plat_rd(&b, BC_REG_DMA_CFG));
    plat_wr(&b, BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);

    plat_test = "counter_freeze";
    plat_wr(&b, BC_REG_CTRL, BC_CTRL_CNT_FREEZE_MASK);
    uint64_t c0 = plat_rd64(&b, BC_REG_CNT_BUSY_LO), p0 = plat_rd64(&b, BC_REG_CNT_COMPUTE_LO);
    bc_sim_run(s, 5000);
    CHECK(plat_rd64(&b, BC_REG_CNT_BUSY_LO) == c0 && plat_rd64(&b, BC_REG_CNT_COMPUTE_LO) == p0, "frozen counters moved");
    plat_wr(&b, BC_REG_CTRL, BC_CTRL_CNT_FREEZE_MASK | BC_CTRL_CNT_CLEAR_MASK);
    CHECK(plat_rd64(&b, BC_REG_CNT_BUSY_LO) == 0 && plat_rd64(&b, BC_REG_CNT_COMPUTE_LO) == 0, "clear while frozen");
    CHECK(plat_rd(&b, BC_REG_CTRL) == BC_CTRL_CNT_FREEZE_MASK, "CTRL reads 0x%x", plat_rd(&b, BC_REG_CTRL));
    plat_wr(&b, BC_REG_CTRL, 0);
    bc_sim_run(s, 1000);
    uint64_t c1 = plat_rd64(&b, BC_REG_CNT_BUSY_LO);
    CHECK(c1 >= 1000, "counters did not resume: %" PRIu64, c1);

    plat_test = "soft_reset";
    plat_wr(&b, BC_REG_IRQ_ENABLE, 3);
    plat_wr(&b, BC_REG_IRQ_STATUS, 3);
    plat_wr(&b, BC_REG_CTRL, BC_CTRL_SOFT_RESET_MASK);
    st = plat_rd(&b, BC_REG_STATUS);
    CHECK(((st & BC_STATUS_QUEUE_COUNT_MASK) >> BC_STATUS_QUEUE_COUNT_SHIFT) == 0, "queue not emptied: 0x%x", st);
    unsigned waited = 0;
    while ((plat_rd(&b, BC_REG_STATUS) & BC_STATUS_BUSY_MASK) && waited < 100) {
        bc_sim_run(s, 100);
        waited++;
    }
    CHECK(waited < 100, "still busy 10000 cycles after soft reset");
    CHECK(plat_rd(&b, BC_REG_IRQ_STATUS) == 0, "soft reset raised IRQ_STATUS 0x%x", plat_rd(&b, BC_REG_IRQ_STATUS));
    CHECK(plat_rd(&b, BC_REG_ERR_CODE) == 0, "soft reset raised an error");
    j.id = 0xABC;
    plat_job_push(&b, &j);
    CHECK(wait_jobs(&b, s, 1, 2000000) == 0 || plat_rd(&b, BC_REG_LAST_JOB_ID) == 0xABC, "job after soft reset");
    CHECK(plat_rd(&b, BC_REG_LAST_JOB_ID) == 0xABC, "LAST_JOB_ID 0x%x", plat_rd(&b, BC_REG_LAST_JOB_ID));
    CHECK(plat_job_check(&b, &j) == 0, "job after soft reset wrong");
    plat_job_free(&j);
    bc_sim_destroy(s);
}

/* The checker stays silent on good traffic (every other test) and fires on broken traffic. */
static void test_protocol_checker(void)
{
    plat_test = "protocol_checker";
    for (int fault = 1; fault <= 2; fault++) {
        plat_bus_t b;
        /* fault 2 needs a write burst of two beats or more with a gap before the
         * last: C rows start 8 bytes before a beat boundary, and the bus is slow */
        bc_sim_t *s = make_sim(5, 5, fault == 2 ? 2 : 8, 0.0, g_seed, &b, NULL);
        uint64_t rng = g_seed;
        uint32_t next = 0x1000;
        plat_job_t j;
        plat_job_make(&b, &j, 8, 8, 256, 4, 4, true, true, &next, 0, &rng);
        if (fault == 2 && g_bus_bytes > 16)
            j.c_addr += g_bus_bytes - 8;
        plat_wr(&b, BC_REG_IRQ_ENABLE, 3);
        bc_sim_inject_protocol_fault(s, fault);
        plat_job_push(&b, &j);
        int rc = bc_sim_run_until_irq(s, 100000);
        const char *msg = bc_sim_last_error(s);
        const char *want = fault == 1 ? "RLAST" : "BVALID";
        CHECK(rc == -1 && strstr(msg, want) && strstr(msg, "at cycle"),
              "fault %d: rc %d, message '%s' (want one naming %s and the cycle)", fault, rc, msg, want);
        if (getenv("VERBOSE"))
            printf("  fault %d: %s\n", fault, msg);
        CHECK(bc_sim_run(s, 10) == -1, "run continues after a violation");
        plat_job_free(&j);
        bc_sim_destroy(s);
    }
    /* bad configurations are refused with the field named */
    bc_sim_config_t cfg;
    char err[200];
    bc_sim_config_default(&cfg);
    cfg.bytes_per_cycle = g_bus_bytes + 1;
    CHECK(!bc_sim_create(&cfg, err, sizeof err) && strstr(err, "bytes_per_cycle"), "bpc: %s", err);
    bc_sim_config_default(&cfg);
    cfg.stall_prob = 1.5;
    CHECK(!bc_sim_create(&cfg, err, sizeof err) && strstr(err, "stall_prob"), "stall: %s", err);
    bc_sim_config_default(&cfg);
    cfg.trace_path = "x.txt";
    CHECK(!bc_sim_create(&cfg, err, sizeof err) && strstr(err, "trace_path"), "trace: %s", err);
    bc_sim_config_default(&cfg);
    cfg.err_kind = 1;
    cfg.err_lo = 100;
    cfg.err_hi = 50;
    CHECK(!bc_sim_create(&cfg, err, sizeof err) && strstr(err, "err_lo"), "err window: %s", err);
}

static long file_size(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fclose(fp);
    return n;
}

/* FST traces: whole run, a cycle window, and the precision-switch trigger. */
static void test_traces(void)
{
    plat_test = "traces";
    const char *paths[3] = {"build/platform/trace_all.fst", "build/platform/trace_window.vcd",
                            "build/platform/trace_switch.fst"};
    long sizes[3];
    for (int mode = 0; mode < 3; mode++) {
        bc_sim_config_t cfg;
        bc_sim_config_default(&cfg);
        cfg.mem_bytes = 4u << 20;
        cfg.trace_path = paths[mode];
        if (mode == 1) {
            cfg.trace_start = 1000;
            cfg.trace_end = 1200;
        }
        if (mode == 2) {
            cfg.trace_on_switch = true;
            cfg.trace_switch_window = 100;
        }
        char err[200];
        remove(paths[mode]);
        bc_sim_t *s = bc_sim_create(&cfg, err, sizeof err);
        CHECK(s != NULL, "trace mode %d: %s", mode, err);
        if (!s)
            continue;
        plat_bus_t b = plat_bus_sim(s);
        uint64_t rng = 9;
        uint32_t next = 0x1000;
        plat_job_t j1, j2;
        plat_job_make(&b, &j1, 16, 16, 128, 4, 4, true, true, &next, 0, &rng);
        plat_job_make(&b, &j2, 16, 16, 128, 2, 6, true, true, &next, 0, &rng);
        plat_job_push(&b, &j1);
        plat_job_push(&b, &j2);
        bc_sim_run(s, 6000);
        CHECK(plat_rd64(&b, BC_REG_CNT_JOBS_LO) == 2 && plat_job_check(&b, &j1) == 0 && plat_job_check(&b, &j2) == 0,
              "trace mode %d: jobs wrong", mode);
        if (mode == 2)
            CHECK(bc_sim_precision_switches(s) == 1, "switches %" PRIu64, bc_sim_precision_switches(s));
        bc_sim_destroy(s);
        sizes[mode] = file_size(paths[mode]);
        CHECK(sizes[mode] > 0, "trace %s missing or empty", paths[mode]);
        plat_job_free(&j1);
        plat_job_free(&j2);
    }
    CHECK(sizes[2] < sizes[0], "switch-triggered trace not smaller: all %ld switch %ld", sizes[0], sizes[2]);
    /* the VCD window holds cycles 1000..1200 only: timestamps 2000..2401 */
    FILE *fp = fopen(paths[1], "r");
    long first = -1, last = -1;
    char line[256];
    while (fp && fgets(line, sizeof line, fp))
        if (line[0] == '#') {
            long t = atol(line + 1);
            if (first < 0)
                first = t;
            last = t;
        }
    if (fp)
        fclose(fp);
    CHECK(first >= 2000 && last <= 2401 && last > first, "VCD window timestamps %ld..%ld", first, last);
}

int main(void)
{
    g_seed = test_env_seed("test_platform", g_seed);
    g_fast = test_env_flag("FAST");
    g_trace = test_env_flag("TRACE");
    g_bus_bytes = bc_sim_axi_bits() / 8;
    plat_axi_bits = bc_sim_axi_bits();
    printf("platform tests, SEED=%" PRIu64 ", AXI data width %u bits\n", g_seed, bc_sim_axi_bits());
    const char *only = getenv("PLAT_ONLY"); /* debugging: run one test by name */
#define RUN(name, call)                                  \
    do {                                                 \
        if (!only || !strcmp(only, name))                \
            call;                                        \
    } while (0)
    RUN("registers", test_registers());
    const char *e = getenv("PLAT_GEMMS"); /* test-full: a larger random set */
    unsigned gemms = e && *e ? (unsigned)strtoul(e, NULL, 10) : (g_fast ? 4u : 12u);
    RUN("gemm_random", test_gemm_random(gemms));
    RUN("all_pairs", test_all_pairs());
    RUN("wb16", test_wb16());
    RUN("queue_mixed", test_queue_mixed());
    RUN("queue_switch_repro", test_queue_switch_repro());
    e = getenv("PLAT_QROUNDS");
    unsigned qrounds = e && *e ? (unsigned)strtoul(e, NULL, 10) : (g_fast ? 2u : 6u);
    RUN("queue_random", test_queue_random(qrounds, 12));
    RUN("counters_model", test_counters_vs_model());
    RUN("stream_model", test_stream_model());
    RUN("descriptor_errors", test_descriptor_errors());
    RUN("bus_errors", test_bus_errors());
    RUN("queue_control", test_queue_and_control());
    RUN("protocol_checker", test_protocol_checker());
    RUN("traces", test_traces());
    printf("platform: %u passed, %u failed\n", plat_pass, plat_fail);
    return plat_fail ? 1 : 0;
}
