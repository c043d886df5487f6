/* Analytical timing and event model of bitcycle_top; see bc_timing.h. */
#include "bc_timing.h"

#include <string.h>

void bc_hw_default(bc_hw_t *hw)
{
    hw->dm = 8;
    hw->dn = 8;
    hw->dk = 64;
    hw->abuf_words = 1024;
    hw->bbuf_words = 2048;
    hw->queue_depth = 4;
    hw->clock_hz = 200e6;
    hw->mem_bytes_per_cycle = 8.0;
    hw->mem_latency = 20;
}

void bc_calib_default(bc_calib_t *cal)
{
    /* Measured on the RTL by `bitcycle calibrate`; these are the defaults it
     * reproduces on the default configuration. */
    cal->job_overhead = 6.0;
    cal->block_overhead = 0.0;
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

void bc_timing_job(const bc_hw_t *hw, const bc_calib_t *cal, const bc_job_shape_t *job,
                   bc_events_t *out)
{
    memset(out, 0, sizeof *out);
    if (!job->m || !job->n || !job->k || !job->wbits || !job->abits || !hw->dm || !hw->dn ||
        !hw->dk)
        return;
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
    double startup = hw->mem_latency + 8.0 * (double)kc * (double)(rows_a0 * job->wbits + cols_b0 * job->abits) / bw;
    /* First block: its column tiles can run no faster than the rest of the first
     * panel streams in, sharing the bus with the C rows already being written. */
    uint64_t p0 = panel < nt ? panel : nt;
    double btile_bytes = 8.0 * (double)hw->dn * (double)kc * job->abits;
    double ctile_bytes = 4.0 * (double)rows_a0 * (double)hw->dn;
    double block0 = (double)p0 * (double)pass;
    double stream0 = (double)pass + (double)(p0 - 1) * (btile_bytes + ctile_bytes) / bw;
    if (stream0 > block0)
        block0 = stream0;
    /* After the last pass: the last C tile goes out. */
    uint64_t last_cols = job->n - (nt - 1) * hw->dn;
    double drain = 4.0 * (double)(job->m - (mt - 1) * hw->dm) * (double)last_cols / bw + 2.0;
    double mem = (double)(out->dram_rd_bytes + out->dram_wr_bytes) / bw - startup + hw->mem_latency;
    double compute = block0 + (double)(out->tiles - p0) * (double)pass +
                     cal->tile_overhead * (double)out->tiles + cal->block_overhead * (double)(npanels * mt);
    double body = compute > mem ? compute : mem;
    double total = cal->job_overhead + startup + body + drain;
    out->cycles = (uint64_t)(total + 0.5);
    out->busy = out->cycles;
    out->stall = out->cycles > out->compute ? out->cycles - out->compute : 0;
}
