/* Analytical timing and event model of bitcycle_top (owner: issue 3).
 * Mirrors the RTL loop nest: for each B panel (as many DN-column tiles as
 * fit half a B bank), for each A block (DM rows), for each tile in the panel:
 * KC*wbits*abits bit-plane pass cycles. Operand fetch overlaps compute
 * (double-buffered A blocks and B panels, prefetch across jobs), so a
 * compute-bound job costs its pass cycles plus small calibrated overheads. */
#ifndef BC_TIMING_H
#define BC_TIMING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bc_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever the model's equations change, so calibrations fitted to an
 * older model are recognised as stale (host/est folds it into the RTL hash). */
#define BC_TIMING_MODEL_VERSION 4u

typedef struct bc_hw {
    unsigned dm, dn, dk, abuf_words, bbuf_words, queue_depth;
    double clock_hz;
    double mem_bytes_per_cycle; /* sustained DRAM bandwidth; 8 = one 64-bit beat per cycle */
    unsigned mem_latency;       /* read latency in cycles */
    unsigned bus_bytes;         /* AXI data bytes per beat (64-bit bus: 8); 0 means 8 */
} bc_hw_t;

typedef struct bc_job_shape {
    unsigned m, n, k, wbits, abits;
    bool wsigned, asigned;
    unsigned c_bytes; /* bytes per written C element (int32: 4); 0 means 4 */
} bc_job_shape_t;

/* The job's length in cycles, then one field per CNT_* register with the
 * same name, order and meaning (BC_COUNTERS of the register description, so
 * the driver's bc_counters_t has exactly these fields). */
#define BC_EVENT_FIELD_(name, off, unit, desc) uint64_t name;
typedef struct bc_events {
    uint64_t cycles;
    BC_COUNTERS(BC_EVENT_FIELD_)
} bc_events_t;
#undef BC_EVENT_FIELD_

typedef struct bc_calib {
    double job_overhead, block_overhead, tile_overhead; /* cycles */
} bc_calib_t;

void bc_hw_default(bc_hw_t *hw);
void bc_calib_default(bc_calib_t *cal);
/* Events of one job run alone (queue empty before and after). out->switches
 * is 0; callers chaining jobs add one per precision change. */
void bc_timing_job(const bc_hw_t *hw, const bc_calib_t *cal, const bc_job_shape_t *job,
                   bc_events_t *out);

/* Stream of jobs queued back to back (the queue never runs empty). The next
 * job's pop and first operand fetch overlap the previous job's last A block, and the previous job's C drain overlaps the next job's compute,
 * as in the RTL. Carry one state per device; init before the first job.
 * bc_timing_next gives the job's events with cycles = busy = the cycles the job
 * adds to the stream (its finish minus the previous job's finish; the first job
 * of a stream costs what bc_timing_job gives), and switches = 1 when its
 * precision or signedness differs from the previous job's. A job submitted
 * after the device went idle starts a new stream: re-init the state. */
typedef struct bc_timing_state {
    bool queued;                 /* a previous job is in flight */
    bool have_prec;
    unsigned wbits, abits;
    bool wsigned, asigned;
    double compute_end, finish;  /* previous job, cycles from the stream start */
    double window_a;             /* cycles before compute_end the next job's fetch can use */
} bc_timing_state_t;
void bc_timing_state_init(bc_timing_state_t *st);
void bc_timing_next(const bc_hw_t *hw, const bc_calib_t *cal, bc_timing_state_t *st,
                    const bc_job_shape_t *job, bc_events_t *out);
/* n jobs as one stream: per_job[i] (may be NULL) as bc_timing_next gives them,
 * total (may be NULL) the field-wise sum; total->cycles is the stream's length. */
void bc_timing_stream(const bc_hw_t *hw, const bc_calib_t *cal, const bc_job_shape_t *jobs,
                      size_t n, bc_events_t *per_job, bc_events_t *total);

/* Loop-nest helpers shared with the RTL tests. */
unsigned bc_timing_kc(unsigned k, unsigned dk);                          /* ceil(K/DK) */
unsigned bc_timing_panel_tiles(const bc_hw_t *hw, unsigned kc, unsigned abits, unsigned n);
uint64_t bc_timing_compute_cycles(const bc_hw_t *hw, const bc_job_shape_t *job); /* ideal */

#ifdef __cplusplus
}
#endif
#endif
