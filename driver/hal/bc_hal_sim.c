/* sim HAL backend: the Verilator model through sim/lib/bc_sim.h. */
#include "bc_hal_sim.h"

#include "bc_sim.h"

#define SIM_DEFAULT_HZ 200e6

static double clock_hz(const bc_hal_sim_t *s)
{
    return s->clock_hz > 0 ? s->clock_hz : SIM_DEFAULT_HZ;
}

static int sim_read32(void *ctx, uint32_t off, uint32_t *val)
{
    bc_hal_sim_t *s = ctx;
    return bc_sim_reg_read(s->sim, off, val);
}

static int sim_write32(void *ctx, uint32_t off, uint32_t val)
{
    bc_hal_sim_t *s = ctx;
    return bc_sim_reg_write(s->sim, off, val);
}

static int sim_wait_irq(void *ctx, uint64_t timeout_ns)
{
    bc_hal_sim_t *s = ctx;
    double cyc = (double)timeout_ns * clock_hz(s) / 1e9;
    /* Round up so a timeout never ends early; cap absurd requests. */
    uint64_t cycles = cyc >= 1.8e19 ? (uint64_t)1 << 62 : (uint64_t)cyc + 1;
    int r = bc_sim_run_until_irq(s->sim, cycles);
    return r == 0 ? BC_HAL_IRQ : r == 1 ? BC_HAL_IRQ_TIMEOUT : -1;
}

static uint64_t sim_now_ns(void *ctx)
{
    bc_hal_sim_t *s = ctx;
    return (uint64_t)((double)bc_sim_cycles(s->sim) * 1e9 / clock_hz(s));
}

static int sim_mem_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
    bc_hal_sim_t *s = ctx;
    return bc_sim_mem_read(s->sim, addr, dst, len);
}

static int sim_mem_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
    bc_hal_sim_t *s = ctx;
    return bc_sim_mem_write(s->sim, addr, src, len);
}

void bc_hal_sim_init(bc_hal_t *hal, bc_hal_sim_t *s)
{
    hal->ctx = s;
    hal->name = "sim";
    hal->read32 = sim_read32;
    hal->write32 = sim_write32;
    hal->wait_irq = sim_wait_irq;
    hal->now_ns = sim_now_ns;
    hal->mem_read = sim_mem_read;
    hal->mem_write = sim_mem_write;
}
