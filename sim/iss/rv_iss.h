/* RV32IMAC + Zicsr machine-mode instruction-set simulator.
 *
 * One hart, machine mode only, 1 cycle per instruction. RAM is a flat array the
 * core reads and writes directly; every other address goes to the platform's
 * mmio callbacks (devices, the accelerator's registers). The standalone
 * platform (rv_plat.h) supplies the CLINT, console and exit devices. */
#ifndef RV_ISS_H
#define RV_ISS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Why rv_run returned. */
typedef enum {
    RV_STOP_NONE = 0,  /* budget used up; call rv_run again */
    RV_STOP_EXIT,      /* the program ended with an exit code (tohost, exit device) */
    RV_STOP_FAULT,     /* an exception with no handler (mtvec = 0), or a fault inside the trap entry */
    RV_STOP_WFI,       /* wfi with no interrupt that could ever wake the hart */
    RV_STOP_PLATFORM,  /* the platform asked to stop (rv_stop) */
} rv_stop_t;

/* Exception causes (mcause without the interrupt bit). */
enum {
    RV_EXC_INSN_MISALIGNED = 0,
    RV_EXC_INSN_FAULT = 1,
    RV_EXC_ILLEGAL = 2,
    RV_EXC_BREAKPOINT = 3,
    RV_EXC_LOAD_MISALIGNED = 4,
    RV_EXC_LOAD_FAULT = 5,
    RV_EXC_STORE_MISALIGNED = 6,
    RV_EXC_STORE_FAULT = 7,
    RV_EXC_ECALL_M = 11,
};
/* Interrupt numbers (mip/mie bits). */
enum { RV_IRQ_MSI = 3, RV_IRQ_MTI = 7, RV_IRQ_MEI = 11 };

/* mmio: access of 1, 2 or 4 bytes at an address outside RAM. Return 0 on
 * success, non-zero for an access fault. */
typedef struct rv_mmio {
    void *ctx;
    int (*load)(void *ctx, uint32_t addr, unsigned size, uint32_t *val);
    int (*store)(void *ctx, uint32_t addr, unsigned size, uint32_t val);
} rv_mmio_t;

/* The last exception taken (what a fault report prints). */
typedef struct rv_exc_info {
    uint32_t cause, pc, insn, tval;
    bool valid;
} rv_exc_info_t;

typedef struct rv_cpu {
    uint32_t x[32];
    uint32_t pc;
    /* RAM */
    uint8_t *ram;
    uint32_t ram_base, ram_size;
    /* CSRs */
    uint32_t mstatus, mie, mip, mtvec, mepc, mcause, mtval, mscratch;
    uint64_t cycle, instret;
    uint64_t cycle_off; /* mcycle = cycle + cycle_off (wraps) */
    uint64_t mtimecmp;
    uint32_t time_div;  /* mtime = cycle / time_div (>= 1) */
    /* LR/SC reservation */
    uint32_t resv_addr;
    bool resv_valid;
    /* mailbox: address of the tohost word (0: none) */
    uint32_t tohost;
    /* run state */
    rv_stop_t stop;
    bool in_wfi;         /* stopped in wfi, waiting for an interrupt */
    bool ext_irq_source; /* the platform can raise the external interrupt (rv_run returns to it in wfi) */
    uint64_t traps;      /* exceptions taken */
    int exit_code;
    uint64_t stop_at; /* the inner loop re-checks interrupts and limits at this cycle */
    rv_exc_info_t last_exc;
    rv_mmio_t mmio;
    FILE *trace;      /* instruction trace, or NULL */
    char msg[256];    /* why the run stopped, for RV_STOP_FAULT / RV_STOP_WFI / RV_STOP_PLATFORM */
} rv_cpu_t;

/* ram must stay valid for the CPU's life; ram_size a multiple of 4. */
void rv_init(rv_cpu_t *cpu, uint8_t *ram, uint32_t ram_base, uint32_t ram_size, const rv_mmio_t *mmio);
void rv_reset(rv_cpu_t *cpu, uint32_t pc);
/* Run at most max_insns cycles (stops earlier on exit, fault, stop, or, with
 * ext_irq_source, in wfi: then in_wfi is set and the platform advances time). */
rv_stop_t rv_run(rv_cpu_t *cpu, uint64_t max_insns);
/* Platform controls. */
void rv_set_ext_irq(rv_cpu_t *cpu, bool level);
void rv_set_soft_irq(rv_cpu_t *cpu, bool level);
uint64_t rv_mtime(const rv_cpu_t *cpu);
void rv_set_mtimecmp(rv_cpu_t *cpu, uint64_t v);
void rv_exit(rv_cpu_t *cpu, int code);            /* ends the run with RV_STOP_EXIT */
void rv_stop(rv_cpu_t *cpu, const char *why);     /* ends the run with RV_STOP_PLATFORM */
void rv_fault_report(const rv_cpu_t *cpu, char *buf, size_t len); /* "cause N (name) at pc ..., insn ..., tval ..." */
const char *rv_cause_name(uint32_t cause);

/* ELF loading (libelf): PT_LOAD segments into RAM, entry point and the
 * tohost symbol. Returns 0, or -1 with a message naming the file and field. */
typedef struct rv_elf_info {
    uint32_t entry;
    uint32_t tohost;   /* 0 when the ELF has no tohost symbol */
    uint32_t fromhost; /* 0 when absent */
    uint32_t lo, hi;   /* loaded address range [lo, hi) */
} rv_elf_info_t;
int rv_elf_load(const char *path, uint8_t *ram, uint32_t ram_base, uint32_t ram_size, rv_elf_info_t *info,
                char *err, size_t errlen);
/* Address of a symbol (0 when absent or on error). */
uint32_t rv_elf_symbol(const char *path, const char *name);

#ifdef __cplusplus
}
#endif
#endif
