/* The virtual platform as a plat_bus_t (see plat.h); only the VP programs link it. */
#include "plat.h"

#include "bc_vp.h"

static int v_rd(void *c, uint32_t a, uint32_t *v) { return bc_vp_reg_read(c, a, v); }
static int v_wr(void *c, uint32_t a, uint32_t v) { return bc_vp_reg_write(c, a, v); }
static int v_mrd(void *c, uint64_t a, void *d, size_t n) { return bc_vp_mem_read(c, a, d, n); }
static int v_mwr(void *c, uint64_t a, const void *s, size_t n) { return bc_vp_mem_write(c, a, s, n); }
static int v_irq(void *c, uint64_t t) { return bc_vp_wait_irq(c, (uint64_t)((double)t * 1e9 / PLAT_VP_CLOCK_HZ)); }
static uint64_t v_cyc(void *c) { return bc_vp_cycles(c); }

plat_bus_t plat_bus_vp(struct bc_vp *vp)
{
    return (plat_bus_t){vp, "vp", v_rd, v_wr, v_mrd, v_mwr, v_irq, v_cyc};
}
