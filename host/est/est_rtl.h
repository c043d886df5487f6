/* Running jobs on the RTL (sim/lib through the driver's sim backend), for
 * calibration and for validating the estimator against the hardware. */
#ifndef BC_EST_RTL_H
#define BC_EST_RTL_H
#include "est.h"

typedef struct est_rtl est_rtl_t;

/* True when this build links the simulator library. */
bool est_rtl_available(void);
/* One simulator per process at a time: a second live bc_sim instance
 * crashes the Verilated model (seen with sim/lib of commit c7f07a1). */
est_rtl_t *est_rtl_open(char *err, size_t errlen);
/* The same with the memory model's latency and bandwidth taken from mem
 * (mem_latency, mem_bytes_per_cycle; NULL: the simulator's defaults). */
est_rtl_t *est_rtl_open_mem(const bc_hw_t *mem, char *err, size_t errlen);
void est_rtl_close(est_rtl_t *r);
/* The configuration the RTL describes in its registers. */
void est_rtl_hw(const est_rtl_t *r, bc_hw_t *hw);
/* Run one job alone and return the counter deltas (cycles = busy). */
int est_rtl_job(est_rtl_t *r, const bc_job_shape_t *s, bc_events_t *ev, char *err, size_t errlen);
/* Run n jobs queued back to back as the trainer would issue them (the next
 * submitted while the engine runs, waiting only when the queue is full), then
 * wait for all; returns the counter deltas of the whole stream. */
int est_rtl_stream(est_rtl_t *r, const bc_job_shape_t *jobs, size_t n, bc_events_t *ev, char *err, size_t errlen);
/* The calibration grid; returns its size (fills at most max shapes). */
size_t est_calib_grid(const bc_hw_t *hw, unsigned level, bc_job_shape_t *out, size_t max);

/* ---- calibration per hardware configuration (est_calib_cfg.c) ----
 * A configuration is the RTL parameters in bc_hw_t (dm, dn, abuf_words,
 * bbuf_words, queue_depth, bus_bytes) plus the memory model's latency and
 * bandwidth. The default one is calibrated in this process (build/calib.txt);
 * any other is calibrated by a helper program linked against bitcycle_top
 * Verilated at those parameters, in a cache directory keyed by a hash of the
 * RTL sources, the timing model's version and the configuration. */

/* True when hw is the RTL's default configuration with the default memory. */
bool est_hw_rtl_default(const bc_hw_t *hw);
/* 0 when the RTL can be built at hw; otherwise -1 with err naming the option
 * (--dm, --dn, --dk, --abuf-words, --bbuf-words, --queue-depth, --axi-width,
 * --mem-latency, --mem-bw) and the values the RTL supports. top_sv is the
 * top-level source (for the AXI width parameter); NULL: rtl/top/bitcycle_top.sv. */
int est_hw_rtl_check(const bc_hw_t *hw, const char *top_sv, char *err, size_t errlen);
/* Cache directory of hw's calibration: $BITCYCLE_CALIB_CACHE or
 * build/calib-cache, then /<16 hex digits of the key>. */
bool est_calib_cache_dir(const bc_hw_t *hw, const char *filelist, char *dir, size_t dirlen, char rtl_hash[17],
                         char *err, size_t errlen);
/* Calibrate hw (not the default configuration) into its cache directory,
 * building the helper first when needed; force reruns the grid even when the
 * cached calibration is current. Returns 1 done (out filled, dir set), 0 the
 * RTL cannot be built or simulated here (err says why), -1 error. */
int est_calib_config(const bc_hw_t *hw, const char *filelist, unsigned level, bool force, est_calib_file_t *out,
                     char *dir, size_t dirlen, char *err, size_t errlen);
/* est_calib_obtain for any configuration: the default one as est_calib_obtain
 * does; another from its cache directory, calibrated there on first use (a
 * one-line note on stderr) when allow_run, otherwise extrapolated from the
 * default configuration's calibration (the note says so). */
bool est_calib_obtain_for(const bc_hw_t *hw, const char *path, const char *filelist, bool allow_run,
                          bc_calib_t *cal, char *note, size_t notelen, char *err, size_t errlen);

#endif
