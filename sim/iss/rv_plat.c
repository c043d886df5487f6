/* Devices of the ISS platform: CLINT timer, UART and sifive_test as on QEMU's
 * virt machine (so the same programs run on both), bitcycle's console/exit
 * device, and the accelerator's register window when a port is given. */
#include "rv_plat.h"

#include <stdlib.h>
#include <string.h>

static int clint_load(rv_plat_t *p, uint32_t off, uint32_t *v)
{
    uint64_t t = rv_mtime(&p->cpu);
    switch (off) {
    case 0x0: *v = (p->cpu.mip >> RV_IRQ_MSI) & 1; return 0;
    case 0x4000: *v = (uint32_t)p->cpu.mtimecmp; return 0;
    case 0x4004: *v = (uint32_t)(p->cpu.mtimecmp >> 32); return 0;
    case 0xBFF8: *v = (uint32_t)t; return 0;
    case 0xBFFC: *v = (uint32_t)(t >> 32); return 0;
    default: return -1;
    }
}

static int clint_store(rv_plat_t *p, uint32_t off, uint32_t v)
{
    uint64_t cmp = p->cpu.mtimecmp;
    switch (off) {
    case 0x0: rv_set_soft_irq(&p->cpu, v & 1); return 0;
    case 0x4000: rv_set_mtimecmp(&p->cpu, (cmp & 0xFFFFFFFF00000000ull) | v); return 0;
    case 0x4004: rv_set_mtimecmp(&p->cpu, (cmp & 0xFFFFFFFFull) | (uint64_t)v << 32); return 0;
    case 0xBFF8: case 0xBFFC: return 0; /* mtime follows the cycle count; writes are ignored */
    default: return -1;
    }
}

static int sys_store(rv_plat_t *p, uint32_t off, uint32_t v)
{
    switch (off) {
    case RV_SYS_PUTC: fputc((int)(v & 0xFF), p->console); return 0;
    case RV_SYS_EXIT: rv_exit(&p->cpu, (int)v); return 0;
    case RV_SYS_FAULT: {
        char rep[200];
        rv_fault_report(&p->cpu, rep, sizeof rep);
        p->fault = true;
        rv_stop(&p->cpu, rep);
        return 0;
    }
    default: return -1;
    }
}

static int test_store(rv_plat_t *p, uint32_t v)
{
    switch (v & 0xFFFF) {
    case 0x5555: rv_exit(&p->cpu, 0); return 0;
    case 0x3333: rv_exit(&p->cpu, (int)(v >> 16)); return 0;
    case 0x7777: rv_stop(&p->cpu, "reset requested through the test device"); return 0;
    default: return 0;
    }
}

static int plat_load(void *ctx, uint32_t a, unsigned size, uint32_t *v)
{
    rv_plat_t *p = ctx;
    if (a - RV_UART_BASE < 8 && size == 1) {
        *v = a - RV_UART_BASE == 5 ? 0x60 : 0; /* LSR: transmitter empty */
        return 0;
    }
    if (size != 4)
        return -1;
    if (a - RV_CLINT_BASE < 0x10000)
        return clint_load(p, a - RV_CLINT_BASE, v);
    if (a == RV_SYS_BASE + RV_SYS_ID) {
        *v = RV_SYS_ID_VALUE;
        return 0;
    }
    if (a - RV_ACCEL_BASE < RV_ACCEL_SIZE && p->accel.read32)
        return p->accel.read32(p->accel.ctx, a - RV_ACCEL_BASE, v);
    return -1;
}

static int plat_store(void *ctx, uint32_t a, unsigned size, uint32_t v)
{
    rv_plat_t *p = ctx;
    if (a - RV_UART_BASE < 8 && size == 1) {
        if (a == RV_UART_BASE)
            fputc((int)(v & 0xFF), p->console);
        return 0;
    }
    if (a == RV_SYS_BASE + RV_SYS_PUTC && size == 1)
        return sys_store(p, RV_SYS_PUTC, v);
    if (size != 4)
        return -1;
    if (a - RV_CLINT_BASE < 0x10000)
        return clint_store(p, a - RV_CLINT_BASE, v);
    if (a - RV_SYS_BASE < 0x10)
        return sys_store(p, a - RV_SYS_BASE, v);
    if (a == RV_TEST_BASE)
        return test_store(p, v);
    if (a - RV_ACCEL_BASE < RV_ACCEL_SIZE && p->accel.write32)
        return p->accel.write32(p->accel.ctx, a - RV_ACCEL_BASE, v);
    return -1;
}

void rv_plat_init_ram(rv_plat_t *p, uint8_t *ram, uint32_t ram_size, FILE *console, const rv_accel_port_t *accel)
{
    memset(p, 0, sizeof *p);
    p->ram = ram;
    p->ram_size = ram_size;
    p->console = console ? console : stdout;
    if (accel)
        p->accel = *accel;
    rv_mmio_t mmio = {p, plat_load, plat_store};
    rv_init(&p->cpu, ram, RV_RAM_BASE, ram_size, &mmio);
}

int rv_plat_init(rv_plat_t *p, uint32_t ram_size, FILE *console, const rv_accel_port_t *accel)
{
    uint8_t *ram = calloc(1, ram_size);
    if (!ram)
        return -1;
    rv_plat_init_ram(p, ram, ram_size, console, accel);
    p->owns_ram = true;
    return 0;
}

void rv_plat_free(rv_plat_t *p)
{
    if (p->owns_ram)
        free(p->ram);
    p->ram = NULL;
}

int rv_plat_load(rv_plat_t *p, const char *path, char *err, size_t errlen)
{
    if (rv_elf_load(path, p->ram, RV_RAM_BASE, p->ram_size, &p->elf, err, errlen))
        return -1;
    rv_reset(&p->cpu, p->elf.entry);
    p->cpu.tohost = p->elf.tohost;
    return 0;
}

int rv_plat_place_data(rv_plat_t *p, const void *image, size_t len)
{
    uint32_t off = RV_DATA_BASE - RV_RAM_BASE;
    if (off > p->ram_size || len > p->ram_size - off)
        return -1;
    memcpy(p->ram + off, image, len);
    return 0;
}
