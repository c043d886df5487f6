/* bitcycle hardware abstraction layer (HAL).
 *
 * The HAL is the only code that touches the device. The driver (bitcycle.h)
 * reaches registers, interrupts, time and the device-visible memory only
 * through one bc_hal_t, so the same driver and firmware run unchanged on:
 *
 *   mmio  volatile loads/stores at a base address (bare metal)   bc_hal_mmio.h
 *   fsim  register-level functional model (golden + timing model) bc_hal_fsim.h
 *   sim   the Verilator simulator library sim/lib/bc_sim.h        bc_hal_sim.h
 *   vp    the SystemC virtual platform sim/vp/bc_vp.h             bc_hal_vp.h
 *
 * A backend fills a bc_hal_t with its context pointer and functions. All
 * functions receive `ctx`. Return convention: 0 success, non-zero failure
 * (a bus error such as AXI SLVERR, or a backend fault).
 *
 * Freestanding: only <stdint.h> and <stddef.h>.
 */
#ifndef BC_HAL_H
#define BC_HAL_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* wait_irq results */
enum { BC_HAL_IRQ = 0, BC_HAL_IRQ_TIMEOUT = 1 };

typedef struct bc_hal {
    void *ctx;        /* backend state, passed to every call */
    const char *name; /* "mmio", "fsim", "sim", "vp", or a test's name */

    /* 32-bit register access; `off` is the byte offset from the register
     * base (BC_REG_* in the generated bc_regs.h). Required. */
    int (*read32)(void *ctx, uint32_t off, uint32_t *val);
    int (*write32)(void *ctx, uint32_t off, uint32_t val);

    /* Block until the level interrupt line is high or `timeout_ns` of device
     * time passed. Returns BC_HAL_IRQ, BC_HAL_IRQ_TIMEOUT or <0 on a fault.
     * Optional (NULL): the driver then only polls. */
    int (*wait_irq)(void *ctx, uint64_t timeout_ns);

    /* Monotonic device-side time in nanoseconds (simulated time on the
     * simulators, a platform timer on bare metal). Required for timeouts. */
    uint64_t (*now_ns)(void *ctx);

    /* Memory as the accelerator's DMA sees it, at device address `addr`.
     * On bare metal this is a memcpy to RAM; on simulators a backdoor into
     * the simulated DRAM. Optional (NULL): bc_mem_read/bc_mem_write then
     * return BC_E_HAL. */
    int (*mem_read)(void *ctx, uint64_t addr, void *dst, size_t len);
    int (*mem_write)(void *ctx, uint64_t addr, const void *src, size_t len);
} bc_hal_t;

#ifdef __cplusplus
}
#endif
#endif
