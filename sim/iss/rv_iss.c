/* RV32IMAC + Zicsr machine-mode interpreter (see rv_iss.h).
 *
 * Speed: one switch per instruction on the raw encoding, RAM accessed directly,
 * compressed instructions expanded through a 64 Ki-entry table computed once
 * (the expansion depends on the 16 bits only, so the table never goes stale).
 * Interrupts, the timer and the run budget are checked only at stop_at, which
 * anything that can change them (CSR writes, mmio stores, mret) pulls in. */
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include "rv_internal.h"

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

static uint32_t rvc_table[65536];
static bool rvc_ready;

static void rvc_init(void)
{
    if (rvc_ready)
        return;
    for (uint32_t i = 0; i < 65536; i++)
        rvc_table[i] = (i & 3) == 3 ? 0 : rv_expand_c(i);
    rvc_ready = true;
}

void rv_init(rv_cpu_t *c, uint8_t *ram, uint32_t ram_base, uint32_t ram_size, const rv_mmio_t *mmio)
{
    rvc_init();
    memset(c, 0, sizeof *c);
    c->ram = ram;
    c->ram_base = ram_base;
    c->ram_size = ram_size & ~3u;
    if (mmio)
        c->mmio = *mmio;
    c->time_div = 10;
    rv_reset(c, ram_base);
}

void rv_reset(rv_cpu_t *c, uint32_t pc)
{
    memset(c->x, 0, sizeof c->x);
    c->pc = pc;
    c->mstatus = c->mie = c->mip = c->mtvec = c->mepc = c->mcause = c->mtval = c->mscratch = 0;
    c->cycle = c->instret = c->cycle_off = 0;
    c->mtimecmp = UINT64_MAX;
    c->resv_valid = false;
    c->stop = RV_STOP_NONE;
    c->in_wfi = false;
    c->exit_code = 0;
    c->traps = 0;
    c->last_exc.valid = false;
    c->msg[0] = 0;
}

const char *rv_cause_name(uint32_t cause)
{
    static const char *const names[] = {"instruction address misaligned", "instruction access fault",
                                        "illegal instruction", "breakpoint", "load address misaligned",
                                        "load access fault", "store/AMO address misaligned",
                                        "store/AMO access fault", "ecall from U-mode", "ecall from S-mode",
                                        "reserved", "ecall from M-mode"};
    return cause < sizeof names / sizeof names[0] ? names[cause] : "unknown cause";
}

void rv_fault_report(const rv_cpu_t *c, char *buf, size_t len)
{
    const rv_exc_info_t *e = &c->last_exc;
    if (!e->valid) {
        snprintf(buf, len, "no exception recorded (pc 0x%08" PRIx32 ")", c->pc);
        return;
    }
    snprintf(buf, len, "%s (mcause %" PRIu32 ") at pc 0x%08" PRIx32 ", insn 0x%08" PRIx32 ", mtval 0x%08" PRIx32,
             rv_cause_name(e->cause), e->cause, e->pc, e->insn, e->tval);
}

/* Returns 0 so exception paths can `return trap(...)` (nothing retired). */
static int trap(rv_cpu_t *c, uint32_t cause, uint32_t tval, uint32_t insn)
{
    c->last_exc = (rv_exc_info_t){cause, c->pc, insn, tval, true};
    c->traps++;
    uint32_t base = c->mtvec & ~3u;
    if (base == 0 || (cause == RV_EXC_INSN_FAULT && c->pc == base)) {
        char rep[200];
        rv_fault_report(c, rep, sizeof rep);
        snprintf(c->msg, sizeof c->msg, "%s%s", base == 0 ? "" : "fault at the trap vector: ", rep);
        c->stop = RV_STOP_FAULT;
        c->stop_at = c->cycle;
        return 0;
    }
    c->mepc = c->pc;
    c->mcause = cause;
    c->mtval = tval;
    c->mstatus = (c->mstatus & MSTATUS_MIE) ? MSTATUS_MPIE : 0;
    c->resv_valid = false;
    c->pc = base;
    return 0;
}

static void take_interrupt(rv_cpu_t *c, unsigned irq)
{
    c->mepc = c->pc;
    c->mcause = 0x80000000u | irq;
    c->mtval = 0;
    c->mstatus = (c->mstatus & MSTATUS_MIE) ? MSTATUS_MPIE : 0;
    c->resv_valid = false;
    c->pc = (c->mtvec & ~3u) + ((c->mtvec & 1) ? 4 * irq : 0);
    c->in_wfi = false;
}

void rv_set_ext_irq(rv_cpu_t *c, bool level)
{
    if (level)
        c->mip |= 1u << RV_IRQ_MEI;
    else
        c->mip &= ~(1u << RV_IRQ_MEI);
    c->stop_at = c->cycle;
}

void rv_set_soft_irq(rv_cpu_t *c, bool level)
{
    if (level)
        c->mip |= 1u << RV_IRQ_MSI;
    else
        c->mip &= ~(1u << RV_IRQ_MSI);
    c->stop_at = c->cycle;
}

void rv_set_mtimecmp(rv_cpu_t *c, uint64_t v)
{
    c->mtimecmp = v;
    c->stop_at = c->cycle;
}

void rv_exit(rv_cpu_t *c, int code)
{
    if (c->stop == RV_STOP_NONE) {
        c->stop = RV_STOP_EXIT;
        c->exit_code = code;
    }
    c->stop_at = c->cycle;
}

void rv_stop(rv_cpu_t *c, const char *why)
{
    if (c->stop == RV_STOP_NONE) {
        c->stop = RV_STOP_PLATFORM;
        snprintf(c->msg, sizeof c->msg, "%s", why);
    }
    c->stop_at = c->cycle;
}

static inline bool in_ram(const rv_cpu_t *c, uint32_t a, unsigned size, uint32_t *off)
{
    *off = a - c->ram_base;
    return *off < c->ram_size && size <= c->ram_size - *off;
}

/* 0 ok, else the exception cause */
static inline uint32_t load(rv_cpu_t *c, uint32_t a, unsigned size, uint32_t *v)
{
    uint32_t off;
    if (UNLIKELY(a & (size - 1)))
        return RV_EXC_LOAD_MISALIGNED;
    if (LIKELY(in_ram(c, a, size, &off))) {
        uint32_t w = 0;
        memcpy(&w, c->ram + off, size);
        *v = w;
        return 0;
    }
    if (!c->mmio.load || c->mmio.load(c->mmio.ctx, a, size, v))
        return RV_EXC_LOAD_FAULT;
    return 0;
}

static void tohost_write(rv_cpu_t *c, uint32_t val)
{
    if (val == 0)
        return;
    if (val & 1)
        rv_exit(c, (int)(val >> 1));
    else
        rv_stop(c, "tohost: syscall requests (even values) are not supported; write (code << 1) | 1 to exit");
}

static inline uint32_t store(rv_cpu_t *c, uint32_t a, unsigned size, uint32_t v)
{
    uint32_t off;
    if (UNLIKELY(a & (size - 1)))
        return RV_EXC_STORE_MISALIGNED;
    if (LIKELY(in_ram(c, a, size, &off))) {
        memcpy(c->ram + off, &v, size);
        if (UNLIKELY(a - c->tohost < 4) && c->tohost)
            tohost_write(c, v);
        return 0;
    }
    if (!c->mmio.store || c->mmio.store(c->mmio.ctx, a, size, v))
        return RV_EXC_STORE_FAULT;
    c->stop_at = c->cycle; /* a device may have raised an interrupt or ended the run */
    return 0;
}

static uint32_t muldiv(unsigned f3, uint32_t a, uint32_t b)
{
    int32_t sa = (int32_t)a, sb = (int32_t)b;
    switch (f3) {
    case 0: return a * b;
    case 1: return (uint32_t)((uint64_t)((int64_t)sa * (int64_t)sb) >> 32);
    case 2: return (uint32_t)((uint64_t)((int64_t)sa * (int64_t)(uint64_t)b) >> 32);
    case 3: return (uint32_t)(((uint64_t)a * b) >> 32);
    case 4: return b == 0 ? UINT32_MAX : (sa == INT32_MIN && sb == -1) ? a : (uint32_t)(sa / sb);
    case 5: return b == 0 ? UINT32_MAX : a / b;
    case 6: return b == 0 ? a : (sa == INT32_MIN && sb == -1) ? 0 : (uint32_t)(sa % sb);
    default: return b == 0 ? a : a % b;
    }
}

static uint32_t alu(unsigned f3, bool alt, uint32_t a, uint32_t b)
{
    switch (f3) {
    case 0: return alt ? a - b : a + b;
    case 1: return a << (b & 31);
    case 2: return (int32_t)a < (int32_t)b;
    case 3: return a < b;
    case 4: return a ^ b;
    case 5: return alt ? (uint32_t)((int32_t)a >> (b & 31)) : a >> (b & 31);
    case 6: return a | b;
    default: return a & b;
    }
}

static int exec_amo(rv_cpu_t *c, uint32_t insn, unsigned rd, uint32_t a, uint32_t b)
{
    unsigned f5 = insn >> 27;
    uint32_t old, e;
    if (((insn >> 12) & 7) != 2)
        return trap(c, RV_EXC_ILLEGAL, insn, insn);
    if (f5 == 2) { /* lr.w */
        if ((insn >> 20 & 31) != 0)
            return trap(c, RV_EXC_ILLEGAL, insn, insn);
        if ((e = load(c, a, 4, &old)))
            return trap(c, e, a, insn);
        c->resv_addr = a;
        c->resv_valid = true;
        c->x[rd] = old;
        return 1;
    }
    if (a & 3)
        return trap(c, RV_EXC_STORE_MISALIGNED, a, insn);
    if (f5 == 3) { /* sc.w */
        bool ok = c->resv_valid && c->resv_addr == a;
        c->resv_valid = false;
        if (ok && (e = store(c, a, 4, b)))
            return trap(c, e, a, insn);
        c->x[rd] = ok ? 0 : 1;
        return 1;
    }
    if (load(c, a, 4, &old))
        return trap(c, RV_EXC_STORE_FAULT, a, insn);
    uint32_t v;
    switch (f5) {
    case 0x01: v = b; break;
    case 0x00: v = old + b; break;
    case 0x04: v = old ^ b; break;
    case 0x0C: v = old & b; break;
    case 0x08: v = old | b; break;
    case 0x10: v = (int32_t)old < (int32_t)b ? old : b; break;
    case 0x14: v = (int32_t)old > (int32_t)b ? old : b; break;
    case 0x18: v = old < b ? old : b; break;
    case 0x1C: v = old > b ? old : b; break;
    default: return trap(c, RV_EXC_ILLEGAL, insn, insn);
    }
    if ((e = store(c, a, 4, v)))
        return trap(c, e, a, insn);
    c->x[rd] = old;
    return 1;
}

static int exec_system(rv_cpu_t *c, uint32_t insn, unsigned rd, unsigned rs1, uint32_t next)
{
    unsigned f3 = (insn >> 12) & 7;
    if (f3 == 0) {
        switch (insn) {
        case 0x00000073u: return trap(c, RV_EXC_ECALL_M, 0, insn);
        case 0x00100073u: return trap(c, RV_EXC_BREAKPOINT, c->pc, insn);
        case 0x30200073u: /* mret */
            c->mstatus = MSTATUS_MPIE | ((c->mstatus & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
            c->pc = c->mepc;
            c->stop_at = c->cycle;
            return 1;
        case 0x10500073u: /* wfi */
            rv_update_mip(c);
            if (!(c->mip & c->mie)) {
                c->in_wfi = true;
                c->stop_at = c->cycle;
            }
            c->pc = next;
            return 1;
        default: return trap(c, RV_EXC_ILLEGAL, insn, insn);
        }
    }
    if (f3 == 4)
        return trap(c, RV_EXC_ILLEGAL, insn, insn);
    unsigned csr = insn >> 20, op = f3 & 3;
    uint32_t src = (f3 & 4) ? rs1 : c->x[rs1], old = 0;
    if (rv_csr_read(c, csr, &old))
        return trap(c, RV_EXC_ILLEGAL, insn, insn);
    if (op == 1 || rs1 != 0) {
        uint32_t v = op == 1 ? src : op == 2 ? (old | src) : (old & ~src);
        if (rv_csr_write(c, csr, v))
            return trap(c, RV_EXC_ILLEGAL, insn, insn);
    }
    c->x[rd] = old;
    c->pc = next;
    return 1;
}

/* One instruction; returns 1 when it retired, 0 when it trapped. One switch
 * over the major opcodes on purpose: it is the hot loop. */
static inline int exec(rv_cpu_t *c, uint32_t insn, uint32_t len, uint32_t raw)
{
    uint32_t *x = c->x;
    uint32_t pc = c->pc, next = pc + len;
    unsigned rd = (insn >> 7) & 31, rs1 = (insn >> 15) & 31, rs2 = (insn >> 20) & 31, f3 = (insn >> 12) & 7;
    int32_t imm_i = (int32_t)insn >> 20;
    uint32_t e, v;
    switch (insn & 0x7F) {
    case 0x37: x[rd] = insn & 0xFFFFF000u; break;                  /* lui */
    case 0x17: x[rd] = pc + (insn & 0xFFFFF000u); break;           /* auipc */
    case 0x6F: {                                                   /* jal */
        uint32_t off = ((uint32_t)((int32_t)insn >> 11) & 0xFFF00000u) | (insn & 0xFF000u) |
                       ((insn >> 9) & 0x800u) | ((insn >> 20) & 0x7FEu);
        x[rd] = next;
        c->pc = pc + off;
        return 1;
    }
    case 0x67:                                                     /* jalr */
        if (f3)
            return trap(c, RV_EXC_ILLEGAL, raw, raw);
        v = (x[rs1] + (uint32_t)imm_i) & ~1u;
        x[rd] = next;
        c->pc = v;
        return 1;
    case 0x63: {                                                   /* branches */
        uint32_t a = x[rs1], b = x[rs2];
        bool t;
        switch (f3) {
        case 0: t = a == b; break;
        case 1: t = a != b; break;
        case 4: t = (int32_t)a < (int32_t)b; break;
        case 5: t = (int32_t)a >= (int32_t)b; break;
        case 6: t = a < b; break;
        case 7: t = a >= b; break;
        default: return trap(c, RV_EXC_ILLEGAL, raw, raw);
        }
        if (t) {
            uint32_t off = ((uint32_t)((int32_t)insn >> 19) & 0xFFFFF000u) | ((insn << 4) & 0x800u) |
                           ((insn >> 20) & 0x7E0u) | ((insn >> 7) & 0x1Eu);
            next = pc + off;
        }
        break;
    }
    case 0x03: {                                                   /* loads */
        uint32_t a = x[rs1] + (uint32_t)imm_i;
        if (f3 == 3 || f3 > 5)
            return trap(c, RV_EXC_ILLEGAL, raw, raw);
        if ((e = load(c, a, 1u << (f3 & 3), &v)))
            return trap(c, e, a, raw);
        switch (f3) {
        case 0: v = (uint32_t)(int32_t)(int8_t)(uint8_t)v; break;
        case 1: v = (uint32_t)(int32_t)(int16_t)(uint16_t)v; break;
        default: break;
        }
        x[rd] = v;
        break;
    }
    case 0x23: {                                                   /* stores */
        uint32_t a = x[rs1] + (uint32_t)(((int32_t)insn >> 20 & ~31) | (int32_t)rd);
        if (f3 > 2)
            return trap(c, RV_EXC_ILLEGAL, raw, raw);
        if ((e = store(c, a, 1u << f3, x[rs2])))
            return trap(c, e, a, raw);
        break;
    }
    case 0x13:                                                     /* op-imm */
        if ((f3 == 1 && (insn >> 25) != 0) || (f3 == 5 && (insn >> 25) != 0 && (insn >> 25) != 0x20))
            return trap(c, RV_EXC_ILLEGAL, raw, raw);
        x[rd] = alu(f3, f3 == 5 && (insn >> 30), x[rs1], (uint32_t)imm_i);
        break;
    case 0x33:                                                     /* op */
        switch (insn >> 25) {
        case 0x00: x[rd] = alu(f3, false, x[rs1], x[rs2]); break;
        case 0x20:
            if (f3 != 0 && f3 != 5)
                return trap(c, RV_EXC_ILLEGAL, raw, raw);
            x[rd] = alu(f3, true, x[rs1], x[rs2]);
            break;
        case 0x01: x[rd] = muldiv(f3, x[rs1], x[rs2]); break;
        default: return trap(c, RV_EXC_ILLEGAL, raw, raw);
        }
        break;
    case 0x0F:                                                     /* fence, fence.i */
        if (f3 > 1)
            return trap(c, RV_EXC_ILLEGAL, raw, raw);
        break;
    case 0x2F:
        if (!exec_amo(c, insn, rd, x[rs1], x[rs2]))
            return 0;
        break;
    case 0x73: return exec_system(c, insn, rd, rs1, next) ? (x[0] = 0, 1) : 0;
    default: return trap(c, RV_EXC_ILLEGAL, raw, raw);
    }
    x[0] = 0;
    c->pc = next;
    return 1;
}

/* Fetch and execute one instruction. */
static inline void step(rv_cpu_t *c)
{
    uint32_t off = c->pc - c->ram_base;
    c->cycle++;
    if (UNLIKELY(off >= c->ram_size - 1)) {
        trap(c, RV_EXC_INSN_FAULT, c->pc, 0);
        return;
    }
    uint16_t lo;
    memcpy(&lo, c->ram + off, 2);
    if ((lo & 3) == 3) {
        if (UNLIKELY(off + 4 > c->ram_size)) {
            trap(c, RV_EXC_INSN_FAULT, c->pc + 2, lo);
            return;
        }
        uint32_t insn;
        memcpy(&insn, c->ram + off, 4);
        c->instret += (unsigned)exec(c, insn, 4, insn);
        c->x[0] = 0;
        return;
    }
    uint32_t insn = rvc_table[lo];
    if (UNLIKELY(!insn)) {
        trap(c, RV_EXC_ILLEGAL, lo, lo);
        return;
    }
    c->instret += (unsigned)exec(c, insn, 2, lo);
    c->x[0] = 0;
}

static void trace_step(rv_cpu_t *c)
{
    uint32_t old[32], pc = c->pc, off = pc - c->ram_base, raw = 0;
    uint64_t traps = c->traps;
    memcpy(old, c->x, sizeof old);
    bool wide = true;
    if (off < c->ram_size - 1) {
        uint16_t lo;
        memcpy(&lo, c->ram + off, 2);
        raw = lo;
        wide = (lo & 3) == 3;
        if (wide && off + 4 <= c->ram_size)
            memcpy(&raw, c->ram + off, 4);
    }
    step(c);
    fprintf(c->trace, wide ? "%" PRIu64 " %08" PRIx32 " %08" PRIx32 : "%" PRIu64 " %08" PRIx32 "     %04" PRIx32,
            c->instret, pc, raw);
    for (int r = 1; r < 32; r++)
        if (c->x[r] != old[r])
            fprintf(c->trace, " x%d=%08" PRIx32, r, c->x[r]);
    if (c->traps != traps)
        fprintf(c->trace, " trap mcause=%" PRIu32 " mtval=%08" PRIx32, c->last_exc.cause, c->last_exc.tval);
    fputc('\n', c->trace);
}

/* Re-evaluate interrupts and pick the next cycle at which to look again. */
static void at_event(rv_cpu_t *c, uint64_t end)
{
    rv_update_mip(c);
    uint32_t pend = c->mip & c->mie;
    if (pend) {
        c->in_wfi = false;
        if (c->mstatus & MSTATUS_MIE) {
            unsigned irq = (pend & (1u << RV_IRQ_MEI)) ? RV_IRQ_MEI
                           : (pend & (1u << RV_IRQ_MSI)) ? RV_IRQ_MSI
                                                          : RV_IRQ_MTI;
            take_interrupt(c, irq);
        }
    }
    uint64_t lim = end;
    if ((c->mie & (1u << RV_IRQ_MTI)) && c->mtimecmp <= UINT64_MAX / c->time_div) {
        uint64_t t = c->mtimecmp * c->time_div;
        if (t > c->cycle && t < lim)
            lim = t;
    }
    c->stop_at = lim;
}

/* wfi with nothing pending: hand back to a platform that can raise the
 * external interrupt (returns true), else skip to the timer, else give up. */
static bool idle(rv_cpu_t *c, uint64_t end)
{
    if (c->ext_irq_source && (c->mie & (1u << RV_IRQ_MEI)))
        return true;
    if ((c->mie & (1u << RV_IRQ_MTI)) && c->mtimecmp <= UINT64_MAX / c->time_div) {
        uint64_t t = c->mtimecmp * c->time_div;
        c->cycle = t < end ? t : end;
        return false;
    }
    snprintf(c->msg, sizeof c->msg,
             "wfi at pc 0x%08" PRIx32 " with no enabled interrupt that can wake the hart (mie 0x%" PRIx32 ")",
             c->pc - 4, c->mie);
    c->stop = RV_STOP_WFI;
    return false;
}

rv_stop_t rv_run(rv_cpu_t *c, uint64_t max_insns)
{
    uint64_t end = c->cycle + max_insns < c->cycle ? UINT64_MAX : c->cycle + max_insns;
    while (c->stop == RV_STOP_NONE && c->cycle < end) {
        at_event(c, end);
        if (c->in_wfi) {
            if (idle(c, end))
                return c->stop; /* waiting for the platform's interrupt */
            continue;
        }
        if (UNLIKELY(c->trace != NULL))
            while (c->cycle < c->stop_at)
                trace_step(c);
        else
            while (c->cycle < c->stop_at)
                step(c);
    }
    return c->stop;
}
