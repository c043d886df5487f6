/* Internal to the CNN trainer: the quantized GEMMs of one layer, lowered as
 * bc_lower.h says, split at the descriptor limits and queued back to back. */
#ifndef BC_CNN_GEMM_H
#define BC_CNN_GEMM_H
#include "bc_cnn.h"

/* Convolution geometry of a CONV or FC op (FC: 1x1 kernel on a 1x1 input). */
typedef struct cg_geom {
    uint32_t cin, cout, h, w, kh, kw, sh, sw, ph, pw, oh, ow;
    unsigned batch;
} cg_geom_t;

/* One lowered GEMM (A is M x K, B is K x N, result to out).
 *   FWD:   A = weight codes qa [cout][cin*kh*kw] (per-row parameters),
 *          B = input codes qb [b][cin][h][w] gathered by im2col.
 *   ERR:   A = weight codes qa (per tensor) read as W' [cin][cout*kh*kw],
 *          B = error codes qb [b][cout][oh][ow] gathered as a transposed convolution.
 *   WGRAD: A = error codes qa [b][cout][oh][ow] as [cout][b*oh*ow],
 *          B = input codes qb gathered as [cin*kh*kw][b*oh*ow]. */
typedef struct cg_job {
    bc_gemm_kind_t kind;
    cg_geom_t g;
    const int32_t *qa, *qb;
    const bc_qp_t *pa; /* pa[i] per row when pa_rows */
    bool pa_rows;
    bc_qp_t pb;
    float *out;
    bool accumulate; /* out += result */
    /* filled by the engine */
    uint64_t m, n, k;
    uint64_t a_addr, b_addr;
    uint32_t lda, ldb;
    bc_gemm_limits_t lim;
} cg_job_t;

/* Lowered sizes of a job (from bc_lower_layer). */
int cg_shape(const cg_job_t *j, uint64_t *m, uint64_t *n, uint64_t *k);

/* Runs 1 or 2 independent jobs: packs, submits every part of both before
 * waiting, reads back and applies the zero-offset corrections. */
int cg_run(bc_cnn_t *t, cg_job_t *jobs, unsigned n_jobs, const char *what, unsigned op, bc_cnn_stats_t *st);

/* Arena and device sizes the engine needs for a job (measuring mode). */
typedef struct cg_need {
    size_t rows_elems, acc_elems, sumb_elems, corr_elems;
    uint64_t dev_ab, dev_c; /* bytes: A + B at 16 bits, C parts at the hardware K limit */
} cg_need_t;
void cg_measure(const cg_geom_t *g, bc_gemm_kind_t kind, cg_need_t *need);

/* Message helpers shared with bc_cnn.c. */
int cg_fail(bc_cnn_t *t, const char *what, unsigned op, const char *detail);
void cg_msg_add(char *dst, size_t len, const char *s);
void cg_msg_num(char *dst, size_t len, uint64_t v);

#endif
