/* mmio HAL backend: volatile 32-bit loads and stores at a base address. */
#include "bc_hal_mmio.h"


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
    bc_mmio_t *m = ctx;
    if (m->now_ns)
        return m->now_ns(m->now_arg);
    m->own_ns += m->poll_ns ? m->poll_ns : 1000u; /* monotonic: only ever advances */
    return m->own_ns;
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
