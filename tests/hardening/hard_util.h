/* Shared helpers of the hardening programs (robustness probe, fault tests,
 * soak): open a device on a backend, run a random GEMM through the driver
 * and compare it bit-exactly with the golden model. */
#ifndef HARD_UTIL_H
#define HARD_UTIL_H
#include <stdbool.h>
#include <stdint.h>

#include "bitcycle.h"

#include "bc_backend.h"
#ifdef HU_HAVE_SIM
#include "bc_sim.h"
#endif

typedef struct hu_dev {
    bc_dev_t dev;
    bc_backend_t be;     /* from the backend registry */
    struct bc_sim *sim;  /* be.impl when the backend is "sim" (tests drive the clock) */
    void *cov_ctx;       /* HU_COVERAGE builds: the sim's VerilatedContext */
    const char *backend;
} hu_dev_t;

/* Memory-model options for the sim backend (ignored by fsim except the
 * bus-error window, which both support). */
typedef struct hu_opts {
    unsigned rd_latency, wr_latency; /* 0: backend default */
    double stall_prob;
    uint32_t err_lo, err_hi;
    int err_kind;
    uint64_t seed;
} hu_opts_t;

void hu_opts_default(hu_opts_t *o);
/* A backend of the registry that can be opened (fsim, sim); returns 0, or -1
 * with a message on stderr. */
int hu_open(hu_dev_t *d, const char *backend, const hu_opts_t *o);
void hu_close(hu_dev_t *d);
bool hu_have_sim(void);

typedef struct hu_rng {
    uint64_t s;
} hu_rng_t;
void hu_seed(hu_rng_t *r, uint64_t seed);
uint64_t hu_next(hu_rng_t *r);
unsigned hu_range(hu_rng_t *r, unsigned lo, unsigned hi); /* inclusive */

typedef struct hu_job {
    unsigned m, n, k, wbits, abits;
    bool wsigned, asigned;
} hu_job_t;

/* Operand layout used by hu_run: A at base, B and C after it, 8-aligned. */
typedef struct hu_layout {
    uint32_t a_addr, b_addr, c_addr, end;
} hu_layout_t;
void hu_layout(const hu_job_t *j, uint32_t base, hu_layout_t *l);

/* Fill a descriptor for j at layout l (job id as given). */
void hu_gemm_for(hu_dev_t *d, const hu_job_t *j, const hu_layout_t *l, uint32_t job_id, bc_gemm_t *g);

/* Random operands for j (extremes with some probability, so saturation and
 * sign planes are exercised), packed and written at base. Keeps the
 * unpacked operands for hu_check. */
typedef struct hu_data {
    hu_job_t job;
    hu_layout_t lay;
    int32_t *a, *b, *c_gold;
    bool overflow;
} hu_data_t;
int hu_prepare(hu_dev_t *d, hu_rng_t *r, const hu_job_t *j, uint32_t base, hu_data_t *out);
/* Read C back and compare with the golden model; 0 equal, 1 mismatch
 * (first difference printed with `what`), -1 driver error. */
int hu_check(hu_dev_t *d, const hu_data_t *h, const char *what);
void hu_data_free(hu_data_t *h);

/* prepare + submit + wait + check in one: 0 bit-exact, else non-zero. */
int hu_run(hu_dev_t *d, hu_rng_t *r, const hu_job_t *j, uint32_t base, uint64_t timeout_ns, const char *what);

/* A random job: every precision 1..16 and signedness; sizes bounded by max_mn/max_k. */
void hu_random_job(hu_rng_t *r, unsigned max_mn, unsigned max_k, hu_job_t *j);

#endif
