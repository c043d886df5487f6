/* C ABI over the Verilator model of bc_core_top (the issue-2 array core harness).
 * Cycle convention: cycle c is the clock period ending with rising edge c+1; a
 * handshake "at cycle c" is sampled just before that edge. Job cycles are counted
 * from the job handshake to the job-done pulse, both inclusive. */
#ifndef BC_CORE_SIM_H
#define BC_CORE_SIM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bc_core_sim bc_core_sim_t;

typedef struct bc_core_geom {
    unsigned dm, dn, dk, max_bits, max_kc, abuf_words, bbuf_words, res_tiles;
} bc_core_geom_t;

typedef struct bc_core_job {
    unsigned m, n, k, wbits, abits;
    bool wsigned, asigned;
    unsigned a_off, b_off; /* word offset of the job's operands in every A / B bank */
} bc_core_job_t;

typedef struct bc_core_job_rec {
    bc_core_job_t job;
    unsigned tiles, first_slot; /* result tiles, ring slot of the first one */
    bool accepted, started, done, overflow;
    uint64_t accept_cycle, first_pass_cycle, last_pass_cycle, done_cycle;
} bc_core_job_rec_t;

typedef struct bc_core_counters {
    uint64_t busy, compute, stall, passes, dpu_active, abuf_rd, bbuf_rd, abuf_wr, bbuf_wr,
        tiles, jobs, switches;
} bc_core_counters_t;

/* trace_path: NULL for none, else an FST file written for the whole run. */
bc_core_sim_t *bc_core_sim_create(const char *trace_path, char *err, size_t errlen);
void bc_core_sim_destroy(bc_core_sim_t *sim);
void bc_core_sim_geometry(const bc_core_sim_t *sim, bc_core_geom_t *out);
/* Write one 64-bit word into a buffer bank through the write port (one clock cycle). */
int bc_core_sim_write_a(bc_core_sim_t *sim, unsigned bank, unsigned addr, uint64_t word);
int bc_core_sim_write_b(bc_core_sim_t *sim, unsigned bank, unsigned addr, uint64_t word);
/* Queue a job; returns its record index (>= 0) or -1 with bc_core_sim_last_error set.
 * Queued jobs are offered back to back on the job port by bc_core_sim_run. */
int bc_core_sim_push_job(bc_core_sim_t *sim, const bc_core_job_t *job);
/* Run until every queued job is done and the core is idle: 0 ok, 1 timeout. */
int bc_core_sim_run(bc_core_sim_t *sim, uint64_t max_cycles);
/* Advance n cycles with no new input (for benchmarks and idle checks). */
void bc_core_sim_step(bc_core_sim_t *sim, uint64_t n);
int bc_core_sim_job(const bc_core_sim_t *sim, unsigned idx, bc_core_job_rec_t *out);
/* Element (row, col) of job idx's C, read from the result ring (valid until RES_TILES
 * later tiles have overwritten its slots). Out of range: 0 and last_error set. */
int32_t bc_core_sim_result(bc_core_sim_t *sim, unsigned idx, unsigned row, unsigned col);
void bc_core_sim_counters(bc_core_sim_t *sim, bc_core_counters_t *out);
uint64_t bc_core_sim_cycles(const bc_core_sim_t *sim);
/* Result backpressure: the consumer refuses results on `len` of every `period` cycles. */
void bc_core_sim_set_stall(bc_core_sim_t *sim, unsigned period, unsigned len);
/* Longest run of cycles without a pass between the first and the last pass so far. */
uint64_t bc_core_sim_max_pass_gap(const bc_core_sim_t *sim);
const char *bc_core_sim_last_error(const bc_core_sim_t *sim);

#ifdef __cplusplus
}
#endif
#endif
