/* Lowering of trained layers to accelerator GEMMs (freestanding C).
 *
 * The one place that says which GEMMs a training iteration of a layer runs:
 * the trainer, the estimator and the RTL validation all call it.
 *
 * Every trained layer runs three GEMMs per iteration (C = A x B, A is M x K
 * at wbits, B is K x N at abits):
 *   forward          Y  = W  * X          M = Cout/g,  N = OH*OW*batch,  K = Cin/g*kh*kw
 *   error (input)    dX = W' * dY         M = Cin/g,   N = H*W*batch,    K = Cout/g*kh*kw
 *                    a transposed convolution (W' is W with its kernel
 *                    flipped and in/out channels swapped), not W^T.dY in
 *                    column form: it writes an input-sized error.
 *   weight gradient  dW = dY * X^T        M = Cout/g,  N = Cin/g*kh*kw,  K = OH*OW*batch
 * A grouped (depthwise) layer runs each GEMM once per group; `steps` repeats
 * them (time steps of a recurrent layer). The first layer computes no input
 * error. A fully connected layer is the 1x1 case with H = W = 1.
 *
 * Precisions: forward at (fw, fw); error at (w = fw, a = bw); weight
 * gradient at (w = bw for the errors, a = fw for the activations). */
#ifndef BC_LOWER_H
#define BC_LOWER_H
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bc_layer_kind {
    BC_LAYER_FC = 0,   /* in = cin features, out = cout features */
    BC_LAYER_CONV = 1  /* 2-D convolution, NCHW semantics */
} bc_layer_kind_t;

typedef struct bc_layer_geom {
    bc_layer_kind_t kind;
    uint32_t cin, cout;          /* channels or features */
    uint32_t in_h, in_w;         /* input size (FC: 1 x 1) */
    uint32_t kh, kw;             /* kernel (FC: 1 x 1) */
    uint32_t stride_h, stride_w; /* >= 1 */
    uint32_t pad_h, pad_w;       /* zero padding on each side */
    uint32_t dil_h, dil_w;       /* dilation, >= 1 (0 reads as 1) */
    uint32_t groups;             /* 1 dense; cin for depthwise; 0 reads as 1 */
    uint32_t steps;              /* repetitions per iteration; 0 reads as 1 */
    bool first;                  /* first trained layer: no input error */
} bc_layer_geom_t;

typedef enum bc_gemm_kind {
    BC_GEMM_FWD = 0,
    BC_GEMM_ERR = 1,
    BC_GEMM_WGRAD = 2
} bc_gemm_kind_t;
#define BC_GEMM_KINDS 3u

/* "forward", "error", "wgrad". */
const char *bc_gemm_kind_name(bc_gemm_kind_t k);

/* One training GEMM of a layer: `count` identical GEMMs of M x N x K. */
typedef struct bc_gemm_desc {
    bc_gemm_kind_t kind;
    uint64_t m, n, k;
    uint64_t count;        /* groups x steps */
    unsigned wbits, abits; /* A (weights or errors) and B operand precision */
} bc_gemm_desc_t;

typedef enum bc_lower_status {
    BC_LOWER_OK = 0,
    BC_LOWER_E_ZERO,     /* a channel, size, kernel or stride is 0, or batch is 0 */
    BC_LOWER_E_GROUPS,   /* cin or cout not divisible by groups */
    BC_LOWER_E_KERNEL,   /* the dilated kernel is larger than the padded input */
    BC_LOWER_E_OVERFLOW, /* a GEMM dimension or the MAC count does not fit in 64 bits */
    BC_LOWER_E_BITS      /* a precision outside 1..16 */
} bc_lower_status_t;

const char *bc_lower_strerror(bc_lower_status_t s);

/* Output size of a convolution along one axis (0 when the kernel does not fit). */
uint32_t bc_conv_out_size(uint32_t in, uint32_t k, uint32_t stride, uint32_t pad, uint32_t dil);

/* Output height and width of a layer (FC: 1 x 1). */
bc_lower_status_t bc_layer_out(const bc_layer_geom_t *l, uint32_t *out_h, uint32_t *out_w);

/* Forward MACs of one sample (all groups and steps). */
bc_lower_status_t bc_layer_macs(const bc_layer_geom_t *l, uint64_t *macs);

/* The training GEMMs of one iteration, in the trainer's order for this layer
 * (forward; then error unless first; then weight gradient). Writes 2 or 3
 * entries to out and their number to *n. */
bc_lower_status_t bc_lower_layer(const bc_layer_geom_t *l, uint64_t batch, unsigned fw, unsigned bw,
                                 bc_gemm_desc_t out[BC_GEMM_KINDS], unsigned *n);

/* ------------------------------------------------------------------ */
/* Splitting at the descriptor limits                                  */
/* ------------------------------------------------------------------ */

typedef struct bc_gemm_limits {
    uint32_t max_m, max_n, max_k; /* each >= 1 */
} bc_gemm_limits_t;

/* One descriptor-sized part of a GEMM: rows m0.., columns n0.., reduction k0.. */
typedef struct bc_gemm_part {
    uint64_t m0, n0, k0;
    uint32_t m, n, k;
    bool k_first, k_last; /* first / last part of its output tile's reduction */
} bc_gemm_part_t;

/* Parts are issued M outer, then N, then K innermost (the K parts of one
 * output tile are consecutive, so the caller can accumulate them). */
typedef struct bc_split_iter {
    uint64_t m, n, k;
    bc_gemm_limits_t lim;
    uint64_t mi, ni, ki;
    bool done;
} bc_split_iter_t;

/* Number of parts (0 if a dimension is 0 or a limit is 0). */
uint64_t bc_split_count(uint64_t m, uint64_t n, uint64_t k, const bc_gemm_limits_t *lim);
void bc_split_begin(bc_split_iter_t *it, uint64_t m, uint64_t n, uint64_t k, const bc_gemm_limits_t *lim);
/* Next part; false when there is none left. */
bool bc_split_next(bc_split_iter_t *it, bc_gemm_part_t *part);

#ifdef __cplusplus
}
#endif
#endif
