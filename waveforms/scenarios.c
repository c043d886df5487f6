/* Waveform scenarios: run bitcycle_top under Verilator (sim/lib) through the driver and
 * trace it. Every job pushed to the hardware is logged (from the JOB_* register writes,
 * by a recording HAL) into SCENARIO.jobs, which the tests compare with the switches the
 * extractor finds in the trace.
 *
 *   queue  back-to-back queued jobs switching 8 -> 3 -> 5 -> 8 bits
 *   stall  a switch while the memory stalls (random ready stalls, slow DRAM)
 *   cpt    the firmware's quantized MLP trainer stepping through a CPT schedule
 *   error  a bad descriptor (wbits = 17) in the middle of a queue */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bc_hal_sim.h"
#include "bc_mlp.h"
#include "bc_regs.h"
#include "bc_schedule.h"
#include "bc_sim.h"
#include "bitcycle.h"
#include "fstapi.h"

#define MAX_LOG 4096
#define DEVICE_TIMEOUT_NS 200000000ull /* 40M cycles at 200 MHz: far beyond any scenario */

typedef struct logged_job {
    uint32_t id, prec;
    bool valid;
} logged_job_t;

/* Recording HAL: forwards to the sim backend and logs every JOB_PUSH. */
typedef struct rec_hal {
    bc_hal_t inner;
    uint32_t prec, id;
    bool next_bad;
    logged_job_t log[MAX_LOG];
    size_t n;
} rec_hal_t;

static int rec_read32(void *ctx, uint32_t off, uint32_t *val)
{
    rec_hal_t *r = ctx;
    return r->inner.read32(r->inner.ctx, off, val);
}

static int rec_write32(void *ctx, uint32_t off, uint32_t val)
{
    rec_hal_t *r = ctx;
    if (off == BC_REG_JOB_PREC)
        r->prec = val;
    else if (off == BC_REG_JOB_ID)
        r->id = val;
    int rc = r->inner.write32(r->inner.ctx, off, val);
    if (rc == 0 && off == BC_REG_JOB_PUSH && (val & 1) && r->n < MAX_LOG) {
        r->log[r->n++] = (logged_job_t){r->id, r->prec, !r->next_bad};
        r->next_bad = false;
    }
    return rc;
}

static int rec_wait_irq(void *ctx, uint64_t timeout_ns)
{
    rec_hal_t *r = ctx;
    return r->inner.wait_irq(r->inner.ctx, timeout_ns);
}

static uint64_t rec_now_ns(void *ctx)
{
    rec_hal_t *r = ctx;
    return r->inner.now_ns(r->inner.ctx);
}

static int rec_mem_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
    rec_hal_t *r = ctx;
    return r->inner.mem_read(r->inner.ctx, addr, dst, len);
}

static int rec_mem_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
    rec_hal_t *r = ctx;
    return r->inner.mem_write(r->inner.ctx, addr, src, len);
}

typedef struct scn {
    const char *name;
    bc_sim_t *sim;
    bc_hal_sim_t hs;
    rec_hal_t *rec;
    bc_hal_t hal;
    bc_dev_t dev;
    uint64_t bump;      /* next free device address */
    uint64_t rng;
    FILE *extra;        /* scenario-specific log lines (memstream) */
    char *extra_buf;
    size_t extra_len;
    bool promise_zero_idle;
} scn_t;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "wave_scenarios: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return 1;
}

static uint32_t rnd(scn_t *s)
{
    s->rng = s->rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(s->rng >> 33);
}

/* Random operands at the job's precision, packed, copied to fresh device memory. */
static int place_operands(scn_t *s, bc_gemm_t *g)
{
    unsigned wb = g->wbits <= 16 ? g->wbits : 8, ab = g->abits <= 16 ? g->abits : 8;
    size_t lda = bc_packed_row_bytes(g->k, wb), ldb = bc_packed_row_bytes(g->k, ab);
    size_t ldc = ((size_t)g->n * 4 + 7) & ~(size_t)7;
    int32_t *a = malloc((size_t)g->m * g->k * sizeof *a), *b = malloc((size_t)g->k * g->n * sizeof *b);
    uint64_t *pa = calloc((size_t)g->m * lda / 8 + 1, 8), *pb = calloc((size_t)g->n * ldb / 8 + 1, 8);
    int rc = 0;
    if (!a || !b || !pa || !pb) {
        rc = fail("%s: out of memory", s->name);
        goto out;
    }
    for (size_t i = 0; i < (size_t)g->m * g->k; i++) {
        int32_t v = (int32_t)(rnd(s) & ((1u << wb) - 1));
        a[i] = g->wsigned ? v - (int32_t)(1u << (wb - 1)) : v;
    }
    for (size_t i = 0; i < (size_t)g->k * g->n; i++) {
        int32_t v = (int32_t)(rnd(s) & ((1u << ab) - 1));
        b[i] = g->asigned ? v - (int32_t)(1u << (ab - 1)) : v;
    }
    if (bc_pack(a, g->k, 1, g->m, g->k, wb, pa, lda / 8) != BC_OK ||
        bc_pack(b, 1, g->n, g->n, g->k, ab, pb, ldb / 8) != BC_OK) {
        rc = fail("%s: bc_pack failed", s->name);
        goto out;
    }
    uint64_t base = s->bump;
    g->a_addr = (uint32_t)base;
    g->b_addr = (uint32_t)(base + (uint64_t)g->m * lda);
    g->c_addr = (uint32_t)(g->b_addr + (uint64_t)g->n * ldb);
    g->lda = (uint32_t)lda;
    g->ldb = (uint32_t)ldb;
    g->ldc = (uint32_t)ldc;
    s->bump = (g->c_addr + (uint64_t)g->m * ldc + 63) & ~63ull;
    if (s->bump > (uint64_t)s->dev.cfg.win_base + s->dev.cfg.win_size) {
        rc = fail("%s: scenario operands do not fit the DMA window", s->name);
        goto out;
    }
    if (bc_mem_write(&s->dev, g->a_addr, pa, (size_t)g->m * lda) != BC_OK ||
        bc_mem_write(&s->dev, g->b_addr, pb, (size_t)g->n * ldb) != BC_OK)
        rc = fail("%s: bc_mem_write failed", s->name);
out:
    free(a);
    free(b);
    free(pa);
    free(pb);
    return rc;
}

typedef struct shape {
    unsigned m, n, k, wbits, abits;
    bool wsigned, asigned, bad;
} shape_t;

/* Stage all jobs first, then push them back to back, then wait. */
static int run_queue(scn_t *s, const shape_t *jobs, size_t n, uint32_t first_id)
{
    bc_gemm_t g[16];
    if (n > 16)
        return fail("%s: too many jobs", s->name);
    for (size_t i = 0; i < n; i++) {
        bc_gemm_init(&s->dev, &g[i]);
        g[i].m = jobs[i].m;
        g[i].n = jobs[i].n;
        g[i].k = jobs[i].k;
        g[i].wbits = jobs[i].wbits;
        g[i].abits = jobs[i].abits;
        g[i].wsigned = jobs[i].wsigned;
        g[i].asigned = jobs[i].asigned;
        g[i].job_id = first_id + (uint32_t)i;
        if (place_operands(s, &g[i]))
            return 1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned free_entries = 0;
        uint64_t t0 = bc_sim_cycles(s->sim);
        while (bc_queue_free(&s->dev, &free_entries) == BC_OK && free_entries == 0) {
            if (bc_sim_run(s->sim, 16) != 0 || bc_sim_cycles(s->sim) - t0 > 10000000)
                return fail("%s: command queue never drained", s->name);
        }
        s->rec->next_bad = jobs[i].bad;
        bc_status_t st = jobs[i].bad ? bc_gemm_submit_unchecked(&s->dev, &g[i]) : bc_gemm_submit(&s->dev, &g[i]);
        if (st != BC_OK)
            return fail("%s: submitting job %u: %s", s->name, g[i].job_id, bc_strerror(st));
    }
    bc_status_t st = bc_wait(&s->dev, DEVICE_TIMEOUT_NS);
    if (st != BC_OK && st != BC_E_HW)
        return fail("%s: waiting for the queue: %s", s->name, bc_strerror(st));
    return 0;
}

static int scenario_queue(scn_t *s)
{
    /* A 64-column B panel stays resident while 8-row A blocks stream through, so every
     * job is compute-bound and the next job's operands arrive during the current one. */
    static const shape_t jobs[] = {
        {64, 64, 128, 8, 8, true, false, false},
        {64, 64, 128, 3, 3, true, false, false},
        {64, 64, 128, 5, 5, true, false, false},
        {64, 64, 128, 8, 8, true, false, false},
    };
    s->promise_zero_idle = true;
    return run_queue(s, jobs, sizeof jobs / sizeof jobs[0], 1);
}

static int scenario_stall(scn_t *s)
{
    static const shape_t jobs[] = {
        {32, 32, 256, 8, 8, true, false, false},
        {32, 32, 256, 4, 4, true, false, false},
        {32, 32, 256, 6, 6, true, true, false},
    };
    return run_queue(s, jobs, sizeof jobs / sizeof jobs[0], 1);
}

static int scenario_error(scn_t *s)
{
    static const shape_t jobs[] = {
        {32, 32, 128, 8, 8, true, false, false},
        {32, 32, 128, 17, 4, true, false, true}, /* wbits 17 > MAX_BITS: BAD_WBITS */
        {32, 32, 128, 4, 4, true, false, false},
        {32, 32, 128, 8, 8, true, false, false},
    };
    if (run_queue(s, jobs, sizeof jobs / sizeof jobs[0], 1))
        return 1;
    uint32_t code = 0, job = 0;
    if (bc_reg_read(&s->dev, BC_REG_ERR_CODE, &code) != BC_OK || bc_reg_read(&s->dev, BC_REG_ERR_JOB_ID, &job) != BC_OK)
        return fail("%s: reading ERR_CODE", s->name);
    fprintf(s->extra, "err_code %u\nerr_job_id %u\n", code, job);
    if (code != 1 || job != 2)
        return fail("%s: expected ERR_CODE 1 (BAD_WBITS) for job 2, hardware reports code %u job %u", s->name,
                    code, job);
    return 0;
}

typedef struct cpt_opts {
    const char *schedule;
    unsigned iters, cycles;
} cpt_opts_t;

static int scenario_cpt(scn_t *s, const cpt_opts_t *co)
{
    bc_sched_t fw, bw;
    char err[256];
    if (bc_sched_parse(co->schedule, &fw, err, sizeof err))
        return fail("cpt: --schedule: %s", err);
    bw = bc_sched_static(8);
    bc_mlp_config_t cfg = {.n_layers = 3, .sizes = {64, 32, 32, 10}, .batch = 16, .lr = 0.05f,
                           .momentum = 0.9f, .weight_decay = 0.0f, .seed = s->rng, .quantize_last = false,
                           .timeout_ns = DEVICE_TIMEOUT_NS};
    if (bc_mlp_check_config(&cfg, err, sizeof err))
        return fail("cpt: %s", err);
    size_t ws_bytes = (bc_mlp_workspace_bytes(&cfg) + 15) & ~(size_t)15;
    void *ws = aligned_alloc(16, ws_bytes);
    bc_mlp_t *m = calloc(1, sizeof *m);
    float *x = malloc(sizeof(float) * cfg.batch * cfg.sizes[0]);
    uint8_t *y = malloc(cfg.batch);
    int rc = 0;
    if (!ws || !m || !x || !y) {
        rc = fail("cpt: out of memory");
        goto out;
    }
    if (bc_mlp_init(m, &cfg, ws, ws_bytes, &s->dev, s->bump)) {
        rc = fail("cpt: bc_mlp_init: %s", m->err);
        goto out;
    }
    for (unsigned t = 0; t < co->iters; t++) {
        /* Synthetic batch: the class is the input group with the largest sum. */
        for (unsigned i = 0; i < cfg.batch; i++) {
            float best = -1.0f;
            for (unsigned c = 0; c < 10; c++) {
                float sum = 0.0f;
                for (unsigned j = c * 6; j < c * 6 + 6; j++) {
                    x[i * 64 + j] = (float)(rnd(s) % 1000) / 1000.0f;
                    sum += x[i * 64 + j];
                }
                if (sum > best) {
                    best = sum;
                    y[i] = (uint8_t)c;
                }
            }
            for (unsigned j = 60; j < 64; j++)
                x[i * 64 + j] = (float)(rnd(s) % 1000) / 1000.0f;
        }
        unsigned fb = bc_sched_bits(&fw, t, co->iters, co->cycles), bb = bc_sched_bits(&bw, t, co->iters, co->cycles);
        size_t first_job = s->rec->n;
        float loss = 0.0f;
        unsigned correct = 0;
        bc_mlp_stats_t st;
        memset(&st, 0, sizeof st);
        if (bc_mlp_train_step(m, x, y, cfg.batch, fb, bb, &loss, &correct, &st)) {
            rc = fail("cpt: iteration %u: %s", t, m->err);
            goto out;
        }
        fprintf(s->extra, "iter %u fw %u bw %u jobs %zu loss %.4f\n", t, fb, bb, s->rec->n - first_job, (double)loss);
    }
out:
    free(ws);
    free(m);
    free(x);
    free(y);
    return rc;
}

/* The simulator library writes FST only; VCD is converted with fstapi's own writer. */
static int fst_to_vcd(const char *fst, const char *vcd)
{
    void *r = fstReaderOpen(fst);
    if (!r)
        return fail("%s: cannot reopen the trace for VCD conversion", fst);
    FILE *fp = fopen(vcd, "w");
    if (!fp) {
        fstReaderClose(r);
        return fail("%s: %s", vcd, strerror(errno));
    }
    fstReaderProcessHier(r, fp);
    fstReaderSetFacProcessMaskAll(r); /* after the hierarchy: it sizes the mask */
    int ok = fstReaderIterBlocks(r, NULL, NULL, fp);
    fstReaderClose(r);
    if (fclose(fp) != 0 || !ok)
        return fail("%s: VCD conversion failed", vcd);
    return 0;
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: wave_scenarios SCENARIO -d DIR [--vcd] [--start CYCLE] [--end CYCLE] [--trigger N]\n"
            "                      [--seed S] [--schedule SPEC --iters N --cycles N] [--name OUT]\n"
            "SCENARIO: queue | stall | cpt | error. Writes DIR/OUT.fst (or .vcd) and DIR/OUT.jobs\n"
            "(OUT defaults to SCENARIO).\n"
            "  --start/--end  trace only cycles [start, end)   --trigger N  only +-N cycles around switches\n");
}

static bool parse_u64(const char *opt, const char *s, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || !*s || *end || s[0] == '-') {
        fail("%s: '%s' is not a non-negative integer", opt, s);
        return false;
    }
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},    {"vcd", no_argument, NULL, 'v'},
        {"start", required_argument, NULL, 's'},  {"end", required_argument, NULL, 'e'},
        {"trigger", required_argument, NULL, 't'}, {"seed", required_argument, NULL, 'S'},
        {"schedule", required_argument, NULL, 'p'}, {"iters", required_argument, NULL, 'i'},
        {"cycles", required_argument, NULL, 'c'}, {"name", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *out_name = NULL;
    bool vcd = false;
    uint64_t start = 0, end = 0, trigger = 0, seed = 1, iters = 8, cycles = 2;
    cpt_opts_t co = {"cpt:3-8", 8, 2};
    int c;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir = optarg; break;
        case 'n': out_name = optarg; break;
        case 'v': vcd = true; break;
        case 's': if (!parse_u64("--start", optarg, &start)) return 2; break;
        case 'e': if (!parse_u64("--end", optarg, &end)) return 2; break;
        case 't': if (!parse_u64("--trigger", optarg, &trigger)) return 2; break;
        case 'S': if (!parse_u64("--seed", optarg, &seed)) return 2; break;
        case 'p': co.schedule = optarg; break;
        case 'i': if (!parse_u64("--iters", optarg, &iters) || iters == 0 || iters > 1000) return fail("--iters: 1..1000"), 2; break;
        case 'c': if (!parse_u64("--cycles", optarg, &cycles) || cycles == 0 || cycles > iters) return fail("--cycles: 1..iters"), 2; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    co.iters = (unsigned)iters;
    co.cycles = (unsigned)cycles;
    if (optind != argc - 1 || !dir) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[optind];
    if (strcmp(name, "queue") && strcmp(name, "stall") && strcmp(name, "cpt") && strcmp(name, "error"))
        return fail("unknown scenario '%s' (queue, stall, cpt, error)", name), 2;
    if (end && end <= start)
        return fail("--end %llu must be after --start %llu", (unsigned long long)end, (unsigned long long)start), 2;

    if (!out_name)
        out_name = name;
    for (const char *q = out_name; *q; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_' || *q == '-'))
            return fail("--name '%s': use lower-case letters, digits, '_' and '-'", out_name), 2;
    const char *ext = vcd ? "vcd" : "fst";
    char trace[1024], trace_tmp[1100], jobs[1024], jobs_tmp[1100];
    char fst_tmp[1100];
    snprintf(trace, sizeof trace, "%s/%s.%s", dir, out_name, ext);
    snprintf(trace_tmp, sizeof trace_tmp, "%s/%s.tmp%ld.%s", dir, out_name, (long)getpid(), ext);
    snprintf(fst_tmp, sizeof fst_tmp, "%s/%s.tmp%ld.fst", dir, out_name, (long)getpid());
    snprintf(jobs, sizeof jobs, "%s/%s.jobs", dir, out_name);
    snprintf(jobs_tmp, sizeof jobs_tmp, "%s.tmp%ld", jobs, (long)getpid());

    bc_sim_config_t cfg;
    bc_sim_config_default(&cfg);
    cfg.trace_path = fst_tmp;
    cfg.trace_start = start;
    cfg.trace_end = end;
    cfg.trace_on_switch = trigger > 0;
    cfg.trace_switch_window = (unsigned)trigger;
    cfg.seed = seed;
    if (!strcmp(name, "stall")) {
        cfg.stall_prob = 0.3;
        cfg.rd_latency = 24;
        cfg.bytes_per_cycle = 4;
    }
    scn_t s = {.name = name, .rng = seed * 0x9e3779b97f4a7c15ull + 1};
    char err[512];
    s.sim = bc_sim_create(&cfg, err, sizeof err);
    if (!s.sim)
        return fail("%s: bc_sim_create: %s", name, err);
    s.rec = calloc(1, sizeof *s.rec);
    s.extra = open_memstream(&s.extra_buf, &s.extra_len);
    int rc = 0;
    if (!s.rec || !s.extra) {
        rc = fail("out of memory");
        goto done;
    }
    s.hs = (bc_hal_sim_t){.sim = s.sim, .clock_hz = 0};
    bc_hal_sim_init(&s.rec->inner, &s.hs);
    s.rec->prec = BC_REG_JOB_PREC_RESET;
    s.hal = (bc_hal_t){.ctx = s.rec, .name = "sim+record", .read32 = rec_read32, .write32 = rec_write32,
                       .wait_irq = s.rec->inner.wait_irq ? rec_wait_irq : NULL, .now_ns = rec_now_ns,
                       .mem_read = rec_mem_read, .mem_write = rec_mem_write};
    bc_status_t st = bc_open(&s.dev, &s.hal);
    if (st != BC_OK) {
        rc = fail("%s: bc_open: %s", name, bc_strerror(st));
        goto done;
    }
    s.bump = s.dev.cfg.win_base + 4096;
    bc_counters_t c0, c1;
    if (bc_counters_read(&s.dev, &c0) != BC_OK) {
        rc = fail("%s: reading counters", name);
        goto done;
    }
    if (!strcmp(name, "queue"))
        rc = scenario_queue(&s);
    else if (!strcmp(name, "stall"))
        rc = scenario_stall(&s);
    else if (!strcmp(name, "error"))
        rc = scenario_error(&s);
    else
        rc = scenario_cpt(&s, &co);
    if (rc)
        goto done;
    bc_sim_run(s.sim, 32); /* a quiet tail after the last job */
    if (bc_counters_read(&s.dev, &c1) != BC_OK) {
        rc = fail("%s: reading counters", name);
        goto done;
    }
    fclose(s.extra);
    s.extra = NULL;

    FILE *fp = fopen(jobs_tmp, "w");
    if (!fp) {
        rc = fail("%s: %s", jobs_tmp, strerror(errno));
        goto done;
    }
    fprintf(fp, "# bitcycle waveform scenario: jobs pushed to JOB_PUSH, in order\n");
    fprintf(fp, "scenario %s\nseed %llu\npromise_zero_idle %d\n", name, (unsigned long long)seed, s.promise_zero_idle);
    fprintf(fp, "window %llu %llu %llu\n", (unsigned long long)start, (unsigned long long)end,
            (unsigned long long)trigger);
    for (size_t i = 0; i < s.rec->n; i++) {
        uint32_t p = s.rec->log[i].prec;
        fprintf(fp, "job %u %u %u %u %u %d\n", s.rec->log[i].id, (p & BC_JOB_PREC_WBITS_MASK) >> BC_JOB_PREC_WBITS_SHIFT,
                (p & BC_JOB_PREC_ABITS_MASK) >> BC_JOB_PREC_ABITS_SHIFT,
                (p & BC_JOB_PREC_WSIGNED_MASK) >> BC_JOB_PREC_WSIGNED_SHIFT,
                (p & BC_JOB_PREC_ASIGNED_MASK) >> BC_JOB_PREC_ASIGNED_SHIFT, s.rec->log[i].valid);
    }
    fprintf(fp, "hw_switches %llu\nhw_jobs %llu\ncycles %llu\n", (unsigned long long)(c1.switches - c0.switches),
            (unsigned long long)(c1.jobs - c0.jobs), (unsigned long long)bc_sim_cycles(s.sim));
    fwrite(s.extra_buf, 1, s.extra_len, fp);
    if (fclose(fp) != 0) {
        rc = fail("%s: write error", jobs_tmp);
        goto done;
    }
done:;
    size_t njobs = s.rec ? s.rec->n : 0;
    uint64_t ncycles = bc_sim_cycles(s.sim);
    if (s.extra)
        fclose(s.extra);
    free(s.extra_buf);
    bc_sim_destroy(s.sim); /* closes the trace */
    free(s.rec);
    if (!rc && vcd) {
        rc = fst_to_vcd(fst_tmp, trace_tmp);
        unlink(fst_tmp);
    }
    if (rc) {
        unlink(fst_tmp);
        unlink(trace_tmp);
        unlink(jobs_tmp);
        return rc;
    }
    if (rename(trace_tmp, trace) != 0 || rename(jobs_tmp, jobs) != 0)
        return fail("%s: %s", trace, strerror(errno));
    printf("%s: %zu jobs, %llu cycles -> %s\n", name, njobs, (unsigned long long)ncycles, trace);
    return 0;
}
