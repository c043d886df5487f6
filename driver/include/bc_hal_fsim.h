/* fsim HAL backend: a register-level functional model of bitcycle_top.
 *
 * Same registers, reset values, validation order and error codes as the RTL.
 * A pushed job is executed instantly by an exact bit-plane GEMM (tested
 * bit-exact against bc_golden_gemm) on the model's own memory array; the
 * cycle counter and performance counters advance by the analytical timing
 * model (sim/model/bc_timing.h), and the job completes (DONE interrupt,
 * LAST_JOB_ID, CNT_JOBS) when device time reaches its finish cycle.
 * Host-only (allocates its memory). */
#ifndef BC_HAL_FSIM_H
#define BC_HAL_FSIM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bc_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bc_fsim bc_fsim_t;

typedef struct bc_fsim_config {
    size_t mem_bytes;        /* device memory size (default 64 MiB) */
    unsigned dm, dn;         /* array shape (default 8 x 8; dk is 64) */
    double clock_hz;         /* for now_ns (default 200 MHz) */
    unsigned reg_access_cycles; /* device cycles a register access takes (default 4) */
    /* Timing calibration: when calib_set is false the timing model's defaults
     * (bc_calib_default) are used. */
    bool calib_set;
    double job_overhead, block_overhead, tile_overhead;
    /* Bus-error injection, same meaning as bc_sim_config_t: accesses touching
     * [err_lo, err_hi] fail; kind 0 off, 1 read, 2 write, 3 both. */
    uint32_t err_lo, err_hi;
    int err_kind;
} bc_fsim_config_t;

void bc_fsim_config_default(bc_fsim_config_t *cfg);
/* NULL on failure with a message naming the bad field in err. */
bc_fsim_t *bc_fsim_create(const bc_fsim_config_t *cfg, char *err, size_t errlen);
void bc_fsim_destroy(bc_fsim_t *f);
/* Fill `hal` to drive `f`. */
void bc_fsim_hal(bc_fsim_t *f, bc_hal_t *hal);

/* Memory backdoor (no time passes). 0 ok, -1 out of range. */
int bc_fsim_mem_read(bc_fsim_t *f, uint64_t addr, void *dst, size_t len);
int bc_fsim_mem_write(bc_fsim_t *f, uint64_t addr, const void *src, size_t len);
/* Direct pointer to device memory (size bc_fsim_mem_size). */
uint8_t *bc_fsim_mem(bc_fsim_t *f);
size_t bc_fsim_mem_size(const bc_fsim_t *f);

/* Current device cycle; advance time by `cycles` (completing jobs). */
uint64_t bc_fsim_cycles(const bc_fsim_t *f);
void bc_fsim_run(bc_fsim_t *f, uint64_t cycles);
/* Level of the interrupt line. */
bool bc_fsim_irq(const bc_fsim_t *f);

/* The exact GEMM fsim uses, on packed operands in host memory (exposed for
 * tests and benchmarks). Layout as in docs/contracts.md; lda/ldb in 64-bit
 * words, ldc in int32 elements. Returns the saturation (overflow) flag. */
bool bc_fsim_gemm_packed(const uint64_t *a, size_t lda_words, const uint64_t *b, size_t ldb_words,
                         int32_t *c, size_t ldc_elems, unsigned m, unsigned n, unsigned k,
                         unsigned wbits, unsigned abits, bool wsigned, bool asigned);

#ifdef __cplusplus
}
#endif
#endif
