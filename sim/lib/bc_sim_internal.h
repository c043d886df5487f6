// C++-only hooks of the simulator library for the SystemC virtual platform:
// a pluggable memory backend and cycle-level register transactions.
#ifndef BC_SIM_INTERNAL_H
#define BC_SIM_INTERNAL_H
#include "bc_axi_mem.h"
#include "bc_sim.h"

// backend NULL: the flat memory of cfg->mem_bytes (with cfg's error window).
bc_sim_t *bc_sim_create_with_backend(const bc_sim_config_t *cfg, bcsim::MemBackend *backend,
                                     char *err, size_t errlen);
bool bc_sim_step_internal(bc_sim_t *s);                 // one clock; false once stopped
void bc_sim_lite_start(bc_sim_t *s, bool write, uint32_t addr, uint32_t data);
int bc_sim_lite_result(const bc_sim_t *s, uint32_t *rdata); // 1 pending, 0 OKAY, -1 SLVERR
bool bc_sim_irq_internal(const bc_sim_t *s);
const char *bc_sim_stop_reason(const bc_sim_t *s);     // NULL while running
#endif
