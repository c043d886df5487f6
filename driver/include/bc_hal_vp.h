/* vp HAL backend: the driver runs inside the SystemC virtual platform's
 * software thread (bc_vp_run's entry) and reaches the device through TLM-2.0
 * transactions (sim/vp/bc_vp.h). Build the HAL inside the entry function:
 *
 *   static int entry(bc_vp_t *vp, void *arg) {
 *       bc_hal_t hal; bc_hal_vp_init(&hal, vp);
 *       bc_dev_t dev; if (bc_open(&dev, &hal) != BC_OK) return 1; ...
 *   }
 * Host-only. */
#ifndef BC_HAL_VP_H
#define BC_HAL_VP_H
#include "bc_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bc_vp;

void bc_hal_vp_init(bc_hal_t *hal, struct bc_vp *vp);

#ifdef __cplusplus
}
#endif
#endif
