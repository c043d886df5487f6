/* Shared between the ISS's translation units; not part of its API. */
#ifndef RV_INTERNAL_H
#define RV_INTERNAL_H
#include "rv_iss.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ISS copies RAM words with memcpy and needs a little-endian host"
#endif

uint32_t rv_expand_c(uint32_t c);
/* CSR access: 0 ok, -1 illegal (unknown CSR, or a write to a read-only one). */
int rv_csr_read(rv_cpu_t *c, unsigned csr, uint32_t *val);
int rv_csr_write(rv_cpu_t *c, unsigned csr, uint32_t val);
void rv_update_mip(rv_cpu_t *c);

#define MSTATUS_MIE (1u << 3)
#define MSTATUS_MPIE (1u << 7)
#define MSTATUS_MPP (3u << 11)
#endif
