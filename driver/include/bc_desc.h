/* Descriptor validation shared by the driver (bc_gemm_validate) and the
 * functional model (fsim): the hardware's checks in the hardware's order,
 * first failing field wins. The RTL (bc_job_check.sv) and the fuzz oracle
 * keep independent implementations on purpose. Freestanding. */
#ifndef BC_DESC_H
#define BC_DESC_H
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the hardware reports about itself (CFG_* registers). */
typedef struct bc_desc_limits {
    unsigned max_bits, max_m, max_n, max_k;
    uint32_t win_base, win_size; /* operands must lie in [win_base, win_base + win_size) */
} bc_desc_limits_t;

/* One GEMM descriptor as the JOB_* registers hold it (strides in bytes). */
typedef struct bc_desc {
    uint32_t a_addr, b_addr, c_addr;
    uint32_t m, n, k;
    uint32_t lda, ldb, ldc;
    unsigned wbits, abits;
    bool wb16; /* int16 write-back: 2 bytes per C element instead of 4 */
} bc_desc_t;

/* BC_ERR_NONE (0) or the ERR_CODE of the first failing field: wbits, abits,
 * m, n, k, a_addr, b_addr, c_addr, lda, ldb, ldc (bc_regs.h). */
uint32_t bc_desc_check(const bc_desc_limits_t *lim, const bc_desc_t *d);

#ifdef __cplusplus
}
#endif
#endif
