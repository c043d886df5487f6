/* Bare-metal platform layer for firmware on the bitcycle virtual platform
 * (docs/baremetal.md): console, exit, the CLINT timer, the accelerator's
 * interrupt and trap handling. Freestanding; machine mode. */
#ifndef BM_PLATFORM_H
#define BM_PLATFORM_H
#include <stdbool.h>
#include <stdint.h>

#define BM_SYS_BASE 0x20000000u    /* console (+0), exit (+4), fault report (+8) */
#define BM_CLINT_BASE 0x02000000u  /* mtimecmp +0x4000, mtime +0xBFF8 */
#define BM_ACCEL_BASE 0x40000000u  /* accelerator registers */
#define BM_RAM_BASE 0x80000000u    /* RAM = the accelerator's device address 0 */
#define BM_MTIME_HZ 10000000u      /* mtime ticks at 10 MHz */

extern volatile int bm_exit_code;

void bm_putc(char c);
void bm_puts(const char *s);
void bm_puthex(uint32_t v);
void bm_putdec(int64_t v);
_Noreturn void bm_exit(int code);

uint64_t bm_mtime(void);
/* Nanoseconds since reset from mtime (the mmio HAL's now_ns). */
uint64_t bm_now_ns(void *arg);
/* Interrupt-driven wait for the accelerator's interrupt (the mmio HAL's
 * wait_irq): sleeps in wfi until the machine external interrupt's handler
 * ran or timeout_ns passed. 0 interrupt, 1 timeout. */
int bm_wait_irq(void *arg, uint64_t timeout_ns);
/* The machine external interrupt is pending (mip.MEIP: the accelerator's line). */
bool bm_irq_pending(void);
/* External interrupts taken since reset. */
uint32_t bm_irq_count(void);

/* A test may expect one access fault: the next load/store/AMO access fault
 * is recorded and the faulting instruction skipped instead of ending the
 * run. Returns the number of faults taken since the last call and their
 * last mcause/mtval. */
void bm_expect_fault(void);
uint32_t bm_faults_taken(uint32_t *mcause, uint32_t *mtval);

/* Called by crt0 for every trap; returns the address to resume at. */
uint32_t bm_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval);
#endif
