/* Calibration on the RTL: runs jobs through the simulator library (sim/lib)
 * with the driver's sim backend and reads the hardware counters. Built with
 * the simulator only when sim/sim.mk provides it (EST_HAVE_SIM, set by
 * host/est/est.mk); without it, calibration reports that it cannot run. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "est.h"
#include "est_rtl.h"

#if EST_HAVE_SIM
#include "bc_hal_sim.h"
#include "bc_sim.h"
#include "bitcycle.h"

struct est_rtl {
    bc_sim_t *sim;
    bc_hal_sim_t hs;
    bc_hal_t hal;
    bc_dev_t dev;
    uint64_t rng;
    unsigned mem_latency, mem_bytes_per_cycle;
};

/* Operands live at fixed places in the DMA window; their content does not
 * change timing, so one random fill serves every job. */
#define EST_RTL_A 0x0000000u
#define EST_RTL_B 0x0400000u
#define EST_RTL_C 0x0800000u
#define EST_RTL_END 0x1000000u

est_rtl_t *est_rtl_open(char *err, size_t errlen)
{
    return est_rtl_open_mem(NULL, err, errlen);
}

est_rtl_t *est_rtl_open_mem(const bc_hw_t *mem, char *err, size_t errlen)
{
    est_rtl_t *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    bc_sim_config_t cfg;
    bc_sim_config_default(&cfg);
    if (mem) { /* the memory model the estimate assumes (checked by est_hw_rtl_check) */
        cfg.rd_latency = cfg.wr_latency = mem->mem_latency;
        cfg.bytes_per_cycle = (unsigned)mem->mem_bytes_per_cycle;
    }
    r->mem_latency = cfg.rd_latency;
    r->mem_bytes_per_cycle = cfg.bytes_per_cycle;
    if (cfg.mem_bytes < EST_RTL_END)
        cfg.mem_bytes = EST_RTL_END;
    r->sim = bc_sim_create(&cfg, err, errlen);
    if (!r->sim) {
        free(r);
        return NULL;
    }
    memset(&r->hs, 0, sizeof r->hs);
    r->hs.sim = r->sim;
    bc_hal_sim_init(&r->hal, &r->hs);
    bc_status_t st = bc_open(&r->dev, &r->hal);
    if (st != BC_OK) {
        snprintf(err, errlen, "bc_open on the RTL: %s", bc_strerror(st));
        est_rtl_close(r);
        return NULL;
    }
    uint32_t base = r->dev.cfg.win_base;
    if (r->dev.cfg.win_size < EST_RTL_END) {
        snprintf(err, errlen, "the RTL's DMA window (%u bytes) is smaller than the %u bytes calibration needs",
                 r->dev.cfg.win_size, EST_RTL_END);
        est_rtl_close(r);
        return NULL;
    }
    uint64_t x = 0x9e3779b97f4a7c15ull;
    uint64_t buf[512];
    for (uint32_t off = 0; off < EST_RTL_C; off += sizeof buf) {
        for (size_t i = 0; i < 512; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            buf[i] = x;
        }
        st = bc_mem_write(&r->dev, base + off, buf, sizeof buf);
        if (st != BC_OK) {
            snprintf(err, errlen, "filling operand memory: %s", bc_strerror(st));
            est_rtl_close(r);
            return NULL;
        }
    }
    return r;
}

void est_rtl_close(est_rtl_t *r)
{
    if (!r)
        return;
    if (r->sim)
        bc_sim_destroy(r->sim);
    free(r);
}

void est_rtl_hw(const est_rtl_t *r, bc_hw_t *hw)
{
    bc_hw_default(hw);
    hw->dm = r->dev.cfg.dm;
    hw->dn = r->dev.cfg.dn;
    hw->dk = r->dev.cfg.dk;
    hw->abuf_words = r->dev.cfg.abuf_words;
    hw->bbuf_words = r->dev.cfg.bbuf_words;
    hw->queue_depth = r->dev.cfg.queue_depth;
    hw->bus_bytes = r->dev.cfg.axi_bits / 8;
    hw->mem_latency = r->mem_latency;
    hw->mem_bytes_per_cycle = r->mem_bytes_per_cycle;
}

static int fill_gemm(est_rtl_t *r, const bc_job_shape_t *s, bc_gemm_t *out, char *err, size_t errlen);
static void events_of(const bc_counters_t *d, bc_events_t *ev);

int est_rtl_stream(est_rtl_t *r, const bc_job_shape_t *jobs, size_t n, bc_events_t *ev, char *err, size_t errlen)
{
    bc_counters_t before, after, d;
    bc_status_t st = bc_counters_read(&r->dev, &before);
    for (size_t i = 0; i < n && st == BC_OK; i++) {
        bc_gemm_t g;
        if (fill_gemm(r, &jobs[i], &g, err, errlen))
            return -1;
        /* a full queue frees an entry as the engine proceeds; every STATUS
         * read advances the simulation, so this cannot spin forever */
        unsigned long tries = 0;
        while ((st = bc_gemm_submit(&r->dev, &g)) == BC_E_QUEUE_FULL && ++tries < 100000000ul)
            ;
    }
    if (st == BC_OK)
        st = bc_wait(&r->dev, 10ull * 1000 * 1000 * 1000);
    if (st == BC_OK)
        st = bc_counters_read(&r->dev, &after);
    if (st != BC_OK) {
        snprintf(err, errlen, "RTL stream of %zu jobs: %s", n, bc_strerror(st));
        return -1;
    }
    bc_counters_diff(&after, &before, &d);
    events_of(&d, ev);
    return 0;
}

static int fill_gemm(est_rtl_t *r, const bc_job_shape_t *s, bc_gemm_t *out, char *err, size_t errlen)
{
    bc_gemm_t g;
    bc_gemm_init(&r->dev, &g);
    uint32_t base = r->dev.cfg.win_base;
    g.m = s->m;
    g.n = s->n;
    g.k = s->k;
    g.wbits = s->wbits;
    g.abits = s->abits;
    g.wsigned = s->wsigned;
    g.asigned = s->asigned;
    bc_gemm_default_strides(&g);
    g.a_addr = base + EST_RTL_A;
    g.b_addr = base + EST_RTL_B;
    g.c_addr = base + EST_RTL_C;
    if ((uint64_t)g.lda * g.m > EST_RTL_B - EST_RTL_A || (uint64_t)g.ldb * g.n > EST_RTL_C - EST_RTL_B ||
        (uint64_t)g.ldc * g.m > EST_RTL_END - EST_RTL_C) {
        snprintf(err, errlen, "job %ux%ux%u does not fit the calibration memory", s->m, s->n, s->k);
        return -1;
    }
    *out = g;
    return 0;
}

static void events_of(const bc_counters_t *d, bc_events_t *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->cycles = d->busy;
    ev->busy = d->busy;
    ev->compute = d->compute;
    ev->stall = d->stall;
    ev->passes = d->passes;
    ev->dpu_active = d->dpu_active;
    ev->abuf_reads = d->abuf_reads;
    ev->bbuf_reads = d->bbuf_reads;
    ev->abuf_writes = d->abuf_writes;
    ev->bbuf_writes = d->bbuf_writes;
    ev->tiles = d->tiles;
    ev->jobs = d->jobs;
    ev->switches = d->switches;
    ev->dram_rd_bytes = d->dram_rd_bytes;
    ev->dram_wr_bytes = d->dram_wr_bytes;
}

int est_rtl_job(est_rtl_t *r, const bc_job_shape_t *s, bc_events_t *ev, char *err, size_t errlen)
{
    bc_gemm_t g;
    if (fill_gemm(r, s, &g, err, errlen))
        return -1;
    bc_counters_t before, after, d;
    bc_status_t st = bc_counters_read(&r->dev, &before);
    if (st == BC_OK)
        st = bc_gemm_run(&r->dev, &g, 10ull * 1000 * 1000 * 1000);
    if (st == BC_OK)
        st = bc_counters_read(&r->dev, &after);
    if (st != BC_OK) {
        snprintf(err, errlen, "RTL job %ux%ux%u at %u/%u bits: %s", s->m, s->n, s->k, s->wbits, s->abits,
                 bc_strerror(st));
        return -1;
    }
    bc_counters_diff(&after, &before, &d);
    events_of(&d, ev);
    return 0;
}

bool est_rtl_available(void)
{
    return true;
}

#else /* no simulator library in this build */

est_rtl_t *est_rtl_open(char *err, size_t errlen)
{
    snprintf(err, errlen, "the simulator library (sim/lib) is not part of this build");
    return NULL;
}
est_rtl_t *est_rtl_open_mem(const bc_hw_t *mem, char *err, size_t errlen)
{
    (void)mem;
    return est_rtl_open(err, errlen);
}
void est_rtl_close(est_rtl_t *r)
{
    (void)r;
}
void est_rtl_hw(const est_rtl_t *r, bc_hw_t *hw)
{
    (void)r;
    bc_hw_default(hw);
}
int est_rtl_job(est_rtl_t *r, const bc_job_shape_t *s, bc_events_t *ev, char *err, size_t errlen)
{
    (void)r, (void)s, (void)ev;
    snprintf(err, errlen, "the simulator library (sim/lib) is not part of this build");
    return -1;
}
int est_rtl_stream(est_rtl_t *r, const bc_job_shape_t *jobs, size_t n, bc_events_t *ev, char *err, size_t errlen)
{
    (void)r, (void)jobs, (void)n, (void)ev;
    snprintf(err, errlen, "the simulator library (sim/lib) is not part of this build");
    return -1;
}
bool est_rtl_available(void)
{
    return false;
}
#endif

/* The calibration grid. A synthetic part exercises one and many tiles, blocks
 * and panels, K within one chunk and across many, at low, mixed and high
 * precision; a second part holds the job shapes real training produces
 * (CIFAR ResNet forward, transposed-convolution error and weight-gradient
 * GEMMs, split at the descriptor limits): N up to 4096, K up to 2048,
 * write-back-bound shapes with a small K, read-bound shapes with a long K,
 * a panel rule with a non-power-of-two KC x abits and the FC layer's tiny
 * jobs. Level 0 is a quick subset (tests), 1 the default. */
static const unsigned grid_real[][3] = {
    {16, 4096, 144}, {16, 4096, 27}, {32, 1024, 288}, {64, 256, 576}, {16, 144, 2048},
    {32, 288, 2048}, {64, 576, 256}, {32, 4096, 64}, {16, 27, 2048}, {64, 64, 2048},
    {24, 1000, 300}, {64, 4, 10}, {10, 64, 128}, {144, 144, 16}, {576, 4, 40},
};
/* (the whole default grid stays within 256 jobs) */
static const unsigned grid_real_bits[][2] = {{2, 2}, {3, 3}, {8, 3}, {3, 8}, {8, 8}};

#define EST_CALIB_GRID_MAX 512
static size_t grid_add(bc_job_shape_t *out, size_t n, size_t max, unsigned m, unsigned nn, unsigned k,
                       unsigned wb, unsigned ab, bool asigned)
{
    if (n < max)
        out[n] = (bc_job_shape_t){.m = m, .n = nn, .k = k, .wbits = wb, .abits = ab, .wsigned = true,
                                  .asigned = asigned};
    return n + 1;
}

size_t est_calib_grid(const bc_hw_t *hw, unsigned level, bc_job_shape_t *out, size_t max)
{
    static const unsigned ms0[] = {8, 24}, ns0[] = {8, 40}, ks0[] = {64, 300};
    static const unsigned ms1[] = {8, 24, 72}, ns1[] = {8, 40, 136}, ks1[] = {64, 300, 1000};
    static const unsigned bits0[][2] = {{2, 2}, {8, 8}, {3, 8}};
    static const unsigned bits1[][2] = {{1, 1}, {2, 2}, {4, 4}, {8, 8}, {3, 8}, {8, 5}, {16, 16}};
    const unsigned *ms = level ? ms1 : ms0, *ns = level ? ns1 : ns0, *ks = level ? ks1 : ks0;
    size_t nm = level ? 3 : 2, nn = level ? 3 : 2, nk = level ? 3 : 2;
    const unsigned(*bits)[2] = level ? bits1 : bits0;
    size_t nb = level ? sizeof bits1 / sizeof bits1[0] : sizeof bits0 / sizeof bits0[0];
    size_t n = 0;
    (void)hw;
    for (size_t b = 0; b < nb; b++)
        for (size_t i = 0; i < nm; i++)
            for (size_t j = 0; j < nn; j++)
                for (size_t q = 0; q < nk; q++) {
                    /* keep the 16x16 corner small: it is the slowest to simulate */
                    if (bits[b][0] == 16 && (i + j + q) > 2)
                        continue;
                    n = grid_add(out, n, max, ms[i], ns[j], ks[q], bits[b][0], bits[b][1], (b & 1) != 0);
                }
    /* real shapes: all of them at every precision pair by default, a few at two
     * pairs in the quick grid (all within the descriptor limits) */
    size_t nr = sizeof grid_real / sizeof grid_real[0], nrb = sizeof grid_real_bits / sizeof grid_real_bits[0];
    for (size_t r = 0; r < nr; r += level ? 1 : 4)
        for (size_t b = 0; b < nrb; b += level ? 1 : 4) {
            const unsigned *g = grid_real[r];
            n = grid_add(out, n, max, g[0], g[1], g[2], grid_real_bits[b][0], grid_real_bits[b][1], true);
        }
    return n;
}

int est_calibrate_rtl(const bc_hw_t *hw_in, unsigned level, bool progress, est_calib_file_t *out,
                      est_calib_point_t **points, size_t *npoints, char *err, size_t errlen)
{
    if (!est_rtl_available()) {
        snprintf(err, errlen, "the simulator library (sim/lib) is not part of this build");
        return 0;
    }
    est_rtl_t *r = est_rtl_open_mem(hw_in, err, errlen);
    if (!r)
        return -1;
    bc_hw_t hw;
    est_rtl_hw(r, &hw);
    bc_job_shape_t shapes[EST_CALIB_GRID_MAX];
    size_t n = est_calib_grid(&hw, level, shapes, EST_CALIB_GRID_MAX);
    if (n > EST_CALIB_GRID_MAX)
        n = EST_CALIB_GRID_MAX;
    est_calib_point_t *pts = calloc(n, sizeof *pts);
    if (!pts) {
        est_rtl_close(r);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    bc_progress_t pb;
    if (progress)
        bc_progress_start(&pb, "calibrate", n);
    int rc = 1;
    for (size_t i = 0; i < n; i++) {
        bc_events_t ev;
        if (est_rtl_job(r, &shapes[i], &ev, err, errlen)) {
            rc = -1;
            break;
        }
        pts[i].shape = shapes[i];
        pts[i].measured_cycles = ev.cycles;
        if (progress)
            bc_progress_step(&pb, i + 1);
    }
    if (progress)
        bc_progress_end(&pb);
    est_rtl_close(r);
    if (rc == 1) {
        memset(out, 0, sizeof *out);
        if (!est_calib_fit(&hw, pts, n, &out->cal, &out->max_rel_err, err, errlen))
            rc = -1;
        out->points = (unsigned)n;
        est_hw_config_str(&hw, out->config, sizeof out->config);
    }
    if (rc == 1 && points) {
        *points = pts;
        *npoints = n;
    } else {
        free(pts);
    }
    return rc;
}

bool est_calib_obtain(const char *path, const char *filelist, bool allow_run, bc_calib_t *cal, char *note,
                      size_t notelen, char *err, size_t errlen)
{
    bc_calib_default(cal);
    est_calib_file_t f;
    char rerr[512] = "";
    int have = est_calib_read(path, &f, rerr, sizeof rerr);
    if (have < 0) {
        snprintf(err, errlen, "%s", rerr);
        return false;
    }
    char hash[17];
    if (!est_rtl_hash(filelist, hash, rerr, sizeof rerr)) {
        if (have == 1) {
            *cal = f.cal;
            snprintf(note, notelen, "%s (RTL sources not found, %s; staleness not checked)", path, rerr);
        } else {
            snprintf(note, notelen, "analytical defaults (no calibration file at %s and no RTL sources: %s)",
                     path, rerr);
        }
        return true;
    }
    bc_hw_t hw;
    bc_hw_default(&hw);
    char cfg[160];
    est_hw_config_str(&hw, cfg, sizeof cfg);
    if (have == 1 && !strcmp(f.rtl_hash, hash) && !strcmp(f.config, cfg)) {
        *cal = f.cal;
        snprintf(note, notelen, "%s (rtl %s, %u RTL jobs, worst cycle error %.2f%%)", path, hash, f.points,
                 100.0 * f.max_rel_err);
        return true;
    }
    const char *why = have == 1 ? "stale: RTL sources or configuration changed" : "missing";
    if (!allow_run) {
        snprintf(note, notelen, "analytical defaults (calibration %s %s)", path, why);
        return true;
    }
    fprintf(stderr, "bitcycle: calibration %s is %s; running 'bitcycle calibrate'\n", path, why);
    est_calib_file_t nf;
    int rc = est_calibrate_rtl(&hw, 1, true, &nf, NULL, NULL, rerr, sizeof rerr);
    if (rc == 0) {
        fprintf(stderr, "bitcycle: cannot calibrate: %s; using the analytical defaults\n", rerr);
        snprintf(note, notelen, "analytical defaults (calibration %s %s; %s)", path, why, rerr);
        return true;
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s", rerr);
        return false;
    }
    snprintf(nf.rtl_hash, sizeof nf.rtl_hash, "%s", hash);
    if (!est_calib_write(path, &nf, rerr, sizeof rerr)) {
        snprintf(err, errlen, "%s", rerr);
        return false;
    }
    *cal = nf.cal;
    snprintf(note, notelen, "%s (recalibrated now: rtl %s, %u RTL jobs, worst cycle error %.2f%%)", path, hash,
             nf.points, 100.0 * nf.max_rel_err);
    return true;
}
