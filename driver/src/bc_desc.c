/* Descriptor validation (see bc_desc.h). */
#include "bc_desc.h"

#include <stdbool.h>

#include "bc_regs.h"

/* Operand span [addr, addr + (rows-1)*ld + row_bytes) 8-byte aligned and inside the window. */
static bool span_ok(const bc_desc_limits_t *lim, uint32_t addr, uint32_t rows, uint32_t ld, uint64_t row_bytes)
{
    if (addr & 7u)
        return false;
    uint64_t lo = lim->win_base, hi = (uint64_t)lim->win_base + lim->win_size;
    uint64_t end = (uint64_t)addr + (uint64_t)(rows - 1u) * ld + row_bytes;
    return addr >= lo && end <= hi;
}

uint32_t bc_desc_check(const bc_desc_limits_t *lim, const bc_desc_t *d)
{
    if (d->wbits < 1 || d->wbits > lim->max_bits)
        return BC_ERR_BAD_WBITS;
    if (d->abits < 1 || d->abits > lim->max_bits)
        return BC_ERR_BAD_ABITS;
    if (d->m < 1 || d->m > lim->max_m)
        return BC_ERR_BAD_M;
    if (d->n < 1 || d->n > lim->max_n)
        return BC_ERR_BAD_N;
    if (d->k < 1 || d->k > lim->max_k)
        return BC_ERR_BAD_K;
    uint64_t kc = (d->k + 63u) / 64u;
    uint64_t a_row = kc * d->wbits * 8u, b_row = kc * d->abits * 8u, c_row = (d->wb16 ? 2ull : 4ull) * d->n;
    if (!span_ok(lim, d->a_addr, d->m, d->lda, a_row))
        return BC_ERR_BAD_A_ADDR;
    if (!span_ok(lim, d->b_addr, d->n, d->ldb, b_row))
        return BC_ERR_BAD_B_ADDR;
    if (!span_ok(lim, d->c_addr, d->m, d->ldc, c_row))
        return BC_ERR_BAD_C_ADDR;
    if ((d->lda & 7u) || d->lda < a_row)
        return BC_ERR_BAD_LDA;
    if ((d->ldb & 7u) || d->ldb < b_row)
        return BC_ERR_BAD_LDB;
    if ((d->ldc & 7u) || d->ldc < c_row)
        return BC_ERR_BAD_LDC;
    return BC_ERR_NONE;
}
