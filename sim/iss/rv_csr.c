/* Machine-mode CSRs of the ISS. Only machine mode exists, so mstatus.MPP
 * reads 3 and the S/U-mode CSRs are illegal. */
#include "rv_internal.h"

#define MISA_RV32IMAC ((1u << 30) | (1u << 0) | (1u << 2) | (1u << 8) | (1u << 12))
#define MIE_MASK ((1u << RV_IRQ_MSI) | (1u << RV_IRQ_MTI) | (1u << RV_IRQ_MEI))

uint64_t rv_mtime(const rv_cpu_t *c)
{
    return c->cycle / c->time_div;
}

void rv_update_mip(rv_cpu_t *c)
{
    if (rv_mtime(c) >= c->mtimecmp)
        c->mip |= 1u << RV_IRQ_MTI;
    else
        c->mip &= ~(1u << RV_IRQ_MTI);
}

int rv_csr_read(rv_cpu_t *c, unsigned csr, uint32_t *val)
{
    switch (csr) {
    case 0x300: *val = (c->mstatus & (MSTATUS_MIE | MSTATUS_MPIE)) | MSTATUS_MPP; return 0;
    case 0x301: *val = MISA_RV32IMAC; return 0;
    case 0x304: *val = c->mie; return 0;
    case 0x305: *val = c->mtvec; return 0;
    case 0x310: *val = 0; return 0; /* mstatush: little-endian, no fields */
    case 0x340: *val = c->mscratch; return 0;
    case 0x341: *val = c->mepc; return 0;
    case 0x342: *val = c->mcause; return 0;
    case 0x343: *val = c->mtval; return 0;
    case 0x344: rv_update_mip(c); *val = c->mip; return 0;
    case 0xB00: case 0xC00: *val = (uint32_t)(c->cycle + c->cycle_off); return 0;
    case 0xB80: case 0xC80: *val = (uint32_t)((c->cycle + c->cycle_off) >> 32); return 0;
    case 0xB02: case 0xC02: *val = (uint32_t)c->instret; return 0;
    case 0xB82: case 0xC82: *val = (uint32_t)(c->instret >> 32); return 0;
    case 0xC01: *val = (uint32_t)rv_mtime(c); return 0;
    case 0xC81: *val = (uint32_t)(rv_mtime(c) >> 32); return 0;
    case 0xF11: case 0xF12: case 0xF13: case 0xF14: *val = 0; return 0; /* vendor, arch, impl, hart 0 */
    default: return -1;
    }
}

int rv_csr_write(rv_cpu_t *c, unsigned csr, uint32_t val)
{
    if ((csr >> 10) == 3)
        return -1; /* read-only range (0xC00-0xFFF) */
    switch (csr) {
    case 0x300: c->mstatus = val & (MSTATUS_MIE | MSTATUS_MPIE); break;
    case 0x301: case 0x310: break; /* misa, mstatush: WARL, fixed */
    case 0x304: c->mie = val & MIE_MASK; break;
    case 0x305: c->mtvec = val & ~2u; break; /* modes 0 (direct) and 1 (vectored) */
    case 0x340: c->mscratch = val; break;
    case 0x341: c->mepc = val & ~1u; break;
    case 0x342: c->mcause = val; break;
    case 0x343: c->mtval = val; break;
    case 0x344: break; /* MEIP/MTIP/MSIP are set by the platform */
    case 0xB00: case 0xB80: { /* mcycle is an offset over the cycle count that drives mtime */
        uint64_t m = c->cycle + c->cycle_off;
        m = csr == 0xB00 ? (m & 0xFFFFFFFF00000000ull) | val : (m & 0xFFFFFFFFull) | (uint64_t)val << 32;
        c->cycle_off = m - c->cycle;
        break;
    }
    case 0xB02: c->instret = (c->instret & 0xFFFFFFFF00000000ull) | val; break;
    case 0xB82: c->instret = (c->instret & 0xFFFFFFFFull) | (uint64_t)val << 32; break;
    default: return -1;
    }
    c->stop_at = c->cycle; /* interrupt enables or time may have changed */
    return 0;
}
