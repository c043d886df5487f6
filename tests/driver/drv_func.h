/* The functional suite's backend plumbing (tests/driver/test_drv_func.c). */
#ifndef DRV_FUNC_H
#define DRV_FUNC_H
#include <stdint.h>

#include "bitcycle.h"

typedef struct func_backend func_backend_t;
struct func_backend {
    const char *name;
    bc_dev_t dev;  /* opened on the backend */
    void *impl;    /* backend object (bc_fsim_t *, bc_sim_t *, bc_vp_t *) */
    bool bus_errors; /* memory answers SLVERR inside [FUNC_ERR_LO, FUNC_ERR_HI] */
};

/* Every backend's memory model is created with this error window (reads and
 * writes); only the bus-error case places operands there. */
#define FUNC_ERR_LO 0x00F00000u
#define FUNC_ERR_HI 0x00F0FFFFu

/* Run the suite on `backend`; `reference` (fsim) or NULL for counter
 * comparison. Returns the number of failed cases. */
int func_run_suite(func_backend_t *backend, func_backend_t *reference);
/* Set up the named backend (and the fsim reference) and run the suite. */
int func_main(const char *backend);
/* Compare every counter of a backend run with the fsim reference run of the
 * same jobs: event counts exactly (fails the current test), busy/stall
 * cycles reported with their relative difference. */
void func_compare_counters(const char *backend, const bc_counters_t *got,
                           const bc_counters_t *ref, uint64_t seed);
#endif
