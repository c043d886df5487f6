/* vp HAL backend: TLM-2.0 transactions of the SystemC virtual platform
 * (sim/vp/bc_vp.h); called from inside bc_vp_run's software thread. */
#include "bc_hal_vp.h"

#include "bc_vp.h"

static int vp_read32(void *ctx, uint32_t off, uint32_t *val)
{
    return bc_vp_reg_read(ctx, off, val);
}

static int vp_write32(void *ctx, uint32_t off, uint32_t val)
{
    return bc_vp_reg_write(ctx, off, val);
}

static int vp_wait_irq(void *ctx, uint64_t timeout_ns)
{
    int r = bc_vp_wait_irq(ctx, timeout_ns);
    return r == 0 ? BC_HAL_IRQ : r == 1 ? BC_HAL_IRQ_TIMEOUT : -1;
}

static uint64_t vp_now_ns(void *ctx)
{
    return bc_vp_now_ns(ctx);
}

static int vp_mem_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
    return bc_vp_mem_read(ctx, addr, dst, len);
}

static int vp_mem_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
    return bc_vp_mem_write(ctx, addr, src, len);
}

void bc_hal_vp_init(bc_hal_t *hal, struct bc_vp *vp)
{
    hal->ctx = vp;
    hal->name = "vp";
    hal->read32 = vp_read32;
    hal->write32 = vp_write32;
    hal->wait_irq = vp_wait_irq;
    hal->now_ns = vp_now_ns;
    hal->mem_read = vp_mem_read;
    hal->mem_write = vp_mem_write;
}
