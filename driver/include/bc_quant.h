/* The quantizer and its random generator (freestanding C, no libm): min/max
 * linear quantization with the CPT reference semantics.
 *
 * A tensor (or one row of it) with range [mn, mx] is coded at b bits as
 *   q = round((x - mn) / s),  s = (mx - mn) / (2^b - 1),  q in 0..2^b-1,
 * and stands for x_hat = offset + scale * q: the zero point is the minimum.
 * Unsigned codes use offset = mn. Signed codes (two's complement, for the
 * accelerator's signed operands) are q - 2^(b-1) with offset = mn + s * 2^(b-1):
 * the same grid and x_hat, shifted codes. A constant tensor (mx == mn) gets
 * scale 1 and codes 0 (x_hat == mn exactly in unsigned form). Non-finite
 * inputs are ignored for the range and clamped (NaN codes as the minimum).
 * Rounding: nearest, half to even, or stochastic (floor(v + u), u uniform in
 * [0, 1) from a seeded bc_rng_t). Arithmetic is float32 like the PyTorch
 * reference: v = (x - min) / scale, so float ties round as there.
 *
 * Per-channel weights: bc_q_rows (one bc_qp_t per row); activations and
 * errors per tensor: bc_q_tensor. */
#ifndef BC_QUANT_H
#define BC_QUANT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Seeded generator for stochastic rounding (splitmix64); the caller owns it. */
typedef struct bc_rng {
    uint64_t s;
} bc_rng_t;
void bc_rng_seed(bc_rng_t *r, uint64_t seed);
uint64_t bc_rng_u64(bc_rng_t *r);
float bc_rng_unit(bc_rng_t *r); /* uniform in [0, 1), 24 random bits */

typedef enum { BC_QROUND_NEAREST = 0, BC_QROUND_STOCHASTIC = 1 } bc_qround_t;

typedef struct bc_qp {
    float scale;  /* > 0 */
    float offset; /* x_hat = offset + scale * q */
    float min;    /* range minimum: codes are round((x - min) / scale) - (signed ? 2^(b-1) : 0) */
    unsigned bits;
    bool is_signed;
} bc_qp_t;

/* Range of x[0..n) (every stride-th element) over finite values; false when there is none. */
bool bc_q_minmax(const float *x, size_t n, size_t stride, float *mn, float *mx);
/* Parameters for range [mn, mx] at `bits` (clamped to 1..16). */
bc_qp_t bc_q_params(float mn, float mx, unsigned bits, bool is_signed);
/* Code of one value (rng needed for stochastic rounding; NULL rounds to nearest). */
int32_t bc_q_code(const bc_qp_t *p, float x, bc_qround_t round, bc_rng_t *rng);
/* Quantize n values per tensor; returns the params. */
bc_qp_t bc_q_tensor(const float *x, size_t n, unsigned bits, bool is_signed, bc_qround_t round,
                    bc_rng_t *rng, int32_t *q);
/* Per row: rows x cols with row strides ldx, ldq; one bc_qp_t per row in p. */
void bc_q_rows(const float *x, size_t rows, size_t cols, size_t ldx, unsigned bits, bool is_signed,
               bc_qround_t round, bc_rng_t *rng, int32_t *q, size_t ldq, bc_qp_t *p);
/* x_hat of code q. */
static inline float bc_q_value(const bc_qp_t *p, int32_t q)
{
    return p->offset + p->scale * (float)q;
}
/* Round half to even of a double, as rint() in the default rounding mode. */
double bc_q_rint(double x);

/* The firmware's names for the generator (the same one). */
typedef bc_rng_t bc_fw_rng_t;
static inline void bc_fw_rng_seed(bc_fw_rng_t *r, uint64_t seed)
{
    bc_rng_seed(r, seed);
}
static inline uint64_t bc_fw_rng_u64(bc_fw_rng_t *r)
{
    return bc_rng_u64(r);
}
static inline float bc_fw_rng_unit(bc_fw_rng_t *r)
{
    return bc_rng_unit(r);
}

#ifdef __cplusplus
}
#endif
#endif
