/* bitcycle SystemC TLM-2.0 virtual platform behind a plain C ABI.
 *
 * A CPU model runs the software entry point inside an SC_THREAD. Its register
 * accesses are TLM b_transport calls into the accelerator's target socket (the
 * Verilated bitcycle_top, clocked by its own thread) and are annotated with
 * reg_access_ns on top of the AXI4-Lite cycles they take. The accelerator's AXI4
 * master reaches a DRAM-like TLM target (latency + bandwidth occupancy) through
 * the same AXI memory port model the C-ABI harness uses. irq_o drives an
 * interrupt line the CPU can wait on.
 *
 * SystemC cannot elaborate twice in one process: bc_vp_run works once per process. */
#ifndef BC_VP_H
#define BC_VP_H
#include <stddef.h>
#include <stdint.h>

#include "bc_sim.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bc_vp bc_vp_t;
typedef struct bc_vp_config {
    bc_sim_config_t sim;       /* mem_bytes, stalls, error window, trace (latency/bandwidth: below) */
    double clock_hz;           /* accelerator clock */
    unsigned reg_access_ns;    /* CPU + interconnect time added to every register access */
    unsigned dram_latency_ns;  /* DRAM access latency per burst */
    double dram_bytes_per_ns;  /* DRAM bandwidth */
} bc_vp_config_t;

void bc_vp_config_default(bc_vp_config_t *cfg);
/* Returns entry's return value, or -1 (message in err) when the platform could not
 * be built, was already run in this process, or the AXI checker stopped it. */
int bc_vp_run(const bc_vp_config_t *cfg, int (*entry)(bc_vp_t *vp, void *arg), void *arg, char *err,
              size_t errlen);
int bc_vp_reg_read(bc_vp_t *vp, uint32_t addr, uint32_t *val);  /* 0 ok, -1 SLVERR, -2 stopped */
int bc_vp_reg_write(bc_vp_t *vp, uint32_t addr, uint32_t val);
int bc_vp_mem_read(bc_vp_t *vp, uint64_t addr, void *dst, size_t len);       /* debug transport */
int bc_vp_mem_write(bc_vp_t *vp, uint64_t addr, const void *src, size_t len);
int bc_vp_wait_irq(bc_vp_t *vp, uint64_t timeout_ns);                        /* 0 irq, 1 timeout, -1 stopped */
uint64_t bc_vp_now_ns(bc_vp_t *vp);
uint64_t bc_vp_cycles(bc_vp_t *vp);
/* Direct (DMI-style) pointer to the DRAM storage, for a CPU model that executes from it. */
uint8_t *bc_vp_mem_ptr(bc_vp_t *vp, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
