/* mmio HAL backend: volatile 32-bit loads and stores at a base address. */
#include "bc_hal_mmio.h"

#include "bc_regs.h"

static int mmio_read32(void *ctx, uint32_t off, uint32_t *val)
{
    const bc_mmio_t *m = ctx;
    *val = *(const volatile uint32_t *)(m->reg_base + off);
    return 0;
}

static int mmio_write32(void *ctx, uint32_t off, uint32_t val)
{
    const bc_mmio_t *m = ctx;
    *(volatile uint32_t *)(m->reg_base + off) = val;
    return 0;
}

static int mmio_wait_irq(void *ctx, uint64_t timeout_ns)
{
    const bc_mmio_t *m = ctx;
    return m->wait_irq(m->irq_arg, timeout_ns);
}

static uint64_t mmio_now_ns(void *ctx)
{
    const bc_mmio_t *m = ctx;
    if (m->now_ns)
        return m->now_ns(m->now_arg);
    /* No platform timer: the device's busy-cycle counter only advances while
     * jobs run, which is exactly when a timeout needs to progress. */
    const volatile uint32_t *r = (const volatile uint32_t *)(m->reg_base + BC_REG_CNT_BUSY_LO);
    uint32_t lo = r[0]; /* latches the high half into HI's shadow */
    uint32_t hi = r[1];
    uint64_t cyc = (uint64_t)hi << 32 | lo;
    uint32_t hz = m->clock_hz ? m->clock_hz : 100000000u;
    /* ns = cyc * 1e9 / hz, split to avoid 64-bit overflow for long runs. */
    return cyc / hz * 1000000000ull + (cyc % hz) * 1000000000ull / hz;
}

/* Copy bytewise through volatile pointers: the compiler may not turn this
 * into a libc call, and the DMA view may be uncached device memory. */
static int mmio_mem_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
    const bc_mmio_t *m = ctx;
    volatile uint8_t *d = (volatile uint8_t *)(m->mem_base + (uintptr_t)addr);
    const uint8_t *s = src;
    for (size_t i = 0; i < len; i++)
        d[i] = s[i];
    return 0;
}

static int mmio_mem_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
    const bc_mmio_t *m = ctx;
    const volatile uint8_t *s = (const volatile uint8_t *)(m->mem_base + (uintptr_t)addr);
    uint8_t *d = dst;
    for (size_t i = 0; i < len; i++)
        d[i] = s[i];
    return 0;
}

void bc_hal_mmio_init(bc_hal_t *hal, bc_mmio_t *m)
{
    hal->ctx = m;
    hal->name = "mmio";
    hal->read32 = mmio_read32;
    hal->write32 = mmio_write32;
    hal->wait_irq = m->wait_irq ? mmio_wait_irq : 0;
    hal->now_ns = mmio_now_ns;
    hal->mem_read = mmio_mem_read;
    hal->mem_write = mmio_mem_write;
}
