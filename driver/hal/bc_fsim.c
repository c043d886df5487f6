/* fsim: register-level functional model of bitcycle_top (see bc_hal_fsim.h).
 *
 * Time is a cycle count. Every register access costs reg_access_cycles.
 * A pushed descriptor is scheduled at push time: it starts when the engine
 * is free, lasts the cycles given by the timing model's stream (bc_timing_next), and
 * completes (result written, counters, LAST_JOB_ID, IRQ) when device time
 * reaches its finish cycle. Counters therefore change at job completion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_desc.h"
#include "bc_hal_fsim.h"
#include "bc_timing.h"
#include "bitcycle.h"

#define BC_REGS_WANT_TABLE
#include "bc_regs.h"

#define NREGS BC_REG_SPACE_BYTES /* generated: every register offset is below it */
#define MAX_QUEUE 64u
#define INVALID_JOB_CYCLES 2u /* a rejected descriptor: pop + validate */

typedef struct fsim_job {
    uint32_t a, b, c, m, n, k, lda, ldb, ldc, prec, id;
    uint64_t start, finish;
    uint32_t err;       /* validation error, 0 = valid */
    bc_events_t ev;     /* timing model events (valid jobs) */
} fsim_job_t;

struct bc_fsim {
    bc_fsim_config_t cfg;
    bc_hw_t hw;
    bc_calib_t cal;
    uint64_t *mem; /* uint64_t storage: the GEMM reads packed words in place */
    size_t mem_bytes;
    uint32_t regs[NREGS / 4];
    uint64_t cnt[BC_NUM_COUNTERS];
    uint64_t now;
    uint64_t engine_free_at;
    bc_timing_state_t stream; /* queued jobs overlap as in the RTL */
    fsim_job_t q[MAX_QUEUE]; /* pending jobs, q[head] is the oldest */
    unsigned head, count;
    unsigned depth;
    bool have_prev_prec;
    uint32_t prev_prec; /* JOB_PREC of the previous completed valid job */
    uint32_t cnt_hi_shadow; /* high half latched by the last counter LO read */
};

/* Counter register LO offsets in bc_counters_t order (the register description's). */
#define COUNTER_OFFSET(name, off, unit, desc) off,
static const uint32_t cnt_off[BC_NUM_COUNTERS] = {BC_COUNTERS(COUNTER_OFFSET)};
#undef COUNTER_OFFSET

static const bc_reg_desc_t *find_reg(uint32_t off)
{
    for (unsigned i = 0; i < BC_REG_TABLE_LEN; i++)
        if (bc_reg_table[i].offset == off)
            return &bc_reg_table[i];
    return NULL;
}

void bc_fsim_config_default(bc_fsim_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->mem_bytes = 64u << 20;
    cfg->dm = BC_PARAM_DM;
    cfg->dn = BC_PARAM_DN;
    cfg->clock_hz = 200e6;
    cfg->reg_access_cycles = 4;
}

static void reset_regs(bc_fsim_t *f)
{
    memset(f->regs, 0, sizeof f->regs);
    for (unsigned i = 0; i < BC_REG_TABLE_LEN; i++)
        f->regs[bc_reg_table[i].offset / 4] = bc_reg_table[i].reset;
    /* Configured array shape, as the RTL parameters would report it. */
    f->regs[BC_REG_CFG_ARRAY / 4] = (f->cfg.dm << BC_CFG_ARRAY_DM_SHIFT) |
                                    (f->cfg.dn << BC_CFG_ARRAY_DN_SHIFT) |
                                    (BC_PARAM_DK << BC_CFG_ARRAY_DK_SHIFT);
}

bc_fsim_t *bc_fsim_create(const bc_fsim_config_t *cfg, char *err, size_t errlen)
{
    bc_fsim_config_t c;
    if (cfg)
        c = *cfg;
    else
        bc_fsim_config_default(&c);
    const char *bad = NULL;
    if (c.mem_bytes < 8 || c.mem_bytes % 8)
        bad = "mem_bytes: must be a non-zero multiple of 8";
    else if (c.dm < 1 || c.dm > 255)
        bad = "dm: must be 1..255";
    else if (c.dn < 1 || c.dn > 255)
        bad = "dn: must be 1..255";
    else if (!(c.clock_hz > 0))
        bad = "clock_hz: must be > 0";
    else if (c.err_kind < 0 || c.err_kind > 3)
        bad = "err_kind: must be 0..3";
    if (bad) {
        if (err && errlen)
            snprintf(err, errlen, "bc_fsim_create: %s", bad);
        return NULL;
    }
    bc_fsim_t *f = calloc(1, sizeof *f);
    if (f)
        f->mem = calloc(c.mem_bytes / 8, 8);
    if (!f || !f->mem) {
        if (err && errlen)
            snprintf(err, errlen, "bc_fsim_create: mem_bytes: cannot allocate %zu bytes",
                     c.mem_bytes);
        if (f)
            free(f->mem);
        free(f);
        return NULL;
    }
    f->cfg = c;
    f->mem_bytes = c.mem_bytes;
    bc_hw_default(&f->hw);
    f->hw.dm = c.dm;
    f->hw.dn = c.dn;
    f->hw.dk = BC_PARAM_DK;
    f->hw.abuf_words = BC_PARAM_ABUF_WORDS;
    f->hw.bbuf_words = BC_PARAM_BBUF_WORDS;
    f->hw.queue_depth = BC_PARAM_QUEUE_DEPTH;
    f->hw.clock_hz = c.clock_hz;
    bc_calib_default(&f->cal);
    if (c.calib_set) {
        f->cal.job_overhead = c.job_overhead;
        f->cal.block_overhead = c.block_overhead;
        f->cal.tile_overhead = c.tile_overhead;
    }
    f->depth = BC_PARAM_QUEUE_DEPTH;
    reset_regs(f);
    return f;
}

void bc_fsim_destroy(bc_fsim_t *f)
{
    if (!f)
        return;
    free(f->mem);
    free(f);
}

uint8_t *bc_fsim_mem(bc_fsim_t *f)
{
    return (uint8_t *)f->mem;
}

size_t bc_fsim_mem_size(const bc_fsim_t *f)
{
    return f->mem_bytes;
}

int bc_fsim_mem_read(bc_fsim_t *f, uint64_t addr, void *dst, size_t len)
{
    if (addr > f->mem_bytes || len > f->mem_bytes - addr)
        return -1;
    memcpy(dst, (uint8_t *)f->mem + addr, len);
    return 0;
}

int bc_fsim_mem_write(bc_fsim_t *f, uint64_t addr, const void *src, size_t len)
{
    if (addr > f->mem_bytes || len > f->mem_bytes - addr)
        return -1;
    memcpy((uint8_t *)f->mem + addr, src, len);
    return 0;
}

uint64_t bc_fsim_cycles(const bc_fsim_t *f)
{
    return f->now;
}

bool bc_fsim_irq(const bc_fsim_t *f)
{
    return (f->regs[BC_REG_IRQ_STATUS / 4] & f->regs[BC_REG_IRQ_ENABLE / 4]) != 0;
}

/* ---- errors ---- */

static void record_error(bc_fsim_t *f, uint32_t code, uint32_t job_id, uint32_t addr)
{
    if (f->regs[BC_REG_ERR_CODE / 4] == 0) { /* first error wins */
        f->regs[BC_REG_ERR_CODE / 4] = code;
        f->regs[BC_REG_ERR_JOB_ID / 4] = job_id;
        f->regs[BC_REG_ERR_ADDR / 4] = addr;
    }
    f->regs[BC_REG_IRQ_STATUS / 4] |= BC_IRQ_STATUS_ERR_MASK;
}

/* ---- descriptor validation: the RTL's order, first failing field wins ---- */

static uint32_t validate(const bc_fsim_t *f, const fsim_job_t *j)
{
    const bc_desc_limits_t lim = {BC_PARAM_MAX_BITS, BC_PARAM_MAX_M, BC_PARAM_MAX_N, BC_PARAM_MAX_K,
                                  f->regs[BC_REG_CFG_WIN_BASE / 4], f->regs[BC_REG_CFG_WIN_SIZE / 4]};
    const bc_desc_t d = {j->a,   j->b,   j->c,   j->m, j->n, j->k, j->lda, j->ldb, j->ldc,
                         (j->prec & BC_JOB_PREC_WBITS_MASK) >> BC_JOB_PREC_WBITS_SHIFT,
                         (j->prec & BC_JOB_PREC_ABITS_MASK) >> BC_JOB_PREC_ABITS_SHIFT,
                         (j->prec & BC_JOB_PREC_WB16_MASK) != 0};
    return bc_desc_check(&lim, &d);
}

/* First byte of rows x row_bytes at addr (stride ld) that hits the injected
 * error window or lies beyond memory; returns false when none. */
static bool span_fault(const bc_fsim_t *f, int kind_bit, uint32_t addr, uint32_t rows,
                       uint32_t ld, uint64_t row_bytes, uint32_t *fault)
{
    for (uint32_t r = 0; r < rows; r++) {
        uint64_t lo = (uint64_t)addr + (uint64_t)r * ld, hi = lo + row_bytes; /* [lo, hi) */
        if (hi > f->mem_bytes) {
            *fault = (uint32_t)(lo > f->mem_bytes ? lo : f->mem_bytes) & ~7u;
            return true;
        }
        if ((f->cfg.err_kind & kind_bit) && lo <= f->cfg.err_hi && hi > f->cfg.err_lo) {
            *fault = (uint32_t)(lo > f->cfg.err_lo ? lo : f->cfg.err_lo) & ~7u;
            return true;
        }
    }
    return false;
}

/* ---- job execution at completion time ---- */

/* int16 write-back of one element: floor(v / 2^shift), saturated to int16.
 * Returns true when it saturates. */
static bool wb16_element(int32_t v, unsigned shift, int16_t *out)
{
    int64_t x = v;
    /* floor for negatives without shifting a negative value: -(((-x - 1) >> s) + 1) */
    int64_t q = x >= 0 ? (int64_t)((uint64_t)x >> shift) : -(int64_t)(((uint64_t)(-x - 1) >> shift) + 1u);
    if (q > INT16_MAX || q < INT16_MIN) {
        *out = q > INT16_MAX ? INT16_MAX : INT16_MIN;
        return true;
    }
    *out = (int16_t)q;
    return false;
}

/* Write C rows (m x n int32 in c) to memory as int32 or, with JOB_PREC.WB16, as
 * int16 after the shift; returns true when an int16 element saturated. */
static bool write_c(bc_fsim_t *f, const fsim_job_t *j, const int32_t *c)
{
    bool wb16 = j->prec & BC_JOB_PREC_WB16_MASK, sat = false;
    unsigned shift = (j->prec & BC_JOB_PREC_WB_SHIFT_MASK) >> BC_JOB_PREC_WB_SHIFT_SHIFT;
    for (uint32_t r = 0; r < j->m; r++) {
        uint8_t *row = (uint8_t *)f->mem + j->c + (size_t)r * j->ldc;
        if (!wb16) {
            memcpy(row, c + (size_t)r * j->n, 4u * (size_t)j->n);
            continue;
        }
        for (uint32_t col = 0; col < j->n; col++) {
            int16_t v;
            sat |= wb16_element(c[(size_t)r * j->n + col], shift, &v);
            memcpy(row + 2u * col, &v, 2);
        }
    }
    return sat;
}

static void add_counters(bc_fsim_t *f, const bc_events_t *e, uint64_t switches)
{
    if (f->regs[BC_REG_CTRL / 4] & BC_CTRL_CNT_FREEZE_MASK)
        return;
    /* The timing model's events have the counters' names (BC_COUNTERS). */
#define EVENT_VALUE(name, off, unit, desc) e->name,
    uint64_t v[BC_NUM_COUNTERS] = {BC_COUNTERS(EVENT_VALUE)};
#undef EVENT_VALUE
    v[offsetof(bc_counters_t, switches) / sizeof(uint64_t)] = switches; /* the stream decides */
    for (unsigned i = 0; i < BC_NUM_COUNTERS; i++)
        f->cnt[i] += v[i];
}

static void complete_job(bc_fsim_t *f, const fsim_job_t *j)
{
    if (j->err) {
        record_error(f, j->err, j->id, 0);
        bc_events_t e = {0};
        e.busy = e.cycles = j->finish - j->start;
        e.stall = e.busy;
        add_counters(f, &e, 0);
        return;
    }
    unsigned wbits = (j->prec & BC_JOB_PREC_WBITS_MASK) >> BC_JOB_PREC_WBITS_SHIFT;
    unsigned abits = (j->prec & BC_JOB_PREC_ABITS_MASK) >> BC_JOB_PREC_ABITS_SHIFT;
    bool ws = j->prec & BC_JOB_PREC_WSIGNED_MASK, as = j->prec & BC_JOB_PREC_ASIGNED_MASK;
    uint64_t kc = (j->k + 63u) / 64u;
    uint32_t fault;
    if (span_fault(f, 1, j->a, j->m, j->lda, kc * wbits * 8u, &fault) ||
        span_fault(f, 1, j->b, j->n, j->ldb, kc * abits * 8u, &fault)) {
        record_error(f, BC_ERR_BUS_READ, j->id, fault);
        return;
    }
    bool wb16 = j->prec & BC_JOB_PREC_WB16_MASK;
    if (span_fault(f, 2, j->c, j->m, j->ldc, (wb16 ? 2ull : 4ull) * j->n, &fault)) {
        record_error(f, BC_ERR_BUS_WRITE, j->id, fault);
        return;
    }
    const uint64_t *a = f->mem + j->a / 8, *b = f->mem + j->b / 8;
    int32_t *c = malloc((size_t)j->m * j->n * sizeof *c);
    if (!c) {
        record_error(f, BC_ERR_BUS_WRITE, j->id, j->c); /* host out of memory */
        return;
    }
    bool ovf = bc_fsim_gemm_packed(a, j->lda / 8, b, j->ldb / 8, c, j->n, j->m, j->n, j->k,
                                   wbits, abits, ws, as);
    ovf |= write_c(f, j, c);
    free(c);
    if (ovf)
        f->regs[BC_REG_STATUS / 4] |= BC_STATUS_OVERFLOW_MASK;
    /* A switch is any change of wbits, abits or signedness (as the array core counts). */
    uint32_t prec_bits = j->prec & (BC_JOB_PREC_WBITS_MASK | BC_JOB_PREC_ABITS_MASK |
                                    BC_JOB_PREC_WSIGNED_MASK | BC_JOB_PREC_ASIGNED_MASK);
    uint64_t sw = f->have_prev_prec && prec_bits != f->prev_prec ? 1 : 0;
    f->have_prev_prec = true;
    f->prev_prec = prec_bits;
    bc_events_t ev = j->ev;
    if (wb16) /* the RTL writes 2 bytes per C element */
        ev.dram_wr_bytes = 2ull * j->m * j->n;
    add_counters(f, &ev, sw);
    f->regs[BC_REG_LAST_JOB_ID / 4] = j->id;
    f->regs[BC_REG_IRQ_STATUS / 4] |= BC_IRQ_STATUS_DONE_MASK;
}

/* Advance device time to t, completing every job that finishes by then. */
static void advance_to(bc_fsim_t *f, uint64_t t)
{
    while (f->count && f->q[f->head].finish <= t) {
        fsim_job_t j = f->q[f->head];
        f->head = (f->head + 1) % MAX_QUEUE;
        f->count--;
        complete_job(f, &j);
    }
    if (t > f->now)
        f->now = t;
}

void bc_fsim_run(bc_fsim_t *f, uint64_t cycles)
{
    advance_to(f, f->now + cycles);
}

/* Descriptors waiting (not yet started) at the current time. */
static unsigned waiting(const bc_fsim_t *f)
{
    unsigned w = 0;
    for (unsigned i = 0; i < f->count; i++)
        if (f->q[(f->head + i) % MAX_QUEUE].start > f->now)
            w++;
    return w;
}

static void push_job(bc_fsim_t *f)
{
    const uint32_t *r = f->regs;
    if (waiting(f) >= f->depth) {
        record_error(f, BC_ERR_QUEUE_OVERFLOW, r[BC_REG_JOB_ID / 4], BC_REG_JOB_PUSH);
        return;
    }
    fsim_job_t j = {0};
    j.a = r[BC_REG_JOB_A_ADDR / 4];
    j.b = r[BC_REG_JOB_B_ADDR / 4];
    j.c = r[BC_REG_JOB_C_ADDR / 4];
    j.m = r[BC_REG_JOB_M / 4];
    j.n = r[BC_REG_JOB_N / 4];
    j.k = r[BC_REG_JOB_K / 4];
    j.lda = r[BC_REG_JOB_LDA / 4];
    j.ldb = r[BC_REG_JOB_LDB / 4];
    j.ldc = r[BC_REG_JOB_LDC / 4];
    j.prec = r[BC_REG_JOB_PREC / 4];
    j.id = r[BC_REG_JOB_ID / 4];
    j.err = validate(f, &j);
    uint64_t dur = INVALID_JOB_CYCLES;
    if (!j.err) {
        bc_job_shape_t s = {
            .m = j.m, .n = j.n, .k = j.k,
            .wbits = (j.prec & BC_JOB_PREC_WBITS_MASK) >> BC_JOB_PREC_WBITS_SHIFT,
            .abits = (j.prec & BC_JOB_PREC_ABITS_MASK) >> BC_JOB_PREC_ABITS_SHIFT,
            .wsigned = j.prec & BC_JOB_PREC_WSIGNED_MASK,
            .asigned = j.prec & BC_JOB_PREC_ASIGNED_MASK};
        if (f->engine_free_at <= f->now)
            bc_timing_state_init(&f->stream); /* the device went idle: a new stream */
        bc_timing_next(&f->hw, &f->cal, &f->stream, &s, &j.ev);
        dur = j.ev.cycles ? j.ev.cycles : 1;
    }
    j.start = f->engine_free_at > f->now ? f->engine_free_at : f->now;
    j.finish = j.start + dur;
    f->engine_free_at = j.finish;
    f->q[(f->head + f->count) % MAX_QUEUE] = j;
    f->count++;
}

static void soft_reset(bc_fsim_t *f)
{
    f->count = 0;
    f->head = 0;
    f->engine_free_at = f->now;
    memset(f->cnt, 0, sizeof f->cnt);
    bc_timing_state_init(&f->stream);
    f->have_prev_prec = false;
    reset_regs(f);
}

/* ---- register interface ---- */

static int counter_index(uint32_t off, bool *hi)
{
    for (unsigned i = 0; i < BC_NUM_COUNTERS; i++)
        if (off == cnt_off[i] || off == cnt_off[i] + 4) {
            *hi = off != cnt_off[i];
            return (int)i;
        }
    return -1;
}

static void tick(bc_fsim_t *f)
{
    advance_to(f, f->now + f->cfg.reg_access_cycles);
}

static int fsim_read32(void *ctx, uint32_t off, uint32_t *val)
{
    bc_fsim_t *f = ctx;
    tick(f);
    const bc_reg_desc_t *d = find_reg(off);
    if (!d)
        return -1; /* SLVERR */
    bool hi;
    int ci = counter_index(off, &hi);
    if (ci >= 0) {
        if (!hi)
            f->cnt_hi_shadow = (uint32_t)(f->cnt[ci] >> 32);
        *val = hi ? f->cnt_hi_shadow : (uint32_t)f->cnt[ci];
        return 0;
    }
    uint32_t v = f->regs[off / 4];
    if (off == BC_REG_STATUS) {
        unsigned w = waiting(f);
        v &= BC_STATUS_OVERFLOW_MASK;
        v |= f->count ? BC_STATUS_BUSY_MASK : 0;
        v |= (w << BC_STATUS_QUEUE_COUNT_SHIFT) & BC_STATUS_QUEUE_COUNT_MASK;
        v |= w >= f->depth ? BC_STATUS_QUEUE_FULL_MASK : 0;
        v |= f->regs[BC_REG_ERR_CODE / 4] ? BC_STATUS_ERR_MASK : 0;
    }
    *val = v & ~d->w1s_mask; /* trigger bits read 0 */
    return 0;
}

static int fsim_write32(void *ctx, uint32_t off, uint32_t val)
{
    bc_fsim_t *f = ctx;
    tick(f);
    const bc_reg_desc_t *d = find_reg(off);
    if (!d)
        return -1;
    if (d->is_ro) {
        record_error(f, BC_ERR_REG_READONLY, 0, off);
        return -1;
    }
    uint32_t *r = &f->regs[off / 4];
    switch (off) {
    case BC_REG_CTRL:
        if (val & BC_CTRL_SOFT_RESET_MASK) {
            soft_reset(f);
            return 0;
        }
        *r = (*r & ~d->rw_mask) | (val & d->rw_mask);
        if (val & BC_CTRL_CNT_CLEAR_MASK)
            memset(f->cnt, 0, sizeof f->cnt);
        if (val & BC_CTRL_ERR_CLEAR_MASK) {
            f->regs[BC_REG_ERR_CODE / 4] = 0;
            f->regs[BC_REG_ERR_JOB_ID / 4] = 0;
            f->regs[BC_REG_ERR_ADDR / 4] = 0;
            f->regs[BC_REG_STATUS / 4] &= ~BC_STATUS_OVERFLOW_MASK;
        }
        return 0;
    case BC_REG_IRQ_STATUS:
        *r &= ~(val & d->w1c_mask);
        return 0;
    case BC_REG_JOB_PUSH:
        if (val & BC_JOB_PUSH_PUSH_MASK)
            push_job(f);
        return 0;
    case BC_REG_DMA_CFG:
        if (f->count) {
            record_error(f, BC_ERR_REG_BUSY, 0, off);
            return 0;
        }
        break;
    default:
        break;
    }
    *r = (*r & ~d->rw_mask) | (val & d->rw_mask);
    return 0;
}

static int fsim_wait_irq(void *ctx, uint64_t timeout_ns)
{
    bc_fsim_t *f = ctx;
    /* ns -> cycles, rounded up so a timeout never ends early. */
    double cyc = (double)timeout_ns * f->cfg.clock_hz / 1e9;
    uint64_t deadline = f->now + (cyc >= 1.8e19 ? (uint64_t)1 << 62 : (uint64_t)cyc + 1);
    for (;;) {
        if (bc_fsim_irq(f))
            return BC_HAL_IRQ;
        if (!f->count || f->q[f->head].finish > deadline) {
            advance_to(f, deadline);
            return bc_fsim_irq(f) ? BC_HAL_IRQ : BC_HAL_IRQ_TIMEOUT;
        }
        advance_to(f, f->q[f->head].finish);
    }
}

static uint64_t fsim_now_ns(void *ctx)
{
    const bc_fsim_t *f = ctx;
    return (uint64_t)((double)f->now * 1e9 / f->cfg.clock_hz);
}

static int fsim_mem_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
    return bc_fsim_mem_read(ctx, addr, dst, len);
}

static int fsim_mem_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
    return bc_fsim_mem_write(ctx, addr, src, len);
}

void bc_fsim_hal(bc_fsim_t *f, bc_hal_t *hal)
{
    hal->ctx = f;
    hal->name = "fsim";
    hal->read32 = fsim_read32;
    hal->write32 = fsim_write32;
    hal->wait_irq = fsim_wait_irq;
    hal->now_ns = fsim_now_ns;
    hal->mem_read = fsim_mem_read;
    hal->mem_write = fsim_mem_write;
}
