/* Precision-switch extraction from a bitcycle_top trace.
 *
 * Signals are sampled at every rising clock edge (the value in effect just before
 * the edge). The sample taken at the edge at time te belongs to cycle
 * (te - phase) / period, the clock period that this edge ends; with the simulator
 * library's timestamps (cycle c dumped at 2c and 2c+1, edge at 2c+1) this is the
 * simulator's own cycle number.
 * A switch is a job start (exec_job_start) whose (wbits, abits, wsigned, asigned)
 * differs from the previous job's. */
#ifndef BC_WAVE_SWITCH_H
#define BC_WAVE_SWITCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wave_trace.h"

typedef struct wave_prec {
    unsigned wbits, abits;
    bool wsigned, asigned;
} wave_prec_t;

typedef struct wave_switch {
    uint64_t cycle;        /* cycle of the new job's first pass */
    uint64_t time;         /* trace time of the edge that starts that cycle (te - period) */
    uint64_t old_job_id, new_job_id;
    wave_prec_t old_prec, new_prec;
    int64_t idle_cycles;   /* cycles between the old job's last compute cycle and the new job's
                              first; -1 when the old job's compute is outside the trace */
    int64_t stall_cycles;  /* mem_stall cycles within +-window of the switch; -1 without mem_stall */
} wave_switch_t;

typedef struct wave_switch_opts {
    const char *scope;  /* NULL: the scope named bitcycle_top, else the only one with all signals */
    const char *clock;  /* NULL: clk_i, then clk */
    unsigned window;    /* stall-count window, cycles each side */
} wave_switch_opts_t;

typedef struct wave_switch_result {
    char scope[512];
    char clock[64];
    char timescale[16];
    uint64_t period, phase;          /* clock period and edge phase, trace time units */
    uint64_t first_cycle, last_cycle; /* sampled cycles */
    uint64_t samples;                 /* number of sampled cycles */
    uint64_t jobs;                    /* job starts seen */
    uint64_t compute_cycles, stall_cycles;
    bool has_stall;
    wave_switch_t *sw;
    size_t nsw;
} wave_switch_result_t;

/* Signal names the extractor reads (NULL-terminated), exported for the renderer. */
extern const char *const wave_switch_signals[];

/* Load PATH and extract its switches. Returns 0, or -1 with a message naming the file. */
int wave_switches_file(const char *path, const wave_switch_opts_t *opts, wave_switch_result_t *res,
                       char *err, size_t errlen);
/* Same on a loaded trace that holds at least the extractor's signals. */
int wave_switches(const wave_trace_t *t, const char *path, const wave_switch_opts_t *opts,
                  wave_switch_result_t *res, char *err, size_t errlen);
void wave_switch_result_free(wave_switch_result_t *res);

/* Pick the bitcycle_top scope and clock of a trace (shared with the renderer). */
int wave_pick_scope(const wave_trace_t *t, const char *path, const char *want_scope, const char *want_clock,
                    char *scope, size_t scope_len, const wave_signal_t **clock, char *err, size_t errlen);
/* Clock period and phase from the rising edges of clk. */
int wave_clock_timing(const wave_signal_t *clk, const char *path, uint64_t *period, uint64_t *phase,
                      char *err, size_t errlen);

/* "8s/3u": wbits with w signedness, then abits with a signedness. */
void wave_prec_str(const wave_prec_t *p, char *buf, size_t len);

#endif
