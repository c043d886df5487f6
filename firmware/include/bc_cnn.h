/* Quantized CNN trainer: every GEMM of a quantized convolution or fully
 * connected layer (forward, error back-propagation as a transposed
 * convolution, weight gradient; shapes from bc_lower.h) runs on the
 * accelerator through the driver API, split at the descriptor limits and
 * queued back to back. The CPU does im2col (the operand layout of each GEMM),
 * quantization, the zero-offset corrections, batch norm, pooling, ReLU,
 * residual adds, softmax cross-entropy and SGD.
 *
 * Freestanding: no malloc, no stdio. The caller passes a 16-byte aligned
 * arena of bc_cnn_workspace_bytes() and a device memory window of
 * bc_cnn_device_bytes(). docs/firmware.md describes the scheme and where it
 * differs from the CPT reference. */
#ifndef BC_CNN_H
#define BC_CNN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bc_lower.h"
#include "bc_quant.h"
#include "bitcycle.h"

#define BC_CNN_MAX_OPS 64

typedef enum bc_cnn_op_kind {
    BC_OP_CONV = 0,    /* geom: 2-D convolution, no bias */
    BC_OP_FC = 1,      /* geom: fully connected with bias (input flattened) */
    BC_OP_BN = 2,      /* batch norm over (batch, h, w) per channel */
    BC_OP_RELU = 3,
    BC_OP_MAXPOOL = 4, /* pool_k, pool_stride, pool_pad (padding never wins) */
    BC_OP_AVGPOOL = 5, /* pool_k, pool_stride; no padding */
    BC_OP_ADD = 6,     /* residual: tensor src + tensor src2 */
    BC_OP_FLATTEN = 7  /* C x H x W -> (C*H*W) x 1 x 1 */
} bc_cnn_op_kind_t;

/* Op i reads tensor `src` (and `src2` for ADD) and writes tensor i + 1;
 * tensor 0 is the network input. The last op's output holds the logits. */
typedef struct bc_cnn_op {
    bc_cnn_op_kind_t kind;
    uint16_t src, src2;
    bc_layer_geom_t geom; /* CONV and FC (cin, in_h, in_w filled by the builder) */
    uint32_t pool_k, pool_stride, pool_pad;
} bc_cnn_op_t;

typedef struct bc_cnn_net {
    uint32_t in_c, in_h, in_w;
    unsigned n_ops;
    bc_cnn_op_t ops[BC_CNN_MAX_OPS];
} bc_cnn_net_t;

typedef struct bc_cnn_config {
    bc_cnn_net_t net;
    unsigned batch; /* largest batch (training and evaluation) */
    float lr, momentum, weight_decay;
    float bn_momentum, bn_eps;   /* PyTorch defaults 0.1, 1e-5 */
    float act_momentum;          /* running activation range (reference: 0.9) */
    uint64_t seed;
    bool quantize_last;          /* default false: last FC in float on the CPU */
    bool float_only;             /* float baseline: every layer in float on the CPU, no accelerator */
    uint64_t timeout_ns;         /* device time allowed per wait (0: 60 s) */
} bc_cnn_config_t;

/* Work of one call (step or evaluation). */
typedef struct bc_cnn_stats {
    uint64_t cycles;        /* device busy cycles (performance counter) */
    uint64_t elapsed_ns;    /* device time from the first to the last access of the call */
    uint64_t bitops;        /* sum over jobs of m * n * k * wbits * abits */
    uint64_t jobs;          /* descriptor-sized GEMM parts submitted */
    uint64_t waits;         /* bc_wait calls (groups of queued jobs) */
    uint64_t hw_switches;   /* precision switches counted by the hardware */
    uint64_t im2col_ops;    /* CPU: operand elements gathered (im2col and its transposed form) */
    uint64_t corr_ops;      /* CPU: zero-offset correction and epilogue operations */
    bc_counters_t ctr;      /* every performance counter, difference over the call */
} bc_cnn_stats_t;

/* Per-op state (pointers into the arena). */
typedef struct bc_cnn_layer {
    float *w, *vw;             /* CONV/FC weights [cout][cin*kh*kw] and momentum; BN gamma */
    float *b, *vb;             /* FC bias; BN beta */
    float *run_mean, *run_var; /* BN running statistics */
    float *bn_mean, *bn_rstd;  /* BN batch statistics of the last training forward */
    uint32_t *argmax;          /* MAXPOOL: input index of each output */
    bc_qp_t in_q;              /* quantized layer: input activation parameters of the last forward */
    float run_min, run_max;    /* running activation range (evaluation) */
    bool range_set;            /* run_min/run_max hold a range */
    bool quantized;
} bc_cnn_layer_t;

typedef struct bc_cnn {
    bc_cnn_config_t cfg;
    bc_dev_t *dev;
    uint64_t dev_base, dev_bytes;
    bc_cnn_layer_t layer[BC_CNN_MAX_OPS];
    float *act[BC_CNN_MAX_OPS + 1];  /* act[0] = current input (caller's) */
    float *grad[BC_CNN_MAX_OPS + 1]; /* dL/d act (grad[0] unused) */
    size_t numel[BC_CNN_MAX_OPS + 1];/* per sample */
    uint32_t tc[BC_CNN_MAX_OPS + 1], th[BC_CNN_MAX_OPS + 1], tw[BC_CNN_MAX_OPS + 1];
    /* GEMM scratch */
    int32_t *qx, *qe, *qw, *qw2;    /* codes: layer input, layer error, weights per channel, per tensor */
    float *dw;                      /* weight gradient of the layer being updated */
    bc_qp_t *qw_p;                  /* per output channel parameters */
    int32_t *rows;                  /* im2col rows being packed */
    uint64_t *pack;                 /* packed rows */
    int32_t *cpart;                 /* one part's result read back */
    int64_t *acc[2];                /* accumulated integer results of a group's two GEMMs */
    int64_t *sum_b[2], *corr[2];    /* B row sums; per-row kernel-tap sums / prefix sums of A */
    size_t rows_elems, pack_words, cpart_elems;
    unsigned n_ops, classes;
    bc_gemm_limits_t lim;
    bc_fw_rng_t rng;                /* stochastic rounding of errors */
    uint32_t job_id;
    bool training;                  /* current pass: batch statistics and ranges */
    char err[192];                  /* message of the last failure */
} bc_cnn_t;

/* Shape check of a network and config; 0 or -1 with a message (op named). */
int bc_cnn_check_config(const bc_cnn_config_t *cfg, char *err, size_t errlen);
size_t bc_cnn_workspace_bytes(const bc_cnn_config_t *cfg);
size_t bc_cnn_device_bytes(const bc_cnn_config_t *cfg);

/* Initialise (conv: Kaiming normal N(0, 2/(kh*kw*cout)) as the reference
 * ResNets; FC: U(+-1/sqrt(in)); BN gamma 1, beta 0) from cfg->seed.
 * [dev_base, dev_base + dev_bytes) is device memory the trainer may use. */
int bc_cnn_init(bc_cnn_t *m, const bc_cnn_config_t *cfg, void *ws, size_t ws_bytes, bc_dev_t *dev,
                uint64_t dev_base, uint64_t dev_bytes);

/* One SGD step on x (n samples of in_c*in_h*in_w, NCHW) with labels y. */
int bc_cnn_train_step(bc_cnn_t *m, const float *x, const uint8_t *y, unsigned n, unsigned fw_bits,
                      unsigned bw_bits, float *loss, unsigned *correct, bc_cnn_stats_t *st);

/* Mean cross-entropy of a training-mode forward (batch statistics; running
 * statistics and ranges move as in a step), without any update. */
int bc_cnn_loss(bc_cnn_t *m, const float *x, const uint8_t *y, unsigned n, unsigned fw_bits, float *loss);

/* Evaluation forward at fw_bits (running BN statistics and activation ranges). */
int bc_cnn_predict(bc_cnn_t *m, const float *x, unsigned n, unsigned fw_bits, uint8_t *pred, bc_cnn_stats_t *st);

/* FNV-1a hash of every parameter bit pattern (backend-equality checks). */
uint64_t bc_cnn_weights_hash(const bc_cnn_t *m);

/* ---- network builders (shapes filled in; 0 or -1 when it does not fit) ---- */
/* LeNet-5 class: conv5x5(6,pad 2)-BN-ReLU-maxpool2, conv5x5(16)-BN-ReLU-maxpool2, FC 120, FC 84, FC classes
 * (inputs below 16x16: the second conv is 3x3 pad 1). */
int bc_cnn_lenet5(bc_cnn_net_t *net, uint32_t in_c, uint32_t in_h, uint32_t in_w, unsigned classes);
/* CIFAR-style basic-block ResNet 6n+2 (n blocks per stage, widths w, 2w, 4w,
 * 1x1 stride-2 shortcut conv + BN where the shape changes, global average
 * pooling, FC). ResNet-8: n = 1, w = 16. */
int bc_cnn_resnet(bc_cnn_net_t *net, uint32_t in_c, uint32_t in_h, uint32_t in_w, unsigned classes, unsigned n,
                  unsigned width);

/* The GEMM layers as the lowering module sees them (estimator description),
 * in forward order; returns their number (<= max). */
unsigned bc_cnn_geoms(const bc_cnn_net_t *net, bc_layer_geom_t *out, unsigned max);

#endif
