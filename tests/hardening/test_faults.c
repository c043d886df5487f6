/* test-faults: faults injected into the RTL (Verilator model through the
 * simulator library and the driver's sim backend). Every fault must end in
 * the documented error state (ERR_CODE, ERR_JOB_ID/ERR_ADDR, STATUS.ERR) with
 * the ERR interrupt raised on irq_o, and the next job must be bit-exact
 * against the golden model. Faults: bus errors on reads and on writes, memory
 * stalling for 100,000 cycles per access (driver timeout, soft reset), soft
 * reset in the middle of jobs, queue overflow, descriptors with every field
 * at its limit and one past it. SEED=N changes the operands. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_regs.h"
#include "hard_util.h"
#include "test_env.h"
#include "test_job.h"

static uint64_t seed = 1;
static unsigned checks;

#define CHECK(cond, ...)                                                                                   \
    do {                                                                                                   \
        checks++;                                                                                          \
        if (!(cond)) {                                                                                     \
            fprintf(stderr, "  FAILED %s:%d: %s: ", __FILE__, __LINE__, #cond);                          \
            fprintf(stderr, __VA_ARGS__);                                                                  \
            fprintf(stderr, "\n");                                                                         \
            return 1;                                                                                      \
        }                                                                                                  \
    } while (0)

static uint32_t rd(hu_dev_t *d, uint32_t off)
{
    uint32_t v = 0xDEADBEEF;
    bc_reg_read(&d->dev, off, &v);
    return v;
}

static void wr(hu_dev_t *d, uint32_t off, uint32_t v)
{
    bc_reg_write(&d->dev, off, v);
}

/* After a soft reset the engines finish the poisoned job's outstanding
 * memory transactions (results discarded) before BUSY falls. */
static uint32_t drain(hu_dev_t *d, uint64_t max_cycles)
{
    uint32_t st = rd(d, BC_REG_STATUS);
    for (uint64_t c = 0; c < max_cycles && (st & BC_STATUS_BUSY_MASK); c += 500) {
        bc_sim_run(d->sim, 500);
        st = rd(d, BC_REG_STATUS);
    }
    return st;
}

static int open_sim(hu_dev_t *d, const hu_opts_t *o)
{
    if (hu_open(d, "sim", o))
        return 1;
    wr(d, BC_REG_IRQ_ENABLE, BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK);
    return 0;
}

/* The device after an error: ERR_CODE, STATUS.ERR, IRQ_STATUS.ERR and irq_o. */
static int expect_error_state(hu_dev_t *d, uint32_t code, const char *what)
{
    int r = bc_sim_run_until_irq(d->sim, 5000000);
    CHECK(r == 0, "%s: no interrupt (run_until_irq %d)", what, r);
    CHECK(bc_sim_irq(d->sim), "%s: irq_o low", what);
    uint32_t irq = rd(d, BC_REG_IRQ_STATUS), st = rd(d, BC_REG_STATUS), ec = rd(d, BC_REG_ERR_CODE);
    /* the interrupt may be DONE of an earlier job: wait for the idle device */
    for (int i = 0; i < 200 && (st & BC_STATUS_BUSY_MASK); i++) {
        bc_sim_run(d->sim, 1000);
        st = rd(d, BC_REG_STATUS);
    }
    irq = rd(d, BC_REG_IRQ_STATUS);
    ec = rd(d, BC_REG_ERR_CODE);
    bc_hw_error_t e;
    bc_hw_error_decode(ec, &e);
    CHECK(ec == code, "%s: ERR_CODE %u (%s), expected %u", what, ec, e.name, code);
    CHECK(irq & BC_IRQ_STATUS_ERR_MASK, "%s: IRQ_STATUS 0x%x lacks ERR", what, irq);
    CHECK(st & BC_STATUS_ERR_MASK, "%s: STATUS 0x%x lacks ERR", what, st);
    CHECK(!(st & BC_STATUS_BUSY_MASK), "%s: still busy after the error (STATUS 0x%x)", what, st);
    return 0;
}

static int clear_errors(hu_dev_t *d)
{
    wr(d, BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);
    wr(d, BC_REG_IRQ_STATUS, BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK);
    CHECK(rd(d, BC_REG_ERR_CODE) == 0, "ERR_CODE not cleared");
    CHECK(!(rd(d, BC_REG_STATUS) & BC_STATUS_ERR_MASK), "STATUS.ERR not cleared");
    CHECK(!bc_sim_irq(d->sim), "irq_o still high after acknowledging");
    return 0;
}

/* A following good job (new operands, away from any error window) is bit-exact. */
static int next_job_ok(hu_dev_t *d, hu_rng_t *r, const char *what)
{
    hu_job_t j = {19, 11, 200, 8, 8, true, false};
    j.abits = hu_range(r, 6, 16);
    int rc = hu_run(d, r, &j, 0x2000000, 60000000000ull, what);
    CHECK(rc == 0, "%s: the following job is not bit-exact (%d)", what, rc);
    return 0;
}

static int submit(hu_dev_t *d, hu_data_t *h, uint32_t id)
{
    bc_gemm_t g;
    hu_gemm_for(d, &h->job, &h->lay, id, &g);
    bc_status_t st = bc_gemm_submit(&d->dev, &g);
    CHECK(st == BC_OK, "submit: %s", bc_strerror(st));
    return 0;
}

/* ---- bus errors ------------------------------------------------------ */
static int bus_error(int kind)
{
    const char *what = kind == 1 ? "bus error on a read" : "bus error on a write";
    hu_rng_t r;
    hu_seed(&r, seed + (uint64_t)kind);
    hu_job_t j = {20, 12, 300, 5, 6, true, true};
    hu_layout_t l;
    hu_layout(&j, 0x100000, &l);
    hu_opts_t o;
    hu_opts_default(&o);
    o.err_kind = kind;
    /* the window covers part of B (read) or the middle of C (write) */
    o.err_lo = kind == 1 ? l.b_addr + 64 : l.c_addr + (l.end - l.c_addr) / 2;
    o.err_hi = o.err_lo + 7;
    hu_dev_t d;
    if (open_sim(&d, &o))
        return 1;
    hu_data_t h;
    int fail = hu_prepare(&d, &r, &j, 0x100000, &h) || submit(&d, &h, 0x51);
    if (!fail)
        fail = expect_error_state(&d, kind == 1 ? BC_HWERR_BUS_READ : BC_HWERR_BUS_WRITE, what);
    if (!fail) {
        uint32_t addr = rd(&d, BC_REG_ERR_ADDR), id = rd(&d, BC_REG_ERR_JOB_ID);
        if (id != 0x51 || addr < (o.err_lo & ~63u) || addr > o.err_hi) {
            fprintf(stderr, "  FAILED %s: ERR_JOB_ID 0x%x (want 0x51), ERR_ADDR 0x%x (want in 0x%x..0x%x)\n", what, id,
                    addr, o.err_lo, o.err_hi);
            fail = 1;
        }
        bc_status_t w = bc_wait(&d.dev, 1000000000ull);
        if (w != BC_E_HW || d.dev.hw_err.status != (kind == 1 ? BC_E_BUS_READ : BC_E_BUS_WRITE)) {
            fprintf(stderr, "  FAILED %s: bc_wait says %s / %s\n", what, bc_status_name(w), d.dev.hw_err.name);
            fail = 1;
        }
    }
    if (!fail)
        fail = clear_errors(&d) || next_job_ok(&d, &r, what);
    hu_data_free(&h);
    hu_close(&d);
    return fail;
}

/* ---- memory stalling for a very long time ------------------------------- */
static int long_stall(void)
{
    const char *what = "memory stall of 100000 cycles per access";
    hu_rng_t r;
    hu_seed(&r, seed + 10);
    hu_opts_t o;
    hu_opts_default(&o);
    o.rd_latency = 100000;
    o.wr_latency = 100000;
    hu_dev_t d;
    if (open_sim(&d, &o))
        return 1;
    hu_job_t j = {16, 16, 256, 8, 8, true, true};
    hu_data_t h;
    int fail = hu_prepare(&d, &r, &j, 0x100000, &h) || submit(&d, &h, 0x77);
    if (!fail) {
        /* 20 us = 4000 cycles at 200 MHz: far shorter than one memory access */
        bc_status_t w = bc_wait(&d.dev, 20000);
        if (w != BC_E_TIMEOUT) {
            fprintf(stderr, "  FAILED %s: bc_wait returned %s, expected BC_E_TIMEOUT\n", what, bc_status_name(w));
            fail = 1;
        }
    }
    if (!fail) {
        uint32_t st = rd(&d, BC_REG_STATUS);
        if (!(st & BC_STATUS_BUSY_MASK)) {
            fprintf(stderr, "  FAILED %s: not busy at the timeout (STATUS 0x%x)\n", what, st);
            fail = 1;
        }
        wr(&d, BC_REG_CTRL, BC_CTRL_SOFT_RESET_MASK);
        st = drain(&d, 400000);
        if (st & (BC_STATUS_BUSY_MASK | BC_STATUS_QUEUE_COUNT_MASK | BC_STATUS_ERR_MASK)) {
            fprintf(stderr, "  FAILED %s: after soft reset STATUS 0x%x (busy/queue/err set)\n", what, st);
            fail = 1;
        }
    }
    /* the next job still sees the slow memory; it must finish and be exact,
     * even though the aborted job's read bursts were still in flight */
    if (!fail)
        fail = next_job_ok(&d, &r, what);
    hu_data_free(&h);
    hu_close(&d);
    return fail;
}

/* ---- reset in the middle of a job --------------------------------------- */
static int reset_mid_job(unsigned at_cycles, double stall)
{
    char what[96];
    snprintf(what, sizeof what, "soft reset %u cycles into a job (stall %.1f)", at_cycles, stall);
    hu_rng_t r;
    hu_seed(&r, seed + 20 + at_cycles);
    hu_opts_t o;
    hu_opts_default(&o);
    o.stall_prob = stall;
    o.seed = seed + at_cycles;
    hu_dev_t d;
    if (open_sim(&d, &o))
        return 1;
    hu_job_t j = {64, 64, 512, 6, 5, false, true};
    hu_data_t h[3];
    int fail = 0, prepared = 0;
    for (int i = 0; i < 3 && !fail; i++) {
        fail = hu_prepare(&d, &r, &j, 0x100000 + 0x100000u * (unsigned)i, &h[i]);
        prepared += !fail;
        if (!fail)
            fail = submit(&d, &h[i], 0x100u + (unsigned)i);
    }
    if (!fail) {
        bc_sim_run(d.sim, at_cycles);
        uint32_t st = rd(&d, BC_REG_STATUS);
        if (!(st & BC_STATUS_BUSY_MASK)) {
            fprintf(stderr, "  FAILED %s: the jobs ended before the reset\n", what);
            fail = 1;
        }
        wr(&d, BC_REG_CTRL, BC_CTRL_SOFT_RESET_MASK);
        st = drain(&d, 400000);
        uint32_t irq = rd(&d, BC_REG_IRQ_STATUS), jobs = rd(&d, BC_REG_CNT_JOBS_LO);
        if (!fail && ((st & (BC_STATUS_BUSY_MASK | BC_STATUS_QUEUE_COUNT_MASK | BC_STATUS_ERR_MASK)) || irq || jobs ||
                      bc_sim_irq(d.sim))) {
            fprintf(stderr, "  FAILED %s: after reset STATUS 0x%x IRQ_STATUS 0x%x CNT_JOBS %u irq_o %d\n", what, st, irq,
                    jobs, bc_sim_irq(d.sim));
            fail = 1;
        }
        /* nothing of the aborted jobs may finish after the reset, and the
         * last queued job (never started) must not have written its C */
        bc_sim_run(d.sim, 20000);
        uint32_t c2 = 0;
        bc_mem_read(&d.dev, h[2].lay.c_addr, &c2, 4);
        if (!fail && (rd(&d, BC_REG_IRQ_STATUS) || rd(&d, BC_REG_CNT_JOBS_LO) || c2 != 0xA5A5A5A5u)) {
            fprintf(stderr, "  FAILED %s: an aborted job completed or wrote C after the reset\n", what);
            fail = 1;
        }
    }
    if (!fail)
        fail = next_job_ok(&d, &r, what);
    for (int i = 0; i < prepared; i++)
        hu_data_free(&h[i]);
    hu_close(&d);
    return fail;
}

/* ---- queue overflow ------------------------------------------------------ */
/* Past the driver's queue-full check: straight through the HAL. */
static void push_raw(hu_dev_t *d, const bc_gemm_t *g)
{
    const test_job_regs_t r = {g->a_addr, g->b_addr, g->c_addr, g->m,     g->n,     g->k,       g->lda,
                               g->ldb,    g->ldc,    g->job_id, g->wbits, g->abits, g->wsigned, g->asigned,
                               g->wb_bits == 16, g->wb_shift};
    test_job_push(d->be.hal.write32, d->be.hal.ctx, &r);
}

static int queue_overflow(void)
{
    const char *what = "queue overflow";
    hu_rng_t r;
    hu_seed(&r, seed + 30);
    hu_opts_t o;
    hu_opts_default(&o);
    hu_dev_t d;
    if (open_sim(&d, &o))
        return 1;
    enum { MAXJ = 12 };
    hu_data_t h[MAXJ];
    int n = 0, fail = 0, full_at = -1;
    hu_job_t j = {32, 32, 1024, 8, 8, true, true};
    for (; n < MAXJ && !fail; n++) {
        j.wbits = hu_range(&r, 1, 16);
        fail = hu_prepare(&d, &r, &j, 0x100000 + 0x100000u * (unsigned)n, &h[n]);
        if (fail)
            break;
        bc_gemm_t g;
        hu_gemm_for(&d, &j, &h[n].lay, 0x200u + (unsigned)n, &g);
        push_raw(&d, &g);
        if (rd(&d, BC_REG_ERR_CODE) != 0) {
            full_at = n;
            n++;
            break;
        }
    }
    if (!fail && full_at < 0) {
        fprintf(stderr, "  FAILED %s: %d pushes without QUEUE_OVERFLOW\n", what, n);
        fail = 1;
    }
    if (!fail && (unsigned)full_at < d.dev.cfg.queue_depth) {
        fprintf(stderr, "  FAILED %s: overflow after %d pushes, queue depth %u\n", what, full_at, d.dev.cfg.queue_depth);
        fail = 1;
    }
    if (!fail)
        fail = expect_error_state(&d, BC_HWERR_QUEUE_OVERFLOW, what);
    /* every accepted job completes bit-exactly; the refused one writes nothing */
    for (int i = 0; i < full_at && !fail; i++)
        fail = hu_check(&d, &h[i], "job accepted before the overflow") != 0;
    if (!fail) {
        uint32_t c0;
        bc_mem_read(&d.dev, h[full_at].lay.c_addr, &c0, 4);
        if (c0 != 0xA5A5A5A5u) {
            fprintf(stderr, "  FAILED %s: the refused job wrote its C (0x%08x)\n", what, c0);
            fail = 1;
        }
        uint32_t jobs = rd(&d, BC_REG_CNT_JOBS_LO);
        if (jobs != (uint32_t)full_at) {
            fprintf(stderr, "  FAILED %s: CNT_JOBS %u, expected %d\n", what, jobs, full_at);
            fail = 1;
        }
    }
    if (!fail)
        fail = clear_errors(&d) || next_job_ok(&d, &r, what);
    for (int i = 0; i < n; i++)
        hu_data_free(&h[i]);
    hu_close(&d);
    return fail;
}

/* ---- descriptor fields at their limit and one past ----------------------- */
static int limits(void)
{
    hu_rng_t r;
    hu_seed(&r, seed + 40);
    hu_opts_t o;
    hu_opts_default(&o);
    hu_dev_t d;
    if (open_sim(&d, &o))
        return 1;
    const bc_hwcfg_t *c = &d.dev.cfg;
    int fail = 0;
    /* at the limit: runs bit-exact */
    const hu_job_t at[] = {
        {c->max_m, 3, 64, 1, 1, false, false},           /* M = MAX_M, one pass per tile */
        {2, c->max_n, 64, 8, 6, true, false},            /* N = MAX_N */
        {9, 9, c->max_k, c->max_bits, c->max_bits, true, true}, /* K = MAX_K, 16 x 16 bits */
        {1, 1, 1, 1, 1, false, false},                   /* every size at its minimum */
        {8, 8, 64, c->max_bits, 1, true, false},
        {8, 8, 65, 1, c->max_bits, false, true},
    };
    for (size_t i = 0; i < sizeof at / sizeof at[0] && !fail; i++) {
        char what[80];
        snprintf(what, sizeof what, "limit job m %u n %u k %u w%u a%u", at[i].m, at[i].n, at[i].k, at[i].wbits,
                 at[i].abits);
        fail = hu_run(&d, &r, &at[i], 0x100000, 60000000000ull, what) != 0;
        if (fail)
            fprintf(stderr, "  FAILED %s\n", what);
    }
    /* minimum strides are the limit: hu_gemm_for uses them; one below is refused */
    struct past {
        const char *field;
        uint32_t code;
    } past[] = {{"wbits", BC_HWERR_BAD_WBITS}, {"abits", BC_HWERR_BAD_ABITS}, {"m", BC_HWERR_BAD_M},
                {"n", BC_HWERR_BAD_N},         {"k", BC_HWERR_BAD_K},         {"a_addr", BC_HWERR_BAD_A_ADDR},
                {"b_addr", BC_HWERR_BAD_B_ADDR}, {"c_addr", BC_HWERR_BAD_C_ADDR}, {"c_end", BC_HWERR_BAD_C_ADDR},
                {"lda", BC_HWERR_BAD_LDA},     {"ldb", BC_HWERR_BAD_LDB},     {"ldc", BC_HWERR_BAD_LDC}};
    for (size_t i = 0; i < sizeof past / sizeof past[0] && !fail; i++) {
        hu_job_t j = {8, 8, 128, 4, 4, true, true};
        hu_layout_t l;
        hu_layout(&j, 0x100000, &l);
        bc_gemm_t g;
        hu_gemm_for(&d, &j, &l, 0x300u + (unsigned)i, &g);
        const char *f = past[i].field;
        if (!strcmp(f, "wbits")) g.wbits = c->max_bits + 1;
        else if (!strcmp(f, "abits")) g.abits = c->max_bits + 1;
        else if (!strcmp(f, "m")) g.m = c->max_m + 1;
        else if (!strcmp(f, "n")) g.n = c->max_n + 1;
        else if (!strcmp(f, "k")) g.k = c->max_k + 1;
        else if (!strcmp(f, "a_addr")) g.a_addr += 4;
        else if (!strcmp(f, "b_addr")) g.b_addr += 4;
        else if (!strcmp(f, "c_addr")) g.c_addr += 4;
        else if (!strcmp(f, "c_end")) g.c_addr = c->win_base + c->win_size - g.ldc * (g.m - 1) - 4 * g.n + 8;
        else if (!strcmp(f, "lda")) g.lda -= 8;
        else if (!strcmp(f, "ldb")) g.ldb -= 8;
        else if (!strcmp(f, "ldc")) g.ldc = 4 * g.n - 8;
        char what[64];
        snprintf(what, sizeof what, "%s one past its limit", f);
        bc_status_t v = bc_gemm_validate(&d.dev, &g);
        if ((uint32_t)v != past[i].code) {
            fprintf(stderr, "  FAILED %s: driver validation says %s\n", what, bc_status_name(v));
            fail = 1;
            break;
        }
        if (bc_gemm_submit_unchecked(&d.dev, &g) != BC_OK) {
            fail = 1;
            break;
        }
        fail = expect_error_state(&d, past[i].code, what);
        if (!fail && rd(&d, BC_REG_ERR_JOB_ID) != g.job_id) {
            fprintf(stderr, "  FAILED %s: ERR_JOB_ID 0x%x, expected 0x%x\n", what, rd(&d, BC_REG_ERR_JOB_ID), g.job_id);
            fail = 1;
        }
        if (!fail)
            fail = clear_errors(&d) || next_job_ok(&d, &r, what);
    }
    hu_close(&d);
    return fail;
}

/* Regressions of RTL bugs found by this suite and the soak, fixed in
 * rtl/top (a05ed64): several M tiles at low precision (few passes per tile)
 * gave wrong results from the third tile on. */
static int regressions(void)
{
    const hu_job_t jobs[] = {
        {25, 3, 64, 1, 1, false, false}, {32, 9, 64, 1, 1, false, false}, {32, 3, 128, 1, 1, false, false},
        {32, 3, 64, 2, 2, false, false}, {4096, 3, 64, 1, 1, false, false},
    };
    hu_opts_t o;
    hu_opts_default(&o);
    hu_dev_t d;
    if (open_sim(&d, &o))
        return 1;
    hu_rng_t r;
    hu_seed(&r, seed);
    int pass = 0, fail = 0;
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
        char what[80];
        snprintf(what, sizeof what, "m %u n %u k %u w%u a%u", jobs[i].m, jobs[i].n, jobs[i].k, jobs[i].wbits,
                 jobs[i].abits);
        int rc = hu_run(&d, &r, &jobs[i], 0x100000, 60000000000ull, what);
        printf("  regression %-29s %s\n", what, rc ? "FAILED" : "ok");
        rc ? fail++ : pass++;
    }
    hu_close(&d);
    return fail;
}

int main(void)
{
    seed = test_env_seed("test_faults", seed);
    printf("test-faults: SEED=%" PRIu64 " (RTL through the simulator library)\n", seed);
    if (!hu_have_sim()) {
        printf("test-faults: the simulator library is not part of this build\nfaults: 0 passed, 1 failed\n");
        return 1;
    }
    struct {
        const char *name;
        int (*fn)(void);
    } tests[] = {
        {"bus error on a read", NULL}, {"bus error on a write", NULL}, {"memory stall, timeout, soft reset", long_stall},
        {"queue overflow", queue_overflow}, {"descriptor limits and one past", limits},
        {"regressions (low-precision multi-tile jobs)", regressions},
    };
    int pass = 0, fail = 0;
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int rc = tests[i].fn ? tests[i].fn() : bus_error((int)i + 1);
        printf("  %-40s %s\n", tests[i].name, rc ? "FAILED" : "ok");
        rc ? fail++ : pass++;
    }
    const unsigned at[] = {50, 400, 3000, 20000};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        int rc = reset_mid_job(at[i], i % 2 ? 0.3 : 0.0);
        printf("  soft reset %5u cycles into a job        %s\n", at[i], rc ? "FAILED" : "ok");
        rc ? fail++ : pass++;
    }
    printf("faults: %d passed, %d failed (%u checks)\n", pass, fail, checks);
    return fail ? 1 : 0;
}
