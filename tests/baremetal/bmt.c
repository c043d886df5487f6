/* Bare-metal test support (see bmt.h). */
#include "bmt.h"

static uint32_t checks, failures;
static bc_mmio_t mmio;
static bc_hal_t hal;

void bmt_check(bool ok, int line, const char *what)
{
    checks++;
    if (ok)
        return;
    failures++;
    bm_puts("FAIL line ");
    bm_putdec(line);
    bm_puts(": ");
    bm_puts(what);
    bm_putc('\n');
}

void bmt_check_eq(int64_t got, int64_t want, int line, const char *what)
{
    bmt_check(got == want, line, what);
    if (got != want) {
        bm_puts("  got ");
        bm_putdec(got);
        bm_puts(", want ");
        bm_putdec(want);
        bm_putc('\n');
    }
}

void bmt_open(bc_dev_t *dev)
{
    mmio = (bc_mmio_t){.reg_base = BM_ACCEL_BASE, .mem_base = BM_RAM_BASE, .now_ns = bm_now_ns,
                       .wait_irq = bm_wait_irq};
    bc_hal_mmio_init(&hal, &mmio);
    bc_status_t st = bc_open(dev, &hal);
    if (st != BC_OK) {
        bm_puts("bc_open failed: ");
        bm_puts(bc_status_name(st));
        bm_putc('\n');
        bm_exit(2);
    }
}

int bmt_end(const char *name)
{
    bm_puts(name);
    bm_puts(": ");
    bm_putdec(checks - failures);
    bm_puts(" checks passed, ");
    bm_putdec(failures);
    bm_puts(" failed\n");
    return failures ? 1 : 0;
}
