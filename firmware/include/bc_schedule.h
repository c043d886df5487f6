/* Precision schedules: Cyclic Precision Training (CPT) and related families.
 * One implementation shared by the firmware and the host tool; freestanding C
 * (needs only cos/pow from libm). Formulas are documented in docs/firmware.md. */
#ifndef BC_SCHEDULE_H
#define BC_SCHEDULE_H
#include <stddef.h>
#include <stdint.h>

#define BC_SCHED_MIN_BITS 1u
#define BC_SCHED_MAX_BITS 16u

typedef enum bc_sched_family {
    BC_SCHED_STATIC = 0, /* static:B                               */
    BC_SCHED_COS,        /* cpt:LO-HI = cos:LO-HI (repeated cosine) */
    BC_SCHED_COS_TRI,    /* cos-tri:LO-HI (up then down each cycle) */
    BC_SCHED_LIN,        /* lin:LO-HI                               */
    BC_SCHED_LIN_TRI,    /* lin-tri:LO-HI                           */
    BC_SCHED_EXP,        /* exp:LO-HI (geometric ramp)              */
    BC_SCHED_EXP_TRI,    /* exp-tri:LO-HI                           */
    BC_SCHED_PROG,       /* prog:LO-HI (rises once, never falls)    */
    BC_SCHED_FAMILY_COUNT
} bc_sched_family_t;

/* One schedule for one direction (forward or backward). For static, lo == hi. */
typedef struct bc_sched {
    bc_sched_family_t family;
    unsigned lo, hi; /* BC_SCHED_MIN_BITS <= lo <= hi <= BC_SCHED_MAX_BITS */
} bc_sched_t;

/* Parse a spec string. Returns 0 on success; -1 with a message naming the spec
 * and the 1-based character position of the problem in err. */
int bc_sched_parse(const char *spec, bc_sched_t *out, char *err, size_t errlen);

/* Canonical spec string ("cpt:3-8", "static:8"). Returns snprintf-like length. */
int bc_sched_format(const bc_sched_t *s, char *buf, size_t len);
const char *bc_sched_family_name(bc_sched_family_t f);

/* Constant schedule at b bits. */
bc_sched_t bc_sched_static(unsigned bits);

/* Precision at iteration t (from 0) of a run of total_iters iterations split
 * into `cycles` periods of T = floor(total_iters / cycles). Iterations in the
 * remainder (t >= cycles*T) keep cycling with t mod T, as the reference does.
 * cycles == 0 is treated as 1; T == 0 (fewer iterations than cycles) as 1. */
unsigned bc_sched_bits(const bc_sched_t *s, uint64_t t, uint64_t total_iters, unsigned cycles);

/* Round half to even, independent of the FPU rounding mode (as numpy.rint). */
double bc_sched_rint(double x);

/* Training BitOPs of one iteration relative to forward MACs x batch:
 * b_fw^2 + 2*b_fw*b_bw (forward, error back-propagation, weight gradient). */
uint64_t bc_sched_bitops_factor(unsigned fw_bits, unsigned bw_bits);

/* Whole-run summary of a forward/backward schedule pair. */
typedef struct bc_sched_summary {
    uint64_t iters;
    uint64_t fw_iters_at[BC_SCHED_MAX_BITS + 1]; /* index = bits */
    uint64_t bw_iters_at[BC_SCHED_MAX_BITS + 1];
    double mean_fw_bits, mean_bw_bits;
    uint64_t switches;       /* iterations whose (fw, bw) differ from the previous one */
    double bitops_factor;    /* sum of bitops_factor / (iters * baseline factor) */
    unsigned base_fw, base_bw;
} bc_sched_summary_t;

/* Baseline is static base_fw/base_bw (usually fw->hi / bw->hi). */
void bc_sched_summarize(const bc_sched_t *fw, const bc_sched_t *bw, uint64_t total_iters,
                        unsigned cycles, unsigned base_fw, unsigned base_bw, bc_sched_summary_t *out);

#endif
