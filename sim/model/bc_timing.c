/* Analytical timing and event model of bitcycle_top; see bc_timing.h. */
#include "bc_timing.h"

#include <string.h>

void bc_hw_default(bc_hw_t *hw)
{
    /* the default configuration of the register description (bc_regs.h) */
    hw->dm = BC_PARAM_DM;
    hw->dn = BC_PARAM_DN;
    hw->dk = BC_PARAM_DK;
    hw->abuf_words = BC_PARAM_ABUF_WORDS;
    hw->bbuf_words = BC_PARAM_BBUF_WORDS;
    hw->queue_depth = BC_PARAM_QUEUE_DEPTH;
    hw->clock_hz = 200e6;
    hw->mem_bytes_per_cycle = 8.0;
    hw->mem_latency = 20;
}

void bc_calib_default(bc_calib_t *cal)
{
    /* Measured on the RTL by `bitcycle calibrate`; these are the defaults it
     * reproduces on the default configuration. */
    cal->job_overhead = 0.0;
    cal->block_overhead = 10.8;
    cal->tile_overhead = 0.75;
}

unsigned bc_timing_kc(unsigned k, unsigned dk)
{
    return dk ? (k + dk - 1) / dk : 0;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return b ? (a + b - 1) / b : 0;
}

unsigned bc_timing_panel_tiles(const bc_hw_t *hw, unsigned kc, unsigned abits, unsigned n)
{
    unsigned nt = (unsigned)ceil_div(n, hw->dn);
    unsigned per_tile = kc * abits;
    unsigned fit = per_tile ? (hw->bbuf_words / 2) / per_tile : 1;
    if (fit < 1)
        fit = 1;
    return nt < fit ? nt : fit;
}

uint64_t bc_timing_compute_cycles(const bc_hw_t *hw, const bc_job_shape_t *job)
{
    uint64_t kc = bc_timing_kc(job->k, hw->dk);
    uint64_t tiles = ceil_div(job->m, hw->dm) * ceil_div(job->n, hw->dn);
    return tiles * kc * job->wbits * job->abits;
}

/* Write-back engine (rtl/top/bc_wb.sv) at burst granularity. Each C row of a
 * tile is one INCR burst of L = ceil(cols/2) beats; the memory accepts W beats
 * from the cycle after AW, so bursts start L + 2 cycles apart. At most
 * WB_OUTSTANDING bursts await their write response: a burst can start only once
 * the response of the burst four before it is back (L + write latency + 2 after
 * that burst's start). Between the last burst of a tile and the first of the
 * next, the tile-end states and the core's result hand-off take L + 7 cycles
 * (measured on the RTL). A job ends when its last response is back. */
#define WB_OUTSTANDING 4
#define WB_SIM_TILES 12

typedef struct wb_sim {
    double ob[WB_OUTSTANDING]; /* start + L + latency + 2 of the last bursts, ring */
    unsigned ob_i;
    double next_start;         /* earliest start of the next burst */
    double arrival;            /* core: when the last result was ready */
    double accept;             /* when the WB took the last result */
    double end;                /* last write response back */
} wb_sim_t;

static void wb_sim_init(wb_sim_t *w)
{
    memset(w, 0, sizeof *w);
    w->arrival = -1e30;
    w->accept = -1e30;
}

/* One tile: the core finishes it `core` cycles after the previous one (and not
 * before the WB took the previous result); first_ready is when the first tile
 * can be ready at all. */
static void wb_sim_tile(wb_sim_t *w, unsigned rows, unsigned cols, double core, double first_ready,
                        double latency)
{
    double arrival = w->arrival + core;
    if (arrival < w->accept + 1.0)
        arrival = w->accept + 1.0;
    if (arrival < first_ready)
        arrival = first_ready;
    double accept = arrival > w->next_start - 1.0 ? arrival : w->next_start - 1.0;
    double L = (double)((cols + 1) / 2), s = accept + 1.0, last = s;
    for (unsigned r = 0; r < rows; r++) {
        double free_at = w->ob[w->ob_i];
        if (s < free_at)
            s = free_at;
        w->ob[w->ob_i] = s + L + latency + 2.0;
        w->ob_i = (w->ob_i + 1) % WB_OUTSTANDING;
        last = s;
        s += L + 2.0;
    }
    w->next_start = last + L + 7.0;
    w->end = last + L + latency + 2.0;
    w->arrival = arrival;
    w->accept = accept;
}

/* Steady-state cycles per tile of a long run of identical tiles, and the
 * cycles from the last such tile's hand-off to the job's end. */
static void wb_period(unsigned rows, unsigned cols, double core, double latency, double *period,
                      double *tail)
{
    wb_sim_t w;
    wb_sim_init(&w);
    double acc[WB_SIM_TILES];
    for (unsigned i = 0; i < WB_SIM_TILES; i++) {
        wb_sim_tile(&w, rows, cols, core, 0.0, latency);
        acc[i] = w.accept;
    }
    *period = (acc[WB_SIM_TILES - 1] - acc[WB_SIM_TILES - 5]) / 4.0;
    *tail = w.end - w.accept;
}

/* The parts of one job's time, shared by the single-job and the stream models. */
typedef struct job_parts {
    double overhead;  /* pop and validation */
    double startup;   /* latency + first A block + first B column tile */
    double extra0;    /* first block slower than its passes: the rest of panel 0 streams in */
    double compute;   /* pass cycles (+ calibrated tile/block overheads), without extra0 */
    double mem;       /* memory-bound body */
    double drain;     /* last C tile out */
    double last_block; /* compute time of the job's last A block */
    double wb_span;   /* first pass to the last write response, write-back bound */
    double wb_tail;   /* last tile's hand-off to its last write response */
    uint64_t blocks;
} job_parts_t;

static bool job_events(const bc_hw_t *hw, const bc_calib_t *cal, const bc_job_shape_t *job,
                       bc_events_t *out, job_parts_t *pt)
{
    memset(out, 0, sizeof *out);
    memset(pt, 0, sizeof *pt);
    if (!job->m || !job->n || !job->k || !job->wbits || !job->abits || !hw->dm || !hw->dn ||
        !hw->dk)
        return false;
    uint64_t kc = bc_timing_kc(job->k, hw->dk);
    uint64_t mt = ceil_div(job->m, hw->dm);
    uint64_t nt = ceil_div(job->n, hw->dn);
    uint64_t panel = bc_timing_panel_tiles(hw, (unsigned)kc, job->abits, job->n);
    uint64_t npanels = ceil_div(nt, panel);
    uint64_t pass = kc * job->wbits * job->abits;

    out->tiles = mt * nt;
    out->jobs = 1;
    out->compute = out->tiles * pass;
    out->passes = out->tiles * job->wbits * job->abits;
    out->dpu_active = (uint64_t)job->m * job->n * pass;
    /* The array reads an A plane word per valid row once per (chunk, i) and a B
     * plane word per valid column on every pass. */
    out->abuf_reads = (uint64_t)job->m * nt * kc * job->wbits;
    out->bbuf_reads = (uint64_t)job->n * mt * pass;
    out->abuf_writes = npanels * job->m * kc * job->wbits;
    out->bbuf_writes = (uint64_t)job->n * kc * job->abits;
    out->dram_rd_bytes = 8 * (out->abuf_writes + out->bbuf_writes);
    out->dram_wr_bytes = 4ull * job->m * job->n;

    double bw = hw->mem_bytes_per_cycle > 0 ? hw->mem_bytes_per_cycle : 8.0;
    if (bw > 8.0)
        bw = 8.0;
    /* Before the first pass: the first A block and the first B column tile
     * (B panels are fetched one column tile per request). */
    uint64_t rows_a0 = hw->dm < job->m ? hw->dm : job->m;
    uint64_t cols_b0 = hw->dn < job->n ? hw->dn : job->n;
    pt->startup = hw->mem_latency + 8.0 * (double)kc * (double)(rows_a0 * job->wbits + cols_b0 * job->abits) / bw;
    /* First block: its column tiles can run no faster than the rest of the first
     * panel streams in, sharing the bus with the C rows already being written. */
    uint64_t p0 = panel < nt ? panel : nt;
    double btile_bytes = 8.0 * (double)hw->dn * (double)kc * job->abits;
    double ctile_bytes = 4.0 * (double)rows_a0 * (double)hw->dn;
    double block0 = (double)p0 * (double)pass;
    uint64_t last_cols = job->n - (nt - 1) * hw->dn;
    double stream0 = (double)pass + (double)(p0 - 1) * (btile_bytes + ctile_bytes) / bw;
    if (p0 == nt && p0 > 1) /* the job's last column tile is narrower */
        stream0 -= (btile_bytes + ctile_bytes) * (1.0 - (double)last_cols / (double)hw->dn) / bw;
    pt->extra0 = stream0 > block0 ? stream0 - block0 : 0.0;
    /* After the last pass: the last C tile goes out. */
    pt->drain = 4.0 * (double)(job->m - (mt - 1) * hw->dm) * (double)last_cols / bw + 2.0;
    pt->mem = (double)(out->dram_rd_bytes + out->dram_wr_bytes) / bw - pt->startup + hw->mem_latency;
    pt->compute = (double)out->tiles * (double)pass + cal->tile_overhead * (double)out->tiles +
                  cal->block_overhead * (double)(npanels * mt);
    pt->overhead = cal->job_overhead;
    uint64_t p_last = nt - (npanels - 1) * panel;
    pt->last_block = (double)p_last * ((double)pass + cal->tile_overhead) + cal->block_overhead;
    pt->blocks = npanels * mt;
    /* Write-back: tiles of up to four classes (full or last rows x full or last
     * columns), each at its steady-state period, then the last tile's tail. The
     * first block of the first panel runs no faster than its B column tiles
     * stream in (one request each, sharing the bus with the C writes). */
    {
        double core = (double)pass + cal->tile_overhead;
        uint64_t rows_l = job->m - (mt - 1) * hw->dm, cols_l = last_cols;
        uint64_t cnt[2][2] = {{(mt - 1) * (nt - 1), mt - 1}, {nt - 1, 1}};
        uint64_t rr[2] = {hw->dm, rows_l}, cc[2] = {hw->dn, cols_l};
        int i0 = mt > 1 ? 0 : 1;
        uint64_t lc0 = p0 == nt ? 1 : 0, fc0 = p0 - lc0;
        cnt[i0][0] -= fc0;
        cnt[i0][1] -= lc0;
        /* the first tile's B column tile came in with the start-up */
        int j1 = nt > 1 ? 0 : 1;
        cnt[i0][j1] += 1;
        if (j1)
            lc0 -= 1;
        else
            fc0 -= 1;
        double span = 0.0, per, tl, tail = 0.0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) {
                if (!cnt[i][j])
                    continue;
                wb_period((unsigned)rr[i], (unsigned)cc[j], core, (double)hw->mem_latency, &per, &tl);
                span += (double)cnt[i][j] * per;
                if (i == 1 && j == 1)
                    span -= per, tail = tl;
            }
        for (int j = 0; j < 2; j++) {
            uint64_t c0 = j ? lc0 : fc0;
            if (!c0)
                continue;
            /* this class's B column tile and C tile, on the shared bus */
            double stream = (8.0 * (double)cc[j] * (double)kc * job->abits + 4.0 * (double)rr[i0] * (double)cc[j]) / bw;
            if (stream < hw->mem_latency + 2.0)
                stream = hw->mem_latency + 2.0;
            double core0 = core > stream ? core : stream;
            wb_period((unsigned)rr[i0], (unsigned)cc[j], core0, (double)hw->mem_latency, &per, &tl);
            span += (double)c0 * per;
            if (i0 == 1 && j == 1)
                span -= per, tail = tl;
        }
        pt->wb_span = (double)pass + span + tail;
        pt->wb_tail = tail;
    }
    return true;
}

static double body_of(const job_parts_t *pt, double extra0)
{
    double compute = pt->compute + extra0;
    return compute > pt->mem ? compute : pt->mem;
}

/* Body (first pass to last pass, or to the last tile's hand-off when the
 * write-back is the bottleneck) and drain (to the job's end). */
static void body_drain(const job_parts_t *pt, double extra0, double *body, double *drain)
{
    *body = body_of(pt, extra0);
    if (pt->wb_span - pt->wb_tail > *body)
        *body = pt->wb_span - pt->wb_tail;
    *drain = pt->drain > pt->wb_tail ? pt->drain : pt->wb_tail;
}

void bc_timing_job(const bc_hw_t *hw, const bc_calib_t *cal, const bc_job_shape_t *job,
                   bc_events_t *out)
{
    job_parts_t pt;
    if (!job_events(hw, cal, job, out, &pt))
        return;
    double body, drain;
    body_drain(&pt, pt.extra0, &body, &drain);
    double total = pt.overhead + pt.startup + body + drain;
    out->cycles = (uint64_t)(total + 0.5);
    out->busy = out->cycles;
    out->stall = out->cycles > out->compute ? out->cycles - out->compute : 0;
}

void bc_timing_state_init(bc_timing_state_t *st)
{
    memset(st, 0, sizeof *st);
}

/* Queued behind a previous job, a job's pop and first operand fetch overlap the
 * previous job's last compute: the fetch engine moves on to the next job once an
 * A slot is free, i.e. during the previous job's last A block, or during all of
 * it when it has a single block. The previous job's C drain overlaps this job's
 * compute. */
void bc_timing_next(const bc_hw_t *hw, const bc_calib_t *cal, bc_timing_state_t *st,
                    const bc_job_shape_t *job, bc_events_t *out)
{
    job_parts_t pt;
    if (!job_events(hw, cal, job, out, &pt))
        return;
    double front = pt.overhead + pt.startup, extra0 = pt.extra0;
    /* The rest of the first B panel is not hidden: the B walker's prefetch shares
     * the bus with the current job's A blocks and C tiles (measured on the RTL). */
    if (st->queued)
        front = st->window_a >= front ? 0.0 : front - st->window_a;
    double body, drain;
    body_drain(&pt, extra0, &body, &drain);
    /* finish = end of this job's last pass + its drain; jobs finish in order,
     * and the write-back takes this job's last tile after the previous job's */
    double compute_end = st->compute_end + front + body;
    double finish = compute_end + drain;
    if (st->queued && finish < st->finish + pt.wb_tail)
        finish = st->finish + pt.wb_tail;
    double start = st->queued ? st->finish : 0.0;
    uint64_t f0 = (uint64_t)(start + 0.5), f1 = (uint64_t)(finish + 0.5);
    out->cycles = f1 > f0 ? f1 - f0 : 1;
    out->busy = out->cycles;
    out->stall = out->cycles > out->compute ? out->cycles - out->compute : 0;
    if (st->queued && st->have_prec && (st->wbits != job->wbits || st->abits != job->abits ||
                                        st->wsigned != job->wsigned || st->asigned != job->asigned))
        out->switches = 1;
    /* what the next job can overlap: a memory-bound job leaves the bus no room */
    double membound = pt.mem > pt.compute + extra0 ? pt.mem - (pt.compute + extra0) : 0.0;
    double wa = pt.blocks > 1 ? pt.last_block : body;
    st->window_a = wa > membound ? wa - membound : 0.0;
    st->compute_end = compute_end;
    st->finish = finish;
    st->queued = true;
    st->have_prec = true;
    st->wbits = job->wbits;
    st->abits = job->abits;
    st->wsigned = job->wsigned;
    st->asigned = job->asigned;
}

void bc_timing_stream(const bc_hw_t *hw, const bc_calib_t *cal, const bc_job_shape_t *jobs,
                      size_t n, bc_events_t *per_job, bc_events_t *total)
{
    bc_timing_state_t st;
    bc_timing_state_init(&st);
    if (total)
        memset(total, 0, sizeof *total);
    for (size_t i = 0; i < n; i++) {
        bc_events_t ev;
        bc_timing_next(hw, cal, &st, &jobs[i], &ev);
        if (per_job)
            per_job[i] = ev;
        if (total) {
            uint64_t *d = (uint64_t *)total;
            const uint64_t *e = (const uint64_t *)&ev;
            for (size_t f = 0; f < sizeof ev / sizeof(uint64_t); f++)
                d[f] += e[f];
        }
    }
}
