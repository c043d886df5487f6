/* Descriptor pushes through the staging registers (see test_job.h). */
#include "test_job.h"

#include "bc_regs.h"

uint32_t test_job_prec(unsigned wbits, unsigned abits, bool wsigned, bool asigned)
{
    return (((uint32_t)wbits << BC_JOB_PREC_WBITS_SHIFT) & BC_JOB_PREC_WBITS_MASK) |
           (((uint32_t)abits << BC_JOB_PREC_ABITS_SHIFT) & BC_JOB_PREC_ABITS_MASK) |
           (wsigned ? BC_JOB_PREC_WSIGNED_MASK : 0u) | (asigned ? BC_JOB_PREC_ASIGNED_MASK : 0u);
}

unsigned test_job_push(int (*wr)(void *ctx, uint32_t off, uint32_t val), void *ctx, const test_job_regs_t *j)
{
    const struct {
        uint32_t off, val;
    } w[] = {
        {BC_REG_JOB_A_ADDR, j->a_addr}, {BC_REG_JOB_B_ADDR, j->b_addr}, {BC_REG_JOB_C_ADDR, j->c_addr},
        {BC_REG_JOB_M, j->m},           {BC_REG_JOB_N, j->n},           {BC_REG_JOB_K, j->k},
        {BC_REG_JOB_LDA, j->lda},       {BC_REG_JOB_LDB, j->ldb},       {BC_REG_JOB_LDC, j->ldc},
        {BC_REG_JOB_PREC, test_job_prec(j->wbits, j->abits, j->wsigned, j->asigned) |
                              (((uint32_t)j->wb16 << BC_JOB_PREC_WB16_SHIFT) & BC_JOB_PREC_WB16_MASK) |
                              ((j->wb_shift << BC_JOB_PREC_WB_SHIFT_SHIFT) & BC_JOB_PREC_WB_SHIFT_MASK)},
        {BC_REG_JOB_ID, j->id},         {BC_REG_JOB_PUSH, 1u},
    };
    unsigned bad = 0;
    for (unsigned i = 0; i < sizeof w / sizeof w[0]; i++)
        bad += wr(ctx, w[i].off, w[i].val) != 0;
    return bad;
}
