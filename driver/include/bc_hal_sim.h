/* sim HAL backend: drives the Verilator model of bitcycle_top through the
 * simulator library sim/lib/bc_sim.h. Register reads/writes are AXI4-Lite
 * transactions (simulated time advances); wait_irq runs the clock until
 * irq_o rises; now_ns is simulated cycles / clock. Host-only. */
#ifndef BC_HAL_SIM_H
#define BC_HAL_SIM_H
#include "bc_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bc_sim;

typedef struct bc_hal_sim {
    struct bc_sim *sim;  /* from bc_sim_create, owned by the caller */
    double clock_hz;     /* for now_ns and timeouts (default 200 MHz when 0) */
} bc_hal_sim_t;

/* Fill `hal` to drive `s` (which must outlive hal). */
void bc_hal_sim_init(bc_hal_t *hal, bc_hal_sim_t *s);

#ifdef __cplusplus
}
#endif
#endif
