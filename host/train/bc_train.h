/* Host-side training run: data, backend (fsim | sim | vp), schedule, range
 * test, per-epoch report. Used by `bitcycle train`, the tests and the bench.
 * (Host only: stdio, malloc and the simulator backends.) */
#ifndef BC_TRAIN_H
#define BC_TRAIN_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bc_cnn.h"
#include "bc_data.h"
#include "bc_mlp.h"
#include "bc_schedule.h"

enum { BC_TRAIN_FMT_TABLE = 0, BC_TRAIN_FMT_JSON = 1, BC_TRAIN_FMT_CSV = 2 };

typedef struct bc_train_opts {
    const char *backend;  /* "fsim", "sim" or "vp" */
    const char *data;     /* "fashion-mnist" or "digits" (for messages) */
    const char *data_dir; /* NULL: build/data or $BITCYCLE_DATA */
    const char *model;    /* "mlp" (default), "lenet5", "resnet8" or "resnet20n" (narrow, width 8) */
    bc_mlp_config_t mlp;  /* MLP layers; batch, lr, momentum, weight decay, seed, quantize_last for every model */
    double clock_hz;      /* device clock for the idle fraction (0: 200 MHz) */
    bool float_only;      /* CNN float baseline: every layer in float on the CPU */
    bc_sched_t fw, bw;
    bool auto_range;      /* run the precision range test to choose fw */
    unsigned cycles, epochs;
    uint64_t max_iters;   /* 0: no cap */
    unsigned eval_bits;   /* forward precision on the test set */
    unsigned test_limit;  /* 0: whole test set */
    unsigned range_iters, range_max_bits;
    double range_threshold;
    int fmt;              /* BC_TRAIN_FMT_* (same values as the CLI's bc_fmt_t) */
    FILE *out;            /* report (NULL: none) */
    FILE *log;            /* range-test lines in json/csv mode (NULL: stderr) */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    /* Energy of the counted events in joules (NULL: not reported). */
    double (*energy)(void *ctx, const bc_counters_t *events);
    void *energy_ctx;
} bc_train_opts_t;

typedef struct bc_train_epoch {
    double train_loss, train_acc, test_acc, mean_fw_bits;
    uint64_t iters, cycles, bitops, switches, hw_switches;
    bc_counters_t ctr; /* performance counters summed over the training steps */
    double energy_j;   /* from opts.energy, or 0 */
    uint64_t jobs, waits;         /* GEMM parts submitted, waits for the queue to drain */
    uint64_t elapsed_ns;          /* device time of the training steps */
    uint64_t im2col_ops, corr_ops;/* CPU side of the GEMMs (CNN models) */
    double idle_frac;             /* mean over steps of 1 - busy / elapsed device cycles */
} bc_train_epoch_t;

typedef struct bc_train_result {
    unsigned n_epochs;
    bc_train_epoch_t *ep;  /* n_epochs entries, malloc'd */
    uint64_t iters;
    uint64_t iters_at[BC_SCHED_MAX_BITS + 1], cycles_at[BC_SCHED_MAX_BITS + 1], bitops_at[BC_SCHED_MAX_BITS + 1];
    bc_sched_t fw, bw;     /* the schedules actually used (after the range test) */
    double range_acc[BC_SCHED_MAX_BITS + 1];
    unsigned range_bmin, range_bmax;
    uint64_t weights_hash; /* bc_mlp_weights_hash / bc_cnn_weights_hash at the end */
    double seconds;         /* wall time of the training loop (with evaluation) */
    double train_seconds;   /* wall time inside the training steps */
    double backend_seconds; /* of which inside the backend (HAL calls: model or RTL simulation) */
    uint64_t samples;       /* training samples processed */
} bc_train_result_t;

void bc_train_opts_default(bc_train_opts_t *o);
/* Network of a CNN model name for inputs of in_c x side x side; 0 or -1. */
int bc_train_cnn_net(const char *model, unsigned side, unsigned classes, bc_cnn_net_t *net);
/* Runs the whole training; 0 or -1 with a message in err. res->ep is
 * allocated; free with bc_train_result_free. */
int bc_train_run(const bc_train_opts_t *o, const bc_dataset_t *train, const bc_dataset_t *test,
                 bc_train_result_t *res, char *err, size_t errlen);
void bc_train_result_free(bc_train_result_t *res);

#endif
