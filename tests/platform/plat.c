/* Platform test helpers and the register-level suite shared by both harnesses. */
#define BC_REGS_WANT_TABLE
#include "plat.h"

#include <stdlib.h>
#include <string.h>

#include "bc_golden.h"
#include "bc_regs.h"
#include "test_job.h"

unsigned plat_pass, plat_fail;
unsigned plat_axi_bits = BC_PARAM_AXI_W;
const char *plat_test = "?";

uint64_t plat_rand(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

unsigned plat_urand(uint64_t *s, unsigned lo, unsigned hi)
{
    return lo + (unsigned)(plat_rand(s) % ((uint64_t)hi - lo + 1));
}

uint32_t plat_rd(const plat_bus_t *b, uint32_t addr)
{
    uint32_t v = 0;
    int rc = b->rd(b->ctx, addr, &v);
    CHECK(rc == 0, "%s: read of 0x%03x answered %d", b->name, addr, rc);
    return v;
}

void plat_wr(const plat_bus_t *b, uint32_t addr, uint32_t val)
{
    int rc = b->wr(b->ctx, addr, val);
    CHECK(rc == 0, "%s: write 0x%08x to 0x%03x answered %d", b->name, val, addr, rc);
}

uint64_t plat_rd64(const plat_bus_t *b, uint32_t lo_addr)
{
    uint64_t lo = plat_rd(b, lo_addr);
    uint64_t hi = plat_rd(b, lo_addr + 4);
    return lo | (hi << 32);
}

static uint64_t digest;
static void mix(uint64_t v)
{
    digest = (digest ^ v) * 0x100000001B3ull;
}

static uint32_t rd_mix(const plat_bus_t *b, uint32_t addr, int *rc)
{
    uint32_t v = 0;
    *rc = b->rd(b->ctx, addr, &v);
    mix(addr);
    mix(v);
    mix((uint64_t)(int64_t)*rc);
    return v;
}

static int wr_mix(const plat_bus_t *b, uint32_t addr, uint32_t val)
{
    int rc = b->wr(b->ctx, addr, val);
    mix(addr ^ 0x80000000u);
    mix(val);
    mix((uint64_t)(int64_t)rc);
    return rc;
}

static bool is_err_reg(uint32_t off)
{
    return off == BC_REG_ERR_CODE || off == BC_REG_ERR_ADDR || off == BC_REG_ERR_JOB_ID ||
           off == BC_REG_STATUS;
}

static void clear_errors(const plat_bus_t *b)
{
    plat_wr(b, BC_REG_CTRL, BC_CTRL_ERR_CLEAR_MASK);
    plat_wr(b, BC_REG_IRQ_STATUS, BC_IRQ_STATUS_DONE_MASK | BC_IRQ_STATUS_ERR_MASK);
}

uint64_t plat_register_suite(const plat_bus_t *b)
{
    int rc;
    digest = 0xCBF29CE484222325ull;

    plat_test = "reg_reset";
    for (unsigned i = 0; i < BC_REG_TABLE_LEN; i++) {
        const bc_reg_desc_t *r = &bc_reg_table[i];
        uint32_t v = rd_mix(b, r->offset, &rc);
        CHECK(rc == 0, "%s: read %s answered %d", b->name, r->name, rc);
        /* CFG_BUS reports the width the model was built with */
        uint32_t want = r->offset == BC_REG_CFG_BUS ? plat_axi_bits : r->reset;
        CHECK(v == want, "%s: %s reset 0x%08x, expected 0x%08x", b->name, r->name, v, want);
    }

    plat_test = "id_config";
    CHECK(rd_mix(b, BC_REG_ID, &rc) == 0xB17C7C1Eu, "%s: ID", b->name);
    uint32_t arr = rd_mix(b, BC_REG_CFG_ARRAY, &rc);
    CHECK(((arr & BC_CFG_ARRAY_DM_MASK) >> BC_CFG_ARRAY_DM_SHIFT) == BC_PARAM_DM, "DM");
    CHECK(((arr & BC_CFG_ARRAY_DN_MASK) >> BC_CFG_ARRAY_DN_SHIFT) == BC_PARAM_DN, "DN");
    CHECK(((arr & BC_CFG_ARRAY_DK_MASK) >> BC_CFG_ARRAY_DK_SHIFT) == BC_PARAM_DK, "DK");
    uint32_t lim = rd_mix(b, BC_REG_CFG_LIMITS, &rc);
    CHECK(((lim & BC_CFG_LIMITS_MAX_BITS_MASK) >> BC_CFG_LIMITS_MAX_BITS_SHIFT) == 16, "MAX_BITS");
    CHECK(((lim & BC_CFG_LIMITS_QUEUE_DEPTH_MASK) >> BC_CFG_LIMITS_QUEUE_DEPTH_SHIFT) >= 4,
          "QUEUE_DEPTH >= 4");
    CHECK(((lim & BC_CFG_LIMITS_ACC_WIDTH_MASK) >> BC_CFG_LIMITS_ACC_WIDTH_SHIFT) == 48, "ACC_WIDTH");
    CHECK(rd_mix(b, BC_REG_CFG_MAX_K, &rc) == BC_PARAM_MAX_K, "MAX_K");
    uint32_t bus = (rd_mix(b, BC_REG_CFG_BUS, &rc) & BC_CFG_BUS_DATA_BITS_MASK) >> BC_CFG_BUS_DATA_BITS_SHIFT;
    CHECK(bus == plat_axi_bits && (bus == 64 || bus == 128 || bus == 256 || bus == 512),
          "%s: CFG_BUS.DATA_BITS %u, expected %u", b->name, bus, plat_axi_bits);
    CHECK(rd_mix(b, BC_REG_CFG_ABUF_WORDS, &rc) == BC_PARAM_ABUF_WORDS, "ABUF_WORDS");

    plat_test = "reg_rw";
    for (unsigned i = 0; i < BC_REG_TABLE_LEN; i++) {
        const bc_reg_desc_t *r = &bc_reg_table[i];
        if (!r->rw_mask)
            continue;
        const uint32_t pats[] = {0xFFFFFFFFu, 0x00000000u, 0xA5A5A5A5u, 0x5A5A5A5Au};
        for (unsigned p = 0; p < 4; p++) {
            rc = wr_mix(b, r->offset, pats[p] & r->rw_mask);
            CHECK(rc == 0, "%s: write %s answered %d", b->name, r->name, rc);
            uint32_t v = rd_mix(b, r->offset, &rc);
            CHECK(v == (pats[p] & r->rw_mask), "%s: %s wrote 0x%08x read 0x%08x", b->name, r->name,
                  pats[p] & r->rw_mask, v);
        }
        wr_mix(b, r->offset, r->reset);
    }

    plat_test = "bit_bash";
    for (unsigned i = 0; i < BC_REG_TABLE_LEN; i++) {
        const bc_reg_desc_t *r = &bc_reg_table[i];
        for (unsigned bit = 0; bit < 32; bit++) {
            uint32_t one = 1u << bit;
            if (!(r->rw_mask & one))
                continue;
            wr_mix(b, r->offset, one);
            uint32_t v1 = rd_mix(b, r->offset, &rc);
            wr_mix(b, r->offset, r->rw_mask & ~one);
            uint32_t v0 = rd_mix(b, r->offset, &rc);
            CHECK(v1 == one && v0 == (r->rw_mask & ~one), "%s: %s bit %u: walking 1 read 0x%08x, walking 0 read 0x%08x",
                  b->name, r->name, bit, v1, v0);
        }
        if (r->rw_mask)
            wr_mix(b, r->offset, r->reset);
    }

    plat_test = "reg_readonly";
    for (unsigned i = 0; i < BC_REG_TABLE_LEN; i++) {
        const bc_reg_desc_t *r = &bc_reg_table[i];
        if (!r->is_ro)
            continue;
        uint32_t before = rd_mix(b, r->offset, &rc);
        rc = wr_mix(b, r->offset, ~before);
        CHECK(rc == -1, "%s: write to read-only %s answered %d, expected SLVERR", b->name, r->name, rc);
        uint32_t code = rd_mix(b, BC_REG_ERR_CODE, &rc);
        uint32_t eaddr = rd_mix(b, BC_REG_ERR_ADDR, &rc);
        uint32_t irq = rd_mix(b, BC_REG_IRQ_STATUS, &rc);
        CHECK(code == BC_ERR_REG_READONLY && eaddr == r->offset && (irq & BC_IRQ_STATUS_ERR_MASK),
              "%s: write to %s: ERR_CODE %u ERR_ADDR 0x%x IRQ_STATUS 0x%x", b->name, r->name, code,
              eaddr, irq);
        clear_errors(b);
        if (!is_err_reg(r->offset)) {
            uint32_t after = rd_mix(b, r->offset, &rc);
            CHECK(after == before, "%s: read-only %s changed 0x%08x -> 0x%08x", b->name, r->name, before,
                  after);
        }
    }

    plat_test = "unmapped";
    const uint32_t holes[] = {0x030, 0x034, 0x03C, 0x05C, 0x068, 0x07C, 0x0B0, 0x0FC, 0x170, 0x800, 0xFFC};
    for (unsigned i = 0; i < sizeof holes / sizeof holes[0]; i++) {
        uint32_t v = 0;
        rc = b->rd(b->ctx, holes[i], &v);
        mix(holes[i]);
        mix((uint64_t)(int64_t)rc);
        CHECK(rc == -1, "%s: read of unmapped 0x%03x answered %d, expected SLVERR", b->name, holes[i], rc);
        rc = wr_mix(b, holes[i], 0xFFFFFFFFu);
        CHECK(rc == -1, "%s: write to unmapped 0x%03x answered %d, expected SLVERR", b->name, holes[i], rc);
    }
    CHECK(rd_mix(b, BC_REG_ERR_CODE, &rc) == BC_ERR_NONE, "%s: unmapped access recorded an error", b->name);

    plat_test = "irq_level";
    plat_wr(b, BC_REG_IRQ_ENABLE, BC_IRQ_ENABLE_ERR_MASK);
    CHECK(b->wait_irq(b->ctx, 20) == 1, "%s: irq high with nothing pending", b->name);
    wr_mix(b, BC_REG_ID, 0);
    CHECK(b->wait_irq(b->ctx, 20) == 0, "%s: irq did not rise on an error", b->name);
    CHECK(b->wait_irq(b->ctx, 20) == 0, "%s: irq is not level (dropped without W1C)", b->name);
    clear_errors(b);
    CHECK(b->wait_irq(b->ctx, 20) == 1, "%s: irq stayed high after W1C", b->name);
    plat_wr(b, BC_REG_IRQ_ENABLE, 0);
    wr_mix(b, BC_REG_ID, 0);
    CHECK(b->wait_irq(b->ctx, 20) == 1, "%s: irq rose while disabled", b->name);
    CHECK(rd_mix(b, BC_REG_IRQ_STATUS, &rc) & BC_IRQ_STATUS_ERR_MASK, "%s: IRQ_STATUS.ERR not set", b->name);
    clear_errors(b);
    return digest;
}

void plat_job_make(const plat_bus_t *b, plat_job_t *j, unsigned m, unsigned n, unsigned k,
                   unsigned wbits, unsigned abits, bool wsigned, bool asigned, uint32_t *next,
                   unsigned pad_words, uint64_t *rng)
{
    memset(j, 0, sizeof *j);
    j->m = m;
    j->n = n;
    j->k = k;
    j->wbits = wbits;
    j->abits = abits;
    j->wsigned = wsigned;
    j->asigned = asigned;
    unsigned kc = (k + 63) / 64;
    j->lda = (kc * wbits + pad_words) * 8;
    j->ldb = (kc * abits + pad_words) * 8;
    j->ldc = ((4 * n + 7) / 8 + pad_words) * 8;
    j->a = calloc((size_t)m * k, sizeof(int32_t));
    j->bm = calloc((size_t)k * n, sizeof(int32_t));
    j->c_ref = calloc((size_t)m * n, sizeof(int32_t));
    uint32_t wmask = wbits >= 32 ? 0xFFFFFFFFu : ((1u << wbits) - 1);
    uint32_t amask = abits >= 32 ? 0xFFFFFFFFu : ((1u << abits) - 1);
    for (size_t i = 0; i < (size_t)m * k; i++)
        j->a[i] = (int32_t)(uint32_t)(plat_rand(rng) & wmask);
    for (size_t i = 0; i < (size_t)k * n; i++)
        j->bm[i] = (int32_t)(uint32_t)(plat_rand(rng) & amask);
    j->overflow = bc_golden_gemm(j->a, k, j->bm, n, j->c_ref, n, m, n, k, wbits, abits, wsigned, asigned);

    size_t a_words = (size_t)m * j->lda / 8, b_words = (size_t)n * j->ldb / 8;
    uint64_t *pa = calloc(a_words, 8), *pb = calloc(b_words, 8);
    bc_golden_pack(j->a, k, 1, m, k, wbits, pa, j->lda / 8);
    bc_golden_pack(j->bm, 1, n, n, k, abits, pb, j->ldb / 8);
    j->a_addr = *next;
    *next += (uint32_t)((a_words * 8 + 63) & ~(size_t)63);
    j->b_addr = *next;
    *next += (uint32_t)((b_words * 8 + 63) & ~(size_t)63);
    j->c_addr = *next;
    *next += (uint32_t)(((size_t)m * j->ldc + 63) & ~(size_t)63);
    CHECK(b->mem_wr(b->ctx, j->a_addr, pa, a_words * 8) == 0, "mem write A");
    CHECK(b->mem_wr(b->ctx, j->b_addr, pb, b_words * 8) == 0, "mem write B");
    /* poison C so unwritten results show */
    size_t c_bytes = (size_t)m * j->ldc;
    uint8_t *junk = malloc(c_bytes);
    memset(junk, 0xEE, c_bytes);
    CHECK(b->mem_wr(b->ctx, j->c_addr, junk, c_bytes) == 0, "mem write C");
    free(junk);
    free(pa);
    free(pb);
}

/* plat_wr (one CHECK per register) as a register-write function. */
static int checked_wr(void *bus, uint32_t off, uint32_t val)
{
    plat_wr(bus, off, val);
    return 0;
}

void plat_job_push(const plat_bus_t *b, const plat_job_t *j)
{
    const test_job_regs_t r = {j->a_addr, j->b_addr, j->c_addr, j->m,     j->n,     j->k,       j->lda,
                               j->ldb,    j->ldc,    j->id,     j->wbits, j->abits, j->wsigned, j->asigned,
                               j->wb16,   j->wb_shift};
    test_job_push(checked_wr, (void *)b, &r);
}

void plat_job_set_wb16(plat_job_t *j, unsigned shift)
{
    j->wb16 = true;
    j->wb_shift = shift;
    for (size_t i = 0; i < (size_t)j->m * j->n; i++)
        (void)bc_golden_wb16(j->c_ref[i], shift, &j->overflow);
}

unsigned plat_job_check(const plat_bus_t *b, const plat_job_t *j)
{
    const size_t eb = j->wb16 ? 2 : 4; /* bytes per C element */
    size_t c_bytes = (size_t)j->m * j->ldc;
    uint8_t *raw = malloc(c_bytes);
    unsigned bad = 0;
    if (b->mem_rd(b->ctx, j->c_addr, raw, c_bytes) != 0) {
        free(raw);
        return j->m * j->n;
    }
    for (unsigned r = 0; r < j->m; r++) {
        for (unsigned c = 0; c < j->n; c++) {
            int32_t v, want = j->c_ref[(size_t)r * j->n + c];
            if (j->wb16) {
                int16_t h;
                memcpy(&h, raw + (size_t)r * j->ldc + (size_t)c * 2, 2);
                v = h;
                want = bc_golden_wb16(want, j->wb_shift, NULL);
            } else {
                memcpy(&v, raw + (size_t)r * j->ldc + (size_t)c * 4, 4);
            }
            if (v != want) {
                if (bad < 4)
                    fprintf(stderr, "  job %u (%ux%ux%u w%u%c a%u%c): C[%u][%u] = %d, golden %d\n", j->id,
                            j->m, j->n, j->k, j->wbits, j->wsigned ? 's' : 'u', j->abits,
                            j->asigned ? 's' : 'u', r, c, v, want);
                bad++;
            }
        }
        /* bytes between the row's last element and LDC must be untouched (WSTRB masking) */
        for (size_t x = eb * j->n; x < j->ldc; x++)
            if (raw[(size_t)r * j->ldc + x] != 0xEE) {
                if (bad < 4)
                    fprintf(stderr, "  job %u: padding byte %zu of row %u overwritten\n", j->id, x, r);
                bad++;
                break;
            }
    }
    free(raw);
    return bad;
}

void plat_job_free(plat_job_t *j)
{
    free(j->a);
    free(j->bm);
    free(j->c_ref);
    j->a = j->bm = j->c_ref = NULL;
}
