/* bitcycle golden model: the one bit-exact reference for the array's arithmetic,
 * the bit-plane packed layout and the analytical cycle formula of the array core.
 * Freestanding-friendly: no allocation, no stdio; only stdint/stdbool/stddef/string. */
#ifndef BC_GOLDEN_H
#define BC_GOLDEN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Hardware accumulator width (bits). Sums are exact modulo 2^ACC_W; for
 * K <= 2048 and 16-bit operands the exact sum always fits (|sum| <= 2^41). */
#define BC_GOLDEN_ACC_W 48u
#define BC_GOLDEN_MAX_BITS 16u

/* Fixed latency of the array core harness (bc_core_top) for one job in
 * isolation, measured on the RTL and documented in docs/architecture.md:
 * cycles from the job handshake to the job-done pulse, minus the pass cycles.
 * BC_GOLDEN_CORE_FILL: job accepted -> first bit-plane pass issued.
 * BC_GOLDEN_CORE_DRAIN: last pass issued -> job-done pulse. */
#define BC_GOLDEN_CORE_FILL 2u
#define BC_GOLDEN_CORE_DRAIN 4u

/* Saturate v to int32; sets *overflow (if non-NULL) to true when clamped, never clears it. */
int32_t bc_golden_sat32(int64_t v, bool *overflow);

/* int16 write-back of one int32 result: arithmetic right shift by `shift` (0..31),
 * then saturation to int16; sets *overflow (if non-NULL) when clamped, never clears it. */
int16_t bc_golden_wb16(int32_t v, unsigned shift, bool *overflow);

/* The int16 write-back of an M x N int32 result c (row stride ldc_elems) into
 * out (row stride ldo_elems). Returns true when any element saturated. */
bool bc_golden_wb16_matrix(const int32_t *c, size_t ldc_elems, int16_t *out, size_t ldo_elems,
                           unsigned m, unsigned n, unsigned shift);

/* Interpret the low `bits` (1..32) bits of raw as unsigned or two's complement. */
int64_t bc_golden_value(uint32_t raw, unsigned bits, bool is_signed);

/* Wrap v to the ACC_W-bit two's-complement accumulator (sign-extended). */
int64_t bc_golden_acc_wrap(int64_t v);

/* C = A * B with the hardware semantics: only the low wbits/abits bits of each
 * element count; exact sum wrapped to ACC_W bits, then saturated to int32.
 * a is M x K (row stride lda_elems), b is K x N (row stride ldb_elems), c is M x N.
 * Returns the sticky overflow flag (true when any output saturated).
 * wbits/abits must be 1..16; otherwise c is left untouched and false is returned. */
bool bc_golden_gemm(const int32_t *a, size_t lda_elems, const int32_t *b, size_t ldb_elems,
                    int32_t *c, size_t ldc_elems, unsigned m, unsigned n, unsigned k,
                    unsigned wbits, unsigned abits, bool wsigned, bool asigned);

/* Same result computed the way the hardware does: per 64-bit chunk and plane
 * pair, popcount(Aplane_i & Bplane_j & kmask) << (i+j), negated for exactly one
 * sign plane. Used by the tests as an independent cross-check of bc_golden_gemm. */
bool bc_golden_gemm_bitplane(const int32_t *a, size_t lda_elems, const int32_t *b, size_t ldb_elems,
                             int32_t *c, size_t ldc_elems, unsigned m, unsigned n, unsigned k,
                             unsigned wbits, unsigned abits, bool wsigned, bool asigned);

/* Number of 64-bit chunks for K columns: ceil(K/64). */
unsigned bc_golden_kchunks(unsigned k);

/* Pack rows x k elements (element (r,kk) = x[r*ldx_elems + kk*col_stride_elems])
 * into bit planes: out[r*ld_words + kc*bits + plane], bit t = bit `plane` of
 * element (r, kc*64+t); bits at or beyond k are 0. Pack B with ldx=1, col_stride=N. */
void bc_golden_pack(const int32_t *x, size_t ldx_elems, size_t col_stride_elems,
                    unsigned rows, unsigned k, unsigned bits, uint64_t *out, size_t ld_words);

/* Inverse of bc_golden_pack: x[r*ldx_elems + kk] = value of element (r, kk),
 * sign-extended when is_signed. */
void bc_golden_unpack(const uint64_t *in, size_t ld_words, unsigned rows, unsigned k,
                      unsigned bits, bool is_signed, int32_t *x, size_t ldx_elems);

/* Bit-plane passes of one output tile: ceil(k/dk) * wbits * abits. */
uint64_t bc_golden_tile_passes(unsigned k, unsigned wbits, unsigned abits, unsigned dk);

/* Cycles of one job on the array core with operands preloaded in the buffers and
 * the result consumer always ready, mirroring the sequencer's loop nest:
 * FILL + ceil(m/dm)*ceil(n/dn) * ceil(k/dk)*wbits*abits + DRAIN.
 * Back-to-back jobs overlap: a stream of jobs takes FILL + sum(passes) + DRAIN. */
uint64_t bc_golden_core_cycles(unsigned m, unsigned n, unsigned k, unsigned wbits, unsigned abits,
                               unsigned dm, unsigned dn, unsigned dk);

/* Pass cycles only (no fill/drain): the ideal compute cycles of a job. */
uint64_t bc_golden_core_passes(unsigned m, unsigned n, unsigned k, unsigned wbits, unsigned abits,
                               unsigned dm, unsigned dn, unsigned dk);

#ifdef __cplusplus
}
#endif
#endif
