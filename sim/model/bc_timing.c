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
    hw->bus_bytes = 8;
}

void bc_calib_default(bc_calib_t *cal)
{
    /* Measured on the RTL by `bitcycle calibrate`; these are the defaults it
     * reproduces on the default configuration. */
    cal->job_overhead = 7.9;
    cal->block_overhead = 2.4;
    cal->tile_overhead = 0.0;
}

unsigned bc_timing_kc(unsigned k, unsigned dk)
{
    return dk ? (k + dk - 1) / dk : 0;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return b ? (a + b - 1) / b : 0;
}

/* The RTL's rule (rtl/top/bc_job_check.sv): the largest power of two P with
 * P * KC * abits <= BBUF_WORDS / 2, capped at the number of column tiles, and
 * at least 1. */
unsigned bc_timing_panel_tiles(const bc_hw_t *hw, unsigned kc, unsigned abits, unsigned n)
{
    unsigned nt = (unsigned)ceil_div(n, hw->dn);
    unsigned per_tile = kc * abits, lg = 0;
    while (lg < 31 && (1u << lg) < per_tile)
        lg++;
    unsigned fit = (hw->bbuf_words / 2) >> lg;
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
static void wb_sim_tile(wb_sim_t *w, unsigned rows, unsigned beats, double core, double first_ready,
                        double latency)
{
    double arrival = w->arrival + core;
    if (arrival < w->accept + 1.0)
        arrival = w->accept + 1.0;
    if (arrival < first_ready)
        arrival = first_ready;
    double accept = arrival > w->next_start - 1.0 ? arrival : w->next_start - 1.0;
    double L = (double)beats, s = accept + 1.0, last = s;
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
static void wb_period(unsigned rows, unsigned beats, double core, double latency, double *period,
                      double *tail)
{
    wb_sim_t w;
    wb_sim_init(&w);
    double acc[WB_SIM_TILES];
    for (unsigned i = 0; i < WB_SIM_TILES; i++) {
        wb_sim_tile(&w, rows, beats, core, 0.0, latency);
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
    double fetch_last; /* memory bound: the last A block computes after its fetch */
    double fetch_second; /* the second A block waits for the first B panel, the rest follow */
    double drain;     /* last C tile out */
    double last_block; /* compute time of the job's last A block */
    double wb_span;   /* first pass to the last write response, write-back bound */
    double wb_tail;   /* last tile's hand-off to its last write response */
    uint64_t blocks;
} job_parts_t;

/* Loop-nest quantities of one job. */
typedef struct job_geom {
    uint64_t kc, mt, nt, panel, npanels, pass, p0, p_last;
    uint64_t rows_l, cols_l;   /* rows of the last A block, columns of the last column tile */
    unsigned beat, c_bytes;    /* bus bytes per beat, bytes per C element */
    double bw;                 /* bus bytes per cycle */
} job_geom_t;

static unsigned c_beats(const job_geom_t *g, uint64_t cols)
{
    return (unsigned)ceil_div(cols * g->c_bytes, g->beat);
}

static void job_counts(const bc_hw_t *hw, const bc_job_shape_t *job, const job_geom_t *g, bc_events_t *out)
{
    out->tiles = g->mt * g->nt;
    out->jobs = 1;
    out->compute = out->tiles * g->pass;
    out->passes = out->tiles * job->wbits * job->abits;
    out->dpu_active = (uint64_t)job->m * job->n * g->pass;
    /* The array reads an A plane word per valid row once per (chunk, i) and a B
     * plane word per valid column on every pass. A blocks are fetched once per
     * B panel, B columns once. */
    out->abuf_reads = (uint64_t)job->m * g->nt * g->kc * job->wbits;
    out->bbuf_reads = (uint64_t)job->n * g->mt * g->pass;
    out->abuf_writes = g->npanels * job->m * g->kc * job->wbits;
    out->bbuf_writes = (uint64_t)job->n * g->kc * job->abits;
    out->dram_rd_bytes = 8 * (out->abuf_writes + out->bbuf_writes);
    out->dram_wr_bytes = (uint64_t)g->c_bytes * job->m * job->n;
    (void)hw;
}

/* Tiles of one class in a phase of the write-back. */
typedef struct wb_phase {
    double n, t_norm, t_read, w_cyc; /* tiles; sums of their periods without and with reads, C cycles */
} wb_phase_t;

static void wb_phase_add(wb_phase_t *ph, const job_geom_t *g, unsigned rows, uint64_t cols, double core,
                         double lat, double n, double *per, double *tail)
{
    double alone, t0, wr = (double)(rows * cols * g->c_bytes) / g->bw;
    wb_period(rows, c_beats(g, cols), core, lat, per, tail);
    wb_period(rows, c_beats(g, cols), 0.0, lat, &alone, &t0);
    ph->n += n;
    ph->t_norm += n * *per;
    ph->t_read += n * (*per > alone + wr ? *per : alone + wr);
    ph->w_cyc += n * wr;
}

/* Cycles of a phase whose tiles share the bus with rd cycles of operand reads.
 * Reads and writes take turns when both want the bus (sim/lib/bc_axi_mem.cpp):
 * while operands stream in, the bus is saturated, each C beat costs two cycles,
 * so a tile takes its write-back period plus its C cycles (or its compute time
 * if longer) and the reads get the cycles the C writes leave. Once the reads
 * are in, tiles run at their own period; reads slower than that make the phase
 * bus bound. About WB_READ_FREE read cycles per tile slip into the write-back's
 * own gaps without stretching it (measured on the RTL: about 3). */
#define WB_READ_FREE 3.0
static double wb_phase_cycles(const wb_phase_t *ph, double rd)
{
    if (ph->n <= 0.0)
        return 0.0;
    double free_rd = ph->t_read - ph->w_cyc; /* read cycles the phase leaves */
    rd -= WB_READ_FREE * ph->n;
    if (rd <= 0.0)
        return ph->t_norm;
    if (rd >= free_rd)
        return rd + ph->w_cyc;
    double frac = rd / free_rd;
    return frac * ph->t_read + (1.0 - frac) * ph->t_norm;
}

/* Write-back: tiles of up to four classes (full or last rows x full or last
 * columns), each at its steady-state period, then the last tile's tail. Two
 * phases share the bus with operand reads: the first block, while the rest of
 * the first B panel streams in, and the tiles after it, while later B panels
 * (fetched in bulk into the free slot) and the A blocks come in. A blocks are
 * small and land partly in the write-back's gaps: measured on the RTL, they
 * weigh about three quarters. */
#define A_READ_SHARE 0.75
static void job_wb(const bc_hw_t *hw, const bc_calib_t *cal, const bc_job_shape_t *job, const job_geom_t *g,
                   const bc_events_t *ev, job_parts_t *pt)
{
    double core = (double)g->pass + cal->tile_overhead, lat = (double)hw->mem_latency;
    uint64_t mt = g->mt, nt = g->nt, p0 = g->p0;
    uint64_t cnt[2][2] = {{(mt - 1) * (nt - 1), mt - 1}, {nt - 1, 1}};
    uint64_t rr[2] = {hw->dm, g->rows_l}, cc[2] = {hw->dn, g->cols_l};
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
    double per, tl, tail = 0.0, last_per = 0.0;
    wb_phase_t first = {0, 0, 0, 0}, rest = {0, 0, 0, 0};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            if (!cnt[i][j])
                continue;
            wb_phase_add(&rest, g, (unsigned)rr[i], cc[j], core, lat, (double)cnt[i][j], &per, &tl);
            if (i == 1 && j == 1)
                last_per = per, tail = tl;
        }
    for (int j = 0; j < 2; j++) {
        uint64_t c0 = j ? lc0 : fc0;
        if (!c0)
            continue;
        wb_phase_add(&first, g, (unsigned)rr[i0], cc[j], core, lat, (double)c0, &per, &tl);
        if (i0 == 1 && j == 1)
            last_per = per, tail = tl;
    }
    uint64_t rows_a0 = hw->dm < job->m ? hw->dm : job->m;
    uint64_t cols_b0 = hw->dn < job->n ? hw->dn : job->n;
    uint64_t cols_p0 = p0 == nt ? job->n : p0 * hw->dn;
    double b_col = 8.0 * (double)g->kc * (double)job->abits / g->bw; /* cycles per B column */
    double rd_first = b_col * (double)(cols_p0 - cols_b0);
    double rd_rest = b_col * (double)(job->n - cols_p0) +
                     A_READ_SHARE * 8.0 * (double)(ev->abuf_writes - rows_a0 * g->kc * job->wbits) / g->bw;
    /* the last tile ends with its tail, not a period */
    double span = wb_phase_cycles(&first, rd_first) + wb_phase_cycles(&rest, rd_rest) - last_per;
    pt->wb_span = (double)g->pass + span + tail;
    pt->wb_tail = tail;
}

static bool job_events(const bc_hw_t *hw, const bc_calib_t *cal, const bc_job_shape_t *job,
                       bc_events_t *out, job_parts_t *pt)
{
    memset(out, 0, sizeof *out);
    memset(pt, 0, sizeof *pt);
    if (!job->m || !job->n || !job->k || !job->wbits || !job->abits || !hw->dm || !hw->dn ||
        !hw->dk)
        return false;
    job_geom_t g;
    g.kc = bc_timing_kc(job->k, hw->dk);
    g.mt = ceil_div(job->m, hw->dm);
    g.nt = ceil_div(job->n, hw->dn);
    g.panel = bc_timing_panel_tiles(hw, (unsigned)g.kc, job->abits, job->n);
    g.npanels = ceil_div(g.nt, g.panel);
    g.pass = g.kc * job->wbits * job->abits;
    g.p0 = g.panel < g.nt ? g.panel : g.nt;
    g.p_last = g.nt - (g.npanels - 1) * g.panel;
    g.rows_l = job->m - (g.mt - 1) * hw->dm;
    g.cols_l = job->n - (g.nt - 1) * hw->dn;
    g.beat = hw->bus_bytes ? hw->bus_bytes : 8;
    g.c_bytes = job->c_bytes ? job->c_bytes : 4;
    g.bw = hw->mem_bytes_per_cycle > 0 ? hw->mem_bytes_per_cycle : (double)g.beat;
    if (g.bw > (double)g.beat)
        g.bw = (double)g.beat;
    job_counts(hw, job, &g, out);

    double bw = g.bw, kc = (double)g.kc, pass = (double)g.pass;
    /* Before the first pass: the first A block and the first B column tile
     * (B panels are fetched one column tile per request). */
    uint64_t rows_a0 = hw->dm < job->m ? hw->dm : job->m;
    uint64_t cols_b0 = hw->dn < job->n ? hw->dn : job->n;
    pt->startup = hw->mem_latency + 8.0 * kc * (double)(rows_a0 * job->wbits + cols_b0 * job->abits) / bw;
    /* First block: its column tiles can run no faster than the rest of the first
     * panel streams in, sharing the bus with the C rows already being written. */
    double btile_bytes = 8.0 * (double)hw->dn * kc * job->abits;
    double ctile_bytes = (double)g.c_bytes * (double)rows_a0 * (double)hw->dn;
    double block0 = (double)g.p0 * pass;
    double stream0 = pass + (double)(g.p0 - 1) * (btile_bytes + ctile_bytes) / bw;
    if (g.p0 == g.nt && g.p0 > 1) /* the job's last column tile is narrower */
        stream0 -= (btile_bytes + ctile_bytes) * (1.0 - (double)g.cols_l / (double)hw->dn) / bw;
    pt->extra0 = stream0 > block0 ? stream0 - block0 : 0.0;
    /* After the last pass: the last C tile goes out. */
    pt->drain = (double)g.c_bytes * (double)g.rows_l * (double)g.cols_l / bw + 2.0;
    /* memory bound: every byte but the last C tile's (the drain) crosses the bus */
    double last_c = (double)g.c_bytes * (double)g.rows_l * (double)g.cols_l;
    pt->mem = ((double)(out->dram_rd_bytes + out->dram_wr_bytes) - last_c) / bw - pt->startup + hw->mem_latency;
    pt->compute = (double)out->tiles * pass + cal->tile_overhead * (double)out->tiles +
                  cal->block_overhead * (double)(g.npanels * g.mt);
    pt->overhead = cal->job_overhead;
    pt->last_block = (double)g.p_last * (pass + cal->tile_overhead) + cal->block_overhead;
    pt->blocks = g.npanels * g.mt;
    /* The last A block computes only once it is fetched: when the reads are the
     * bottleneck, that fetch ends after every operand byte and the C rows of
     * the earlier blocks crossed the bus. */
    if (pt->blocks > 1) {
        double wr_before = (double)g.c_bytes * (double)job->n * (double)(job->m - g.rows_l);
        double fetched = hw->mem_latency + ((double)out->dram_rd_bytes + wr_before) / bw;
        pt->fetch_last = fetched - pt->startup + pt->last_block;
    }
    /* The second A block is fetched after the whole first B panel (the B walker
     * wins the bus for the panel the array works on); the blocks after it
     * compute one after the other. */
    if (g.mt > 1) {
        uint64_t rows_a1 = job->m - hw->dm < hw->dm ? job->m - hw->dm : hw->dm;
        double a_blocks = 8.0 * kc * (double)(hw->dm + rows_a1) * job->wbits;
        double b_panel0 = 8.0 * kc * job->abits * (double)(g.p0 == g.nt ? job->n : g.p0 * hw->dn);
        double fetched = hw->mem_latency + (a_blocks + b_panel0) / bw;
        double block0 = (double)g.p0 * (pass + cal->tile_overhead) + cal->block_overhead;
        pt->fetch_second = fetched - pt->startup + pt->compute - block0;
    }
    job_wb(hw, cal, job, &g, out, pt);
    return true;
}

static double body_of(const job_parts_t *pt, double extra0)
{
    double compute = pt->compute + extra0;
    double body = compute > pt->mem ? compute : pt->mem;
    if (body < pt->fetch_second)
        body = pt->fetch_second;
    return body > pt->fetch_last ? body : pt->fetch_last;
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
    /* the last block lasts longer than its passes when the write-back or the
     * bus is the bottleneck */
    double slow = pt.compute + extra0 > 0.0 ? body / (pt.compute + extra0) : 1.0;
    double wa = pt.blocks > 1 ? pt.last_block * (slow > 1.0 ? slow : 1.0) : body;
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
