/* mmio HAL backend: volatile 32-bit accesses at a base address (bare metal).
 * Freestanding; no allocation: the caller owns the bc_mmio_t. */
#ifndef BC_HAL_MMIO_H
#define BC_HAL_MMIO_H
#include <stdint.h>

#include "bc_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bc_mmio {
    uintptr_t reg_base;  /* CPU address of register offset 0 */
    uintptr_t mem_base;  /* CPU address of device address 0 (DMA view of RAM) */
    /* Time source for timeouts: a platform timer (e.g. the RISC-V time CSR).
     * NULL: the HAL's own monotonic clock, which nothing but the HAL touches:
     * each now_ns call advances it by poll_ns (default 1000 when 0), so a
     * timeout bounds the number of status polls even with no platform timer.
     * (The device's counters are not a clock: software clears them.) */
    uint64_t (*now_ns)(void *arg);
    void *now_arg;
    uint32_t poll_ns;
    uint64_t own_ns;     /* the HAL's clock; start at 0 */
    /* Optional interrupt wait (e.g. WFI loop); NULL: no interrupt mode. */
    int (*wait_irq)(void *arg, uint64_t timeout_ns);
    void *irq_arg;
} bc_mmio_t;

/* Fill `hal` to use `m` (which must outlive hal). */
void bc_hal_mmio_init(bc_hal_t *hal, bc_mmio_t *m);

#ifdef __cplusplus
}
#endif
#endif
