/* The two platform buses (see plat.h): the C-ABI harness and the virtual
 * platform, each as a plat_bus_t. */
#include "plat.h"

#include "bc_sim.h"

static int s_rd(void *c, uint32_t a, uint32_t *v) { return bc_sim_reg_read(c, a, v); }
static int s_wr(void *c, uint32_t a, uint32_t v) { return bc_sim_reg_write(c, a, v); }
static int s_mrd(void *c, uint64_t a, void *d, size_t n) { return bc_sim_mem_read(c, a, d, n); }
static int s_mwr(void *c, uint64_t a, const void *s, size_t n) { return bc_sim_mem_write(c, a, s, n); }
static int s_irq(void *c, uint64_t t) { return bc_sim_run_until_irq(c, t); }
static uint64_t s_cyc(void *c) { return bc_sim_cycles(c); }

plat_bus_t plat_bus_sim(struct bc_sim *s)
{
    return (plat_bus_t){s, "sim", s_rd, s_wr, s_mrd, s_mwr, s_irq, s_cyc};
}
