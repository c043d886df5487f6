/* Register suite from the generated table (bc_regs.h): reset values, read/
 * write of every writable bit, bit-bash (walking ones and zeros), read-only
 * registers answering SLVERR, which the CPU takes as a precise store access
 * fault at the register's address. */
#define BC_REGS_WANT_TABLE
#include "bc_regs.h"
#include "bmt.h"

#define REG(off) (*(volatile uint32_t *)(uintptr_t)(BM_ACCEL_BASE + (off)))

static bool skip(const bc_reg_desc_t *r)
{
    /* JOB_PUSH pushes a descriptor, CTRL's set bits act (start/reset/clear),
     * IRQ_STATUS is write-one-to-clear, counters move */
    return r->is_counter || r->offset == BC_REG_JOB_PUSH || r->w1s_mask || r->w1c_mask;
}

static void reset_values(void)
{
    for (unsigned i = 0; i < BC_REG_TABLE_LEN; i++) {
        const bc_reg_desc_t *r = &bc_reg_table[i];
        if (!r->is_counter)
            BMT_EQ(REG(r->offset), r->reset);
    }
}

static void read_write(void)
{
    for (unsigned i = 0; i < BC_REG_TABLE_LEN; i++) {
        const bc_reg_desc_t *r = &bc_reg_table[i];
        if (skip(r) || r->is_ro || !r->rw_mask)
            continue;
        uint32_t patterns[] = {0xFFFFFFFFu, 0x00000000u, 0xA5A5A5A5u, 0x5A5A5A5Au};
        for (unsigned p = 0; p < 4; p++) {
            REG(r->offset) = patterns[p];
            BMT_EQ(REG(r->offset), (patterns[p] & r->rw_mask) | (r->reset & ~r->rw_mask));
        }
        /* bit-bash: walking one, walking zero over the writable bits */
        for (unsigned b = 0; b < 32; b++) {
            uint32_t bit = 1u << b;
            if (!(r->rw_mask & bit))
                continue;
            REG(r->offset) = bit;
            BMT_EQ(REG(r->offset) & r->rw_mask, bit);
            REG(r->offset) = ~bit;
            BMT_EQ(REG(r->offset) & r->rw_mask, r->rw_mask & ~bit);
        }
        REG(r->offset) = r->reset;
        BMT_EQ(REG(r->offset), r->reset);
    }
}

static void read_only(void)
{
    for (unsigned i = 0; i < BC_REG_TABLE_LEN; i++) {
        const bc_reg_desc_t *r = &bc_reg_table[i];
        if (!r->is_ro || r->is_counter)
            continue;
        uint32_t before = REG(r->offset), cause = 0, tval = 0;
        bm_expect_fault();
        REG(r->offset) = ~before;
        BMT_EQ(bm_faults_taken(&cause, &tval), 1);
        BMT_EQ(cause, 7);                       /* store access fault */
        BMT_EQ(tval, BM_ACCEL_BASE + r->offset); /* at the register */
        BMT_EQ(REG(r->offset), before);
    }
    /* the register block records the refused write */
    BMT_EQ(REG(BC_REG_ERR_CODE), BC_ERR_REG_READONLY);
}

int main(void)
{
    bc_dev_t dev;
    reset_values();
    read_write();
    read_only();
    bmt_open(&dev); /* the driver still opens: ID, version, configuration */
    BMT_EQ(bc_error_clear(&dev), BC_OK);
    BMT_EQ(REG(BC_REG_ERR_CODE), 0);
    return bmt_end("regs");
}
