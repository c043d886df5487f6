/* bitcycle driver: device open, job validation and submission, waiting,
 * hardware errors and counters. All state lives in the caller's bc_dev_t;
 * all hardware access goes through dev->hal. */
#include "bitcycle.h"

#include "bc_desc.h"

#include "bc_regs.h"

#define FIELD_GET(v, name) (((v) & name##_MASK) >> name##_SHIFT)

/* Major version this driver understands (VERSION[31:16]). */
#define BC_DRV_HW_MAJOR 1u

static bool hal_ok(const bc_hal_t *h)
{
    return h && h->read32 && h->write32 && h->now_ns;
}

/* Every hardware access goes through these four: a device that was never
 * opened (or whose bc_open failed, leaving it zeroed) is an error, never a
 * call through a null HAL pointer. */
#define NEED_OPEN(dev)                      \
    do {                                    \
        if (!(dev))                         \
            return BC_E_NULL;               \
        if (!(dev)->open)                   \
            return BC_E_CLOSED;             \
    } while (0)

bc_status_t bc_reg_read(bc_dev_t *dev, uint32_t off, uint32_t *val)
{
    NEED_OPEN(dev);
    if (!val)
        return BC_E_NULL;
    return dev->hal.read32(dev->hal.ctx, off, val) ? BC_E_HAL : BC_OK;
}

bc_status_t bc_reg_write(bc_dev_t *dev, uint32_t off, uint32_t val)
{
    NEED_OPEN(dev);
    return dev->hal.write32(dev->hal.ctx, off, val) ? BC_E_HAL : BC_OK;
}

#define TRY(expr)                          \
    do {                                   \
        bc_status_t st_ = (expr);          \
        if (st_ != BC_OK)                  \
            return st_;                    \
    } while (0)

bc_status_t bc_mem_write(bc_dev_t *dev, uint64_t addr, const void *src, size_t len)
{
    NEED_OPEN(dev);
    if (!len)
        return BC_OK; /* nothing to move: src may be NULL */
    if (!src)
        return BC_E_NULL;
    if (!dev->hal.mem_write)
        return BC_E_HAL;
    if (addr + len < addr)
        return BC_E_RANGE;
    return dev->hal.mem_write(dev->hal.ctx, addr, src, len) ? BC_E_HAL : BC_OK;
}

bc_status_t bc_mem_read(bc_dev_t *dev, uint64_t addr, void *dst, size_t len)
{
    NEED_OPEN(dev);
    if (!len)
        return BC_OK;
    if (!dst)
        return BC_E_NULL;
    if (!dev->hal.mem_read)
        return BC_E_HAL;
    if (addr + len < addr)
        return BC_E_RANGE;
    return dev->hal.mem_read(dev->hal.ctx, addr, dst, len) ? BC_E_HAL : BC_OK;
}

bc_status_t bc_open(bc_dev_t *dev, const bc_hal_t *hal)
{
    if (!dev || !hal)
        return BC_E_NULL;
    bc_dev_t d = {0};
    if (!hal_ok(hal))
        return BC_E_HAL;
    d.hal = *hal;
    d.open = true; /* for the reads below; *dev only changes on success */
    uint32_t v;
    TRY(bc_reg_read(&d, BC_REG_ID, &v));
    if (v != BC_PARAM_ID_VALUE)
        return BC_E_ID;
    d.cfg.id = v;
    TRY(bc_reg_read(&d, BC_REG_VERSION, &v));
    if ((v >> 16) != BC_DRV_HW_MAJOR)
        return BC_E_VERSION;
    d.cfg.version = v;
    TRY(bc_reg_read(&d, BC_REG_CFG_ARRAY, &v));
    d.cfg.dm = FIELD_GET(v, BC_CFG_ARRAY_DM);
    d.cfg.dn = FIELD_GET(v, BC_CFG_ARRAY_DN);
    d.cfg.dk = FIELD_GET(v, BC_CFG_ARRAY_DK);
    TRY(bc_reg_read(&d, BC_REG_CFG_LIMITS, &v));
    d.cfg.max_bits = FIELD_GET(v, BC_CFG_LIMITS_MAX_BITS);
    d.cfg.queue_depth = FIELD_GET(v, BC_CFG_LIMITS_QUEUE_DEPTH);
    d.cfg.acc_w = FIELD_GET(v, BC_CFG_LIMITS_ACC_WIDTH);
    TRY(bc_reg_read(&d, BC_REG_CFG_MAX_M, &v));
    d.cfg.max_m = v;
    TRY(bc_reg_read(&d, BC_REG_CFG_MAX_N, &v));
    d.cfg.max_n = v;
    TRY(bc_reg_read(&d, BC_REG_CFG_MAX_K, &v));
    d.cfg.max_k = v;
    TRY(bc_reg_read(&d, BC_REG_CFG_ABUF_WORDS, &v));
    d.cfg.abuf_words = v;
    TRY(bc_reg_read(&d, BC_REG_CFG_BBUF_WORDS, &v));
    d.cfg.bbuf_words = v;
    TRY(bc_reg_read(&d, BC_REG_CFG_WIN_BASE, &d.cfg.win_base));
    TRY(bc_reg_read(&d, BC_REG_CFG_WIN_SIZE, &d.cfg.win_size));
    TRY(bc_reg_read(&d, BC_REG_CFG_BUS, &v));
    d.cfg.axi_bits = FIELD_GET(v, BC_CFG_BUS_DATA_BITS);
    /* The packed layout ties DK to the 64-bit word; packing supports 16 bits. */
    if (d.cfg.dk != 64 || !d.cfg.dm || !d.cfg.dn || !d.cfg.max_bits || d.cfg.max_bits > 16 ||
        !d.cfg.max_m || !d.cfg.max_n || !d.cfg.max_k || !d.cfg.queue_depth || !d.cfg.win_size ||
        (d.cfg.axi_bits != 64 && d.cfg.axi_bits != 128 && d.cfg.axi_bits != 256 && d.cfg.axi_bits != 512))
        return BC_E_CFG;
    TRY(bc_reg_write(&d, BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK));
    TRY(bc_reg_write(&d, BC_REG_IRQ_STATUS, BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK));
    d.prec.wbits = 8;
    d.prec.abits = 8;
    d.prec.wsigned = true;
    d.prec.asigned = true;
    d.wait_mode = BC_WAIT_POLL;
    d.hazard_wait_ns = 10000000000ull; /* 10 s of device time */
    d.open = true;
    *dev = d;
    return BC_OK;
}

bc_status_t bc_set_wait_mode(bc_dev_t *dev, bc_wait_mode_t mode)
{
    if (!dev)
        return BC_E_NULL;
    if (mode != BC_WAIT_POLL && mode != BC_WAIT_IRQ)
        return BC_E_ARG;
    if (mode == BC_WAIT_IRQ && !dev->hal.wait_irq)
        return BC_E_HAL;
    uint32_t en = mode == BC_WAIT_IRQ ? (BC_IRQ_ENABLE_DONE_MASK | BC_IRQ_ENABLE_ERR_MASK) : 0;
    TRY(bc_reg_write(dev, BC_REG_IRQ_ENABLE, en));
    dev->wait_mode = mode;
    return BC_OK;
}

bc_status_t bc_precision_check(const bc_dev_t *dev, const bc_precision_t *p)
{
    if (!dev || !p)
        return BC_E_NULL;
    if (p->wbits < 1 || p->wbits > dev->cfg.max_bits)
        return BC_E_WBITS;
    if (p->abits < 1 || p->abits > dev->cfg.max_bits)
        return BC_E_ABITS;
    return BC_OK;
}

bc_status_t bc_set_precision(bc_dev_t *dev, const bc_precision_t *p)
{
    TRY(bc_precision_check(dev, p));
    dev->prec = *p;
    return BC_OK;
}

/* ---- jobs ---- */

size_t bc_packed_row_bytes(unsigned k, unsigned bits)
{
    return (size_t)((k + 63u) / 64u) * bits * 8u;
}

void bc_gemm_default_strides(bc_gemm_t *g)
{
    if (!g)
        return;
    g->lda = (uint32_t)bc_packed_row_bytes(g->k, g->wbits);
    g->ldb = (uint32_t)bc_packed_row_bytes(g->k, g->abits);
    g->ldc = (uint32_t)(((g->wb_bits == 16 ? 2ull : 4ull) * g->n + 7u) & ~7ull);
}

void bc_gemm_init(const bc_dev_t *dev, bc_gemm_t *g)
{
    if (!g)
        return;
    bc_gemm_t z = {0};
    if (dev) {
        z.wbits = dev->prec.wbits;
        z.abits = dev->prec.abits;
        z.wsigned = dev->prec.wsigned;
        z.asigned = dev->prec.asigned;
    }
    *g = z;
}

bc_status_t bc_gemm_validate(const bc_dev_t *dev, const bc_gemm_t *g)
{
    NEED_OPEN(dev);
    if (!g)
        return BC_E_NULL;
    const bc_hwcfg_t *c = &dev->cfg;
    const bc_desc_limits_t lim = {c->max_bits, c->max_m, c->max_n, c->max_k, c->win_base, c->win_size};
    const bc_desc_t d = {g->a_addr, g->b_addr, g->c_addr, g->m,   g->n,    g->k,
                         g->lda,    g->ldb,    g->ldc,    g->wbits, g->abits, g->wb_bits == 16};
    /* status codes 1..16 are the ERR_CODE values (checked below) */
    bc_status_t st = (bc_status_t)bc_desc_check(&lim, &d);
    if (st != BC_OK)
        return st;
    if ((g->wb_bits != 0 && g->wb_bits != 16 && g->wb_bits != 32) || g->wb_shift > 31 ||
        (g->wb_bits != 16 && g->wb_shift != 0))
        return BC_E_ARG;
    return BC_OK;
}

bc_status_t bc_queue_free(bc_dev_t *dev, unsigned *free_entries)
{
    if (!dev || !free_entries)
        return BC_E_NULL;
    uint32_t st;
    TRY(bc_reg_read(dev, BC_REG_STATUS, &st));
    unsigned used = FIELD_GET(st, BC_STATUS_QUEUE_COUNT);
    if (st & BC_STATUS_QUEUE_FULL_MASK)
        used = dev->cfg.queue_depth;
    *free_entries = used >= dev->cfg.queue_depth ? 0 : dev->cfg.queue_depth - used;
    return BC_OK;
}

bc_status_t bc_gemm_submit_unchecked(bc_dev_t *dev, const bc_gemm_t *g)
{
    if (!dev || !g)
        return BC_E_NULL;
    uint32_t st;
    TRY(bc_reg_read(dev, BC_REG_STATUS, &st));
    if (st & BC_STATUS_QUEUE_FULL_MASK)
        return BC_E_QUEUE_FULL;
    /* Fields are truncated to their register width exactly as hardware would
     * see them; the checked path has validated them already. */
    uint32_t prec = ((uint32_t)g->wbits << BC_JOB_PREC_WBITS_SHIFT & BC_JOB_PREC_WBITS_MASK) |
                    ((uint32_t)g->abits << BC_JOB_PREC_ABITS_SHIFT & BC_JOB_PREC_ABITS_MASK) |
                    (g->wsigned ? BC_JOB_PREC_WSIGNED_MASK : 0u) |
                    (g->asigned ? BC_JOB_PREC_ASIGNED_MASK : 0u) |
                    (g->wb_bits == 16 ? BC_JOB_PREC_WB16_MASK : 0u) |
                    ((uint32_t)g->wb_shift << BC_JOB_PREC_WB_SHIFT_SHIFT & BC_JOB_PREC_WB_SHIFT_MASK);
    TRY(bc_reg_write(dev, BC_REG_JOB_A_ADDR, g->a_addr));
    TRY(bc_reg_write(dev, BC_REG_JOB_B_ADDR, g->b_addr));
    TRY(bc_reg_write(dev, BC_REG_JOB_C_ADDR, g->c_addr));
    TRY(bc_reg_write(dev, BC_REG_JOB_M, g->m));
    TRY(bc_reg_write(dev, BC_REG_JOB_N, g->n));
    TRY(bc_reg_write(dev, BC_REG_JOB_K, g->k));
    TRY(bc_reg_write(dev, BC_REG_JOB_LDA, g->lda));
    TRY(bc_reg_write(dev, BC_REG_JOB_LDB, g->ldb));
    TRY(bc_reg_write(dev, BC_REG_JOB_LDC, g->ldc));
    TRY(bc_reg_write(dev, BC_REG_JOB_PREC, prec));
    TRY(bc_reg_write(dev, BC_REG_JOB_ID, g->job_id));
    TRY(bc_reg_write(dev, BC_REG_JOB_PUSH, BC_JOB_PUSH_PUSH_MASK));
    return BC_OK;
}

/* Operand and result regions of a validated job, [lo, hi) in device bytes. */
static bc_region_t region(uint32_t addr, uint32_t rows, uint32_t ld, uint64_t row_bytes)
{
    bc_region_t r = {addr, (uint64_t)addr + (uint64_t)(rows - 1u) * ld + row_bytes};
    return r;
}

static bool overlap(bc_region_t a, bc_region_t b)
{
    return a.lo < b.hi && b.lo < a.hi;
}

static bc_region_t c_region(const bc_gemm_t *g)
{
    return region(g->c_addr, g->m, g->ldc, (g->wb_bits == 16 ? 2ull : 4ull) * g->n);
}

/* After a push: remember the job's C until the queue drains. */
static void track_inflight(bc_dev_t *dev, const bc_gemm_t *g)
{
    if (dev->n_inflight < BC_INFLIGHT_MAX)
        dev->inflight[dev->n_inflight] = c_region(g);
    if (dev->n_inflight <= BC_INFLIGHT_MAX)
        dev->n_inflight++;
}

bc_status_t bc_gemm_submit(bc_dev_t *dev, const bc_gemm_t *g)
{
    TRY(bc_gemm_validate(dev, g));
    uint64_t kc = (g->k + 63u) / 64u;
    bc_region_t a = region(g->a_addr, g->m, g->lda, kc * g->wbits * 8u);
    bc_region_t b = region(g->b_addr, g->n, g->ldb, kc * g->abits * 8u);
    bc_region_t c = c_region(g);
    if (overlap(c, a) || overlap(c, b))
        return BC_E_HAZARD;
    bool raw = dev->n_inflight > BC_INFLIGHT_MAX; /* untracked jobs: assume the worst */
    for (unsigned i = 0; i < dev->n_inflight && i < BC_INFLIGHT_MAX && !raw; i++)
        raw = overlap(a, dev->inflight[i]) || overlap(b, dev->inflight[i]);
    if (raw) {
        dev->hazard_waits++;
        TRY(bc_wait(dev, dev->hazard_wait_ns));
    }
    bc_status_t st = bc_gemm_submit_unchecked(dev, g);
    if (st == BC_OK)
        track_inflight(dev, g);
    return st;
}

/* Status codes 1..16 are the hardware codes by construction (bitcycle.h);
 * the register description is their source. */
_Static_assert(BC_E_WBITS == (int)BC_ERR_BAD_WBITS && BC_E_ABITS == (int)BC_ERR_BAD_ABITS &&
                   BC_E_M == (int)BC_ERR_BAD_M && BC_E_N == (int)BC_ERR_BAD_N && BC_E_K == (int)BC_ERR_BAD_K &&
                   BC_E_A_ADDR == (int)BC_ERR_BAD_A_ADDR && BC_E_B_ADDR == (int)BC_ERR_BAD_B_ADDR &&
                   BC_E_C_ADDR == (int)BC_ERR_BAD_C_ADDR && BC_E_LDA == (int)BC_ERR_BAD_LDA &&
                   BC_E_LDB == (int)BC_ERR_BAD_LDB && BC_E_LDC == (int)BC_ERR_BAD_LDC &&
                   BC_E_BUS_READ == (int)BC_ERR_BUS_READ && BC_E_BUS_WRITE == (int)BC_ERR_BUS_WRITE &&
                   BC_E_QUEUE_FULL == (int)BC_ERR_QUEUE_OVERFLOW &&
                   BC_E_REG_READONLY == (int)BC_ERR_REG_READONLY && BC_E_REG_BUSY == (int)BC_ERR_REG_BUSY,
               "bc_status_t codes 1..16 must equal the ERR_CODE values of bitcycle.regs");
_Static_assert(BC_E_NULL > (int)BC_ERR_COUNT, "driver-only status codes must not overlap ERR_CODE values");

void bc_hw_error_decode(uint32_t code, bc_hw_error_t *out)
{
#define HWERR_NAME(name, code, text) [code] = #name,
    static const char *const names[BC_HWERR_COUNT] = {BC_ERRORS(HWERR_NAME)};
#undef HWERR_NAME
    if (!out)
        return;
    out->code = code;
    if (code == 0) {
        out->status = BC_OK;
        out->name = names[0];
    } else if (code < BC_HWERR_COUNT) {
        /* Status codes 1..16 are the hardware codes by construction. */
        out->status = (bc_status_t)code;
        out->name = names[code];
    } else {
        out->status = BC_E_HW;
        out->name = "UNKNOWN";
    }
}

bc_status_t bc_hw_error(bc_dev_t *dev, bc_hw_error_t *err)
{
    if (!dev)
        return BC_E_NULL;
    uint32_t code;
    TRY(bc_reg_read(dev, BC_REG_ERR_CODE, &code));
    bc_hw_error_decode(FIELD_GET(code, BC_ERR_CODE_CODE), &dev->hw_err);
    if (err)
        *err = dev->hw_err;
    return dev->hw_err.code ? BC_E_HW : BC_OK;
}

bc_status_t bc_error_clear(bc_dev_t *dev)
{
    if (!dev)
        return BC_E_NULL;
    TRY(bc_reg_write(dev, BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK));
    TRY(bc_reg_write(dev, BC_REG_IRQ_STATUS, BC_IRQ_STATUS_ERR_MASK));
    bc_hw_error_decode(0, &dev->hw_err);
    return BC_OK;
}

/* The device went idle: record LAST_JOB_ID and report a recorded error. */
static bc_status_t finish_wait(bc_dev_t *dev, uint32_t st)
{
    dev->n_inflight = 0; /* the queue is empty: every C is in memory */
    TRY(bc_reg_read(dev, BC_REG_LAST_JOB_ID, &dev->last_job_id));
    if (st & BC_STATUS_ERR_MASK)
        return bc_hw_error(dev, NULL) == BC_OK ? BC_OK : BC_E_HW;
    return BC_OK;
}

bc_status_t bc_wait(bc_dev_t *dev, uint64_t timeout_ns)
{
    NEED_OPEN(dev);
    const uint64_t start = dev->hal.now_ns(dev->hal.ctx);
    const uint32_t ack = BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK;
    for (;;) {
        uint32_t st;
        TRY(bc_reg_read(dev, BC_REG_STATUS, &st));
        if (!(st & BC_STATUS_BUSY_MASK)) {
            TRY(bc_reg_write(dev, BC_REG_IRQ_STATUS, ack));
            return finish_wait(dev, st);
        }
        uint64_t now = dev->hal.now_ns(dev->hal.ctx);
        uint64_t spent = now - start;
        if (spent >= timeout_ns)
            return BC_E_TIMEOUT;
        if (dev->wait_mode == BC_WAIT_IRQ) {
            int r = dev->hal.wait_irq(dev->hal.ctx, timeout_ns - spent);
            if (r < 0)
                return BC_E_HAL;
            /* Level interrupt: acknowledge before re-checking, so a later
             * completion raises it again. */
            TRY(bc_reg_write(dev, BC_REG_IRQ_STATUS, ack));
        }
    }
}

bc_status_t bc_gemm_run(bc_dev_t *dev, const bc_gemm_t *g, uint64_t timeout_ns)
{
    TRY(bc_gemm_submit(dev, g));
    return bc_wait(dev, timeout_ns);
}

/* ---- counters ---- */

/* Both tables come from the register description (BC_COUNTERS in bc_regs.h). */
#define COUNTER_INFO(name, off, unit, desc) {#name, unit, desc, offsetof(bc_counters_t, name), off},
static const bc_counter_info_t counter_table[BC_NUM_COUNTERS] = {BC_COUNTERS(COUNTER_INFO)};
#undef COUNTER_INFO
#define counter_reg(i) (counter_table[i].reg_offset)

const bc_counter_info_t *bc_counter_info(unsigned i)
{
    return i < BC_NUM_COUNTERS ? &counter_table[i] : NULL;
}

uint64_t bc_counter_get(const bc_counters_t *c, unsigned i)
{
    if (!c || i >= BC_NUM_COUNTERS)
        return 0;
    const uint64_t *p = (const uint64_t *)((const unsigned char *)c + counter_table[i].offset);
    return *p;
}

static void counter_set(bc_counters_t *c, unsigned i, uint64_t v)
{
    uint64_t *p = (uint64_t *)((unsigned char *)c + counter_table[i].offset);
    *p = v;
}

/* Reading LO latches the high half into a shadow that HI returns, so the
 * LO, HI pair is one consistent 64-bit value even while counting. */
static bc_status_t read_counter(bc_dev_t *dev, uint32_t lo_off, uint64_t *v)
{
    uint32_t lo, hi;
    TRY(bc_reg_read(dev, lo_off, &lo));
    TRY(bc_reg_read(dev, lo_off + 4u, &hi));
    *v = (uint64_t)hi << 32 | lo;
    return BC_OK;
}

bc_status_t bc_counters_read(bc_dev_t *dev, bc_counters_t *out)
{
    if (!dev || !out)
        return BC_E_NULL;
    bc_counters_t c;
    for (unsigned i = 0; i < BC_NUM_COUNTERS; i++) {
        uint64_t v;
        TRY(read_counter(dev, counter_reg(i), &v));
        counter_set(&c, i, v);
    }
    *out = c;
    return BC_OK;
}

bc_status_t bc_counters_snapshot(bc_dev_t *dev, bc_counters_t *out)
{
    if (!dev || !out)
        return BC_E_NULL;
    /* CTRL.CNT_FREEZE holds every counter, so the set is one instant. */
    TRY(bc_reg_write(dev, BC_REG_CTRL, BC_CTRL_CNT_FREEZE_MASK));
    bc_counters_t c;
    bc_status_t st = BC_OK;
    for (unsigned i = 0; i < BC_NUM_COUNTERS && st == BC_OK; i++) {
        uint32_t lo = 0, hi = 0;
        st = bc_reg_read(dev, counter_reg(i), &lo);
        if (st == BC_OK)
            st = bc_reg_read(dev, counter_reg(i) + 4u, &hi);
        counter_set(&c, i, (uint64_t)hi << 32 | lo);
    }
    bc_status_t st2 = bc_reg_write(dev, BC_REG_CTRL, 0);
    if (st != BC_OK)
        return st;
    if (st2 != BC_OK)
        return st2;
    *out = c;
    return BC_OK;
}

bc_status_t bc_counters_clear(bc_dev_t *dev)
{
    if (!dev)
        return BC_E_NULL;
    return bc_reg_write(dev, BC_REG_CTRL, BC_CTRL_CNT_CLEAR_MASK);
}

void bc_counters_diff(const bc_counters_t *later, const bc_counters_t *earlier, bc_counters_t *out)
{
    if (!later || !earlier || !out)
        return;
    bc_counters_t d;
    for (unsigned i = 0; i < BC_NUM_COUNTERS; i++)
        counter_set(&d, i, bc_counter_get(later, i) - bc_counter_get(earlier, i));
    *out = d;
}

/* ---- status text ---- */

typedef struct status_text {
    bc_status_t st;
    const char *name, *text;
} status_text_t;

static const status_text_t status_texts[] = {
    {BC_OK, "BC_OK", "success"},
    {BC_E_WBITS, "BC_E_WBITS", "wbits outside 1..MAX_BITS"},
    {BC_E_ABITS, "BC_E_ABITS", "abits outside 1..MAX_BITS"},
    {BC_E_M, "BC_E_M", "M outside 1..MAX_M"},
    {BC_E_N, "BC_E_N", "N outside 1..MAX_N"},
    {BC_E_K, "BC_E_K", "K outside 1..MAX_K"},
    {BC_E_A_ADDR, "BC_E_A_ADDR", "A address misaligned or A outside the DMA window"},
    {BC_E_B_ADDR, "BC_E_B_ADDR", "B address misaligned or B outside the DMA window"},
    {BC_E_C_ADDR, "BC_E_C_ADDR", "C address misaligned or C outside the DMA window"},
    {BC_E_LDA, "BC_E_LDA", "lda not a multiple of 8 or below ceil(K/64)*wbits*8"},
    {BC_E_LDB, "BC_E_LDB", "ldb not a multiple of 8 or below ceil(K/64)*abits*8"},
    {BC_E_LDC, "BC_E_LDC", "ldc not a multiple of 8 or below 4*N"},
    {BC_E_BUS_READ, "BC_E_BUS_READ", "hardware: memory read error, job aborted"},
    {BC_E_BUS_WRITE, "BC_E_BUS_WRITE", "hardware: memory write error, job aborted"},
    {BC_E_QUEUE_FULL, "BC_E_QUEUE_FULL", "command queue full"},
    {BC_E_REG_READONLY, "BC_E_REG_READONLY", "hardware: write to a read-only register"},
    {BC_E_REG_BUSY, "BC_E_REG_BUSY", "hardware: register write refused while busy"},
    {BC_E_NULL, "BC_E_NULL", "required pointer argument is NULL"},
    {BC_E_HAL, "BC_E_HAL", "HAL incomplete or HAL access failed (bus error)"},
    {BC_E_ID, "BC_E_ID", "ID register does not read the bitcycle ID"},
    {BC_E_VERSION, "BC_E_VERSION", "unsupported hardware major version"},
    {BC_E_CFG, "BC_E_CFG", "hardware configuration registers inconsistent"},
    {BC_E_TIMEOUT, "BC_E_TIMEOUT", "timeout: jobs still running"},
    {BC_E_HW, "BC_E_HW", "hardware reported an error (see bc_hw_error)"},
    {BC_E_ARG, "BC_E_ARG", "argument out of range"},
    {BC_E_RANGE, "BC_E_RANGE", "address range wraps or exceeds the address space"},
    {BC_E_ALIGN, "BC_E_ALIGN", "access not aligned as required"},
    {BC_E_HAZARD, "BC_E_HAZARD", "the job's C region overlaps its own A or B region"},
    {BC_E_CLOSED, "BC_E_CLOSED", "device not open (bc_open not called or failed)"},
};

static const status_text_t *find_status(bc_status_t st)
{
    for (size_t i = 0; i < sizeof status_texts / sizeof status_texts[0]; i++)
        if (status_texts[i].st == st)
            return &status_texts[i];
    return NULL;
}

const char *bc_strerror(bc_status_t st)
{
    const status_text_t *t = find_status(st);
    return t ? t->text : "unknown status";
}

const char *bc_status_name(bc_status_t st)
{
    const status_text_t *t = find_status(st);
    return t ? t->name : "BC_E_UNKNOWN";
}
