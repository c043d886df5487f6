/* Precision range test (CPT): choose the lower bound Bmin of the forward
 * precision. Starting at `first_bits` (2), the trainer trains a short while
 * at each precision b = first_bits..max_bits and records the training
 * accuracy acc[b - first_bits]. Rule (docs/firmware.md):
 *   Bmin = the first b > first_bits with acc(b) - acc(b-1) >= threshold,
 *   i.e. the precision at which training accuracy starts to rise notably;
 *   if no step gains that much, training already works at first_bits and
 *   Bmin = first_bits. Bmax is the target precision (max_bits). */
#ifndef BC_RANGE_H
#define BC_RANGE_H
#include <stddef.h>

typedef struct bc_range_result {
    unsigned bmin, bmax;
    unsigned decided_at; /* the b whose gain passed (0: none passed) */
} bc_range_result_t;

/* acc has n = max_bits - first_bits + 1 entries (fractions in [0, 1]).
 * Returns 0, or -1 when n == 0 or an accuracy is not a number. */
int bc_range_pick(const double *acc, unsigned first_bits, unsigned n, double threshold,
                  bc_range_result_t *out);

#endif
