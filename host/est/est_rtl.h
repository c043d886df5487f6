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

#endif
