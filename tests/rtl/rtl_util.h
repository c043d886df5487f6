/* Shared helpers of the array-core regressions, demo and benchmark: a seeded RNG,
 * operand generators, buffer loading in the documented bank layout, and checking a
 * finished job against the golden model. */
#ifndef RTL_UTIL_H
#define RTL_UTIL_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bc_core_sim.h"
#include "bc_golden.h"

typedef struct rtl_rng {
    uint64_t s;
} rtl_rng_t;
void rtl_rng_seed(rtl_rng_t *r, uint64_t seed);
uint64_t rtl_rng_next(rtl_rng_t *r);
/* Uniform in lo..hi inclusive. */
unsigned rtl_rng_range(rtl_rng_t *r, unsigned lo, unsigned hi);

typedef enum {
    RTL_FILL_RANDOM = 0, /* uniform raw values; only the low bits count */
    RTL_FILL_EXTREME,    /* random mix of most negative, most positive, all ones, 0, 1 */
    RTL_FILL_MOST_NEG,   /* every element 1 << (bits-1) */
    RTL_FILL_ALL_ONES,   /* every element all bits set */
} rtl_fill_t;
/* Fill n elements; high bits above `bits` get random garbage (the hardware ignores them). */
void rtl_fill(rtl_rng_t *r, int32_t *x, unsigned n, unsigned bits, rtl_fill_t mode);

/* One GEMM operand set: A (m x k, row-major), B (k x n, row-major). */
typedef struct rtl_gemm {
    bc_core_job_t job;
    int32_t *a, *b;
    int idx; /* record index in the simulator */
} rtl_gemm_t;
bool rtl_gemm_alloc(rtl_gemm_t *g, const bc_core_job_t *job);
void rtl_gemm_free(rtl_gemm_t *g);

/* Words a job occupies in each A / B bank. */
unsigned rtl_a_words(const bc_core_geom_t *geo, const bc_core_job_t *job);
unsigned rtl_b_words(const bc_core_geom_t *geo, const bc_core_job_t *job);

/* Pack a job's operands into buffer words (bank r%DM, word a_off + (r/DM)*KC*w + kc*w + i)
 * and hand each to emit (non-zero return aborts); padding bits beyond K in the last chunk
 * get garbage from rng when given (the hardware must mask them). */
typedef int (*rtl_word_fn)(void *ctx, bool is_a, unsigned bank, unsigned addr, uint64_t word);
int rtl_emit_operands(const bc_core_geom_t *geo, const rtl_gemm_t *g, rtl_rng_t *garbage, rtl_word_fn emit,
                      void *ctx);

/* Simulator side (rtl_sim_util.c): write the operands through the buffer write ports;
 * emit, if non-NULL, also sees every word. */
int rtl_load(bc_core_sim_t *sim, const bc_core_geom_t *geo, const rtl_gemm_t *g, rtl_rng_t *garbage,
             rtl_word_fn emit, void *ctx);

/* Compare a finished job with the golden model. Prints a MISMATCH line (with seed and
 * shape) to stderr on the first wrong element or overflow flag. Returns true if exact. */
bool rtl_check(bc_core_sim_t *sim, const rtl_gemm_t *g, uint64_t seed, const char *what);

/* Ideal pass cycles of a job on geometry geo (golden formula). */
uint64_t rtl_passes(const bc_core_geom_t *geo, const bc_core_job_t *job);

#endif
