/* Quantized MLP trainer: every GEMM of a quantized layer runs on the
 * accelerator through the driver API (bitcycle.h); the CPU does quantization,
 * packing, softmax/cross-entropy and SGD. Freestanding: no malloc, no stdio;
 * the caller passes a workspace (bc_mlp_workspace_bytes) and a device memory
 * window (bc_mlp_device_bytes). See docs/firmware.md for the exact scheme. */
#ifndef BC_MLP_H
#define BC_MLP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bc_quant.h"
#include "bitcycle.h"

#define BC_MLP_MAX_LAYERS 6 /* weight layers */

typedef struct bc_mlp_config {
    unsigned n_layers;                     /* weight layers; sizes has n_layers + 1 entries */
    unsigned sizes[BC_MLP_MAX_LAYERS + 1]; /* e.g. 784, 256, 128, 10 */
    unsigned batch;                        /* largest batch (training and evaluation) */
    float lr, momentum, weight_decay;
    uint64_t seed;
    bool quantize_last; /* default false: last layer in float on the CPU, as the CPT reference */
    uint64_t timeout_ns; /* device time allowed per GEMM (0: 10 s) */
} bc_mlp_config_t;

/* Accelerator work of one call (step or evaluation). */
typedef struct bc_mlp_stats {
    uint64_t cycles;      /* device busy cycles (performance counter) */
    uint64_t bitops;      /* sum over jobs of m * n * k * wbits * abits */
    uint64_t jobs;        /* GEMM jobs submitted */
    uint64_t hw_switches; /* precision switches counted by the hardware */
    bc_counters_t ctr;    /* every performance counter, difference over the call */
} bc_mlp_stats_t;

typedef struct bc_mlp {
    bc_mlp_config_t cfg;
    bc_dev_t *dev;
    uint64_t dev_a, dev_b, dev_c; /* device areas for A, B (packed) and C (int32) */
    float *w[BC_MLP_MAX_LAYERS], *b[BC_MLP_MAX_LAYERS];
    float *vw[BC_MLP_MAX_LAYERS], *vb[BC_MLP_MAX_LAYERS]; /* momentum */
    float *act[BC_MLP_MAX_LAYERS + 1]; /* act[0] = current input (caller's), act[l] = ReLU outputs */
    float *pre[BC_MLP_MAX_LAYERS];     /* pre-activations z_l (logits for the last layer) */
    int32_t *qact[BC_MLP_MAX_LAYERS];  /* quantized inputs of each layer, kept for the weight gradient */
    bc_qp_t qact_p[BC_MLP_MAX_LAYERS];
    float *gz, *ga, *dw;   /* dL/dz, dL/da, weight gradient scratch */
    int32_t *qw, *qe;      /* weight and error codes */
    bc_qp_t *qw_p;         /* per-row weight parameters */
    int32_t *cres;         /* GEMM result read back */
    uint64_t *pack;        /* packing buffer */
    int64_t *sum_a, *sum_b;/* code row/column sums for the zero-offset corrections */
    size_t pack_words;
    bc_fw_rng_t rng;       /* stochastic rounding of errors */
    uint32_t job_id;
    char err[192];         /* message of the last failure */
} bc_mlp_t;

/* Validate cfg (sizes 1..2048, batch 1..2048, layers 1..BC_MLP_MAX_LAYERS);
 * returns 0 or -1 with a message in err. */
int bc_mlp_check_config(const bc_mlp_config_t *cfg, char *err, size_t errlen);
size_t bc_mlp_workspace_bytes(const bc_mlp_config_t *cfg);
size_t bc_mlp_device_bytes(const bc_mlp_config_t *cfg);

/* Initialise weights (PyTorch Linear default: U(-1/sqrt(in), 1/sqrt(in)) from cfg->seed).
 * ws must be 16-byte aligned and hold bc_mlp_workspace_bytes; [dev_base,
 * dev_base + bc_mlp_device_bytes) is device memory the trainer may use. */
int bc_mlp_init(bc_mlp_t *m, const bc_mlp_config_t *cfg, void *ws, size_t ws_bytes, bc_dev_t *dev,
                uint64_t dev_base);

/* One SGD step on a batch x (n x sizes[0], row-major) with labels y.
 * fw_bits quantizes weights and activations, bw_bits the errors.
 * Returns 0, or -1 with m->err set. loss = mean cross-entropy, correct = hits. */
int bc_mlp_train_step(bc_mlp_t *m, const float *x, const uint8_t *y, unsigned n, unsigned fw_bits,
                      unsigned bw_bits, float *loss, unsigned *correct, bc_mlp_stats_t *st);

/* Forward only at fw_bits (nearest rounding); writes argmax classes to pred. */
int bc_mlp_predict(bc_mlp_t *m, const float *x, unsigned n, unsigned fw_bits, uint8_t *pred,
                   bc_mlp_stats_t *st);

/* FNV-1a hash of every weight and bias bit pattern (backend-equality checks). */
uint64_t bc_mlp_weights_hash(const bc_mlp_t *m);

#endif
