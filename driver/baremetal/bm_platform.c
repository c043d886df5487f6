/* Bare-metal platform layer (see bm_platform.h). */
#include "bm_platform.h"

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define MIE_MTIE (1u << 7)
#define MIE_MEIE (1u << 11)

/* main's return value, stored by crt0 before it exits (visible to a debugger) */
volatile int bm_exit_code = -1;
static volatile uint32_t irq_count, faults, fault_cause, fault_tval;
static volatile bool fault_expected;

/* The image is built with -march=rv32imac; CSR instructions need Zicsr. */
#define ZICSR(insn) ".option push\n.option arch, +zicsr\n" insn "\n.option pop"
static inline void csr_set_mie(uint32_t m) { __asm__ volatile(ZICSR("csrs mie, %0") ::"r"(m) : "memory"); }
static inline void csr_clear_mie(uint32_t m) { __asm__ volatile(ZICSR("csrc mie, %0") ::"r"(m) : "memory"); }
static inline void irq_on(void) { __asm__ volatile(ZICSR("csrsi mstatus, 8") ::: "memory"); }
static inline void irq_off(void) { __asm__ volatile(ZICSR("csrci mstatus, 8") ::: "memory"); }

void bm_putc(char c)
{
    REG32(BM_SYS_BASE) = (uint8_t)c;
}

void bm_puts(const char *s)
{
    while (*s)
        bm_putc(*s++);
}

void bm_puthex(uint32_t v)
{
    for (int i = 28; i >= 0; i -= 4)
        bm_putc("0123456789abcdef"[(v >> i) & 15]);
}

void bm_putdec(int64_t v)
{
    char buf[24];
    int n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        bm_putc('-');
    do {
        buf[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        bm_putc(buf[--n]);
}

void bm_exit(int code)
{
    REG32(BM_SYS_BASE + 4) = (uint32_t)code;
    for (;;)
        ;
}

uint64_t bm_mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = REG32(BM_CLINT_BASE + 0xBFFC);
        lo = REG32(BM_CLINT_BASE + 0xBFF8);
    } while (hi != REG32(BM_CLINT_BASE + 0xBFFC));
    return (uint64_t)hi << 32 | lo;
}

uint64_t bm_now_ns(void *arg)
{
    (void)arg;
    return bm_mtime() * (1000000000u / BM_MTIME_HZ);
}

static void set_mtimecmp(uint64_t t)
{
    REG32(BM_CLINT_BASE + 0x4004) = 0xFFFFFFFFu; /* no early match while the halves change */
    REG32(BM_CLINT_BASE + 0x4000) = (uint32_t)t;
    REG32(BM_CLINT_BASE + 0x4004) = (uint32_t)(t >> 32);
}

bool bm_irq_pending(void)
{
    uint32_t v;
    __asm__ volatile(ZICSR("csrr %0, mip") : "=r"(v));
    return v & MIE_MEIE;
}

uint32_t bm_irq_count(void)
{
    return irq_count;
}

int bm_wait_irq(void *arg, uint64_t timeout_ns)
{
    (void)arg;
    uint32_t seen = irq_count;
    uint64_t ticks = timeout_ns / (1000000000u / BM_MTIME_HZ);
    uint64_t deadline = bm_mtime() + (ticks ? ticks : 1);
    for (;;) {
        /* interrupts off around the check and the wfi, so an interrupt that
         * arrives in between is not lost: wfi wakes on it, the trap is taken
         * once they are back on */
        irq_off();
        if (irq_count != seen) {
            irq_on();
            return 0;
        }
        if (bm_mtime() >= deadline) {
            irq_on();
            return 1;
        }
        set_mtimecmp(deadline);
        csr_set_mie(MIE_MEIE | MIE_MTIE);
        __asm__ volatile("wfi");
        irq_on();
    }
}

void bm_expect_fault(void)
{
    fault_expected = true;
}

uint32_t bm_faults_taken(uint32_t *mcause, uint32_t *mtval)
{
    uint32_t n = faults;
    faults = 0;
    fault_expected = false;
    if (mcause)
        *mcause = fault_cause;
    if (mtval)
        *mtval = fault_tval;
    return n;
}

uint32_t bm_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
    if (mcause & 0x80000000u) {
        uint32_t irq = mcause & 31;
        if (irq == 11) {
            irq_count = irq_count + 1;
            csr_clear_mie(MIE_MEIE); /* level interrupt: the driver acknowledges it */
        } else if (irq == 7) {
            csr_clear_mie(MIE_MTIE);
        }
        return mepc;
    }
    bool access = mcause == 5 || mcause == 7;
    if (access && fault_expected) {
        faults = faults + 1;
        fault_cause = mcause;
        fault_tval = mtval;
        uint16_t lo = *(const volatile uint16_t *)(uintptr_t)mepc;
        return mepc + ((lo & 3) == 3 ? 4 : 2);
    }
    REG32(BM_SYS_BASE + 8) = mcause; /* ends the run as a CPU exception with the trap's details */
    for (;;)
        ;
}
