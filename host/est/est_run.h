/* A whole estimated training run, per epoch, grouped by precision pair. */
#ifndef BC_EST_RUN_H
#define BC_EST_RUN_H
#include "bc_schedule.h"
#include "est.h"

typedef struct est_epoch {
    uint64_t first_iter, iters, precision_changes;
    double fw_bits_sum, bw_bits_sum, mean_fw_bits, mean_bw_bits;
    double bitops, macs;
    bc_events_t ev;
    bc_events_t by_kind[BC_GEMM_KINDS]; /* events of each GEMM kind (no boundary switches) */
    double latency_s;
    est_joules_t joules;
} est_epoch_t;

typedef struct est_run {
    est_epoch_t *epochs;
    size_t n_epochs;
    est_epoch_t total;
} est_run_t;

/* Inputs shared by a run and its baseline, plus the per-pair cost cache. */
typedef struct est_run_ctx {
    const est_model_t *model;
    bc_hw_t hw;
    bc_calib_t cal;
    est_energy_t energy;
    uint64_t batch, iters, iters_per_epoch;
    unsigned cycles;
    uint8_t *precision_trace; /* optional: forward bits per iteration (iters entries) */
    bool have[(EST_MAX_BITS + 1) * (EST_MAX_BITS + 1)];
    est_iter_cost_t cost[(EST_MAX_BITS + 1) * (EST_MAX_BITS + 1)];
} est_run_ctx_t;

bool est_run(est_run_ctx_t *ctx, const bc_sched_t *fw, const bc_sched_t *bw, est_run_t *out, char *err,
             size_t errlen);
void est_run_free(est_run_t *r);

#endif
