/* Shared pieces of the platform tests: a register/memory "bus" that both the
 * C-ABI harness and the virtual platform implement, check macros, and GEMM job
 * helpers built on the golden model. */
#ifndef PLAT_H
#define PLAT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct plat_bus {
    void *ctx;
    const char *name;
    int (*rd)(void *ctx, uint32_t addr, uint32_t *val);       /* 0 ok, -1 SLVERR, -2 stopped */
    int (*wr)(void *ctx, uint32_t addr, uint32_t val);
    int (*mem_rd)(void *ctx, uint64_t addr, void *dst, size_t len);
    int (*mem_wr)(void *ctx, uint64_t addr, const void *src, size_t len);
    int (*wait_irq)(void *ctx, uint64_t timeout_cycles);     /* 0 irq, 1 timeout, -1 error */
    uint64_t (*cycles)(void *ctx);
} plat_bus_t;

/* The buses: the C-ABI harness (plat_bus.c) and the virtual platform
 * (plat_bus_vp.c, whose clock converts timeouts in cycles to ns). */
struct bc_sim;
struct bc_vp;
#define PLAT_VP_CLOCK_HZ 200e6
plat_bus_t plat_bus_sim(struct bc_sim *s);
plat_bus_t plat_bus_vp(struct bc_vp *vp);

extern unsigned plat_pass, plat_fail;
extern const char *plat_test;
/* AXI data width of the device under test (CFG_BUS); the generated default unless set. */
extern unsigned plat_axi_bits;

#define CHECK(cond, ...)                                                                  \
    do {                                                                                  \
        if (cond) {                                                                       \
            plat_pass++;                                                                  \
        } else {                                                                          \
            plat_fail++;                                                                  \
            fprintf(stderr, "FAIL %s (%s:%d): ", plat_test, __FILE__, __LINE__);          \
            fprintf(stderr, __VA_ARGS__);                                                 \
            fputc('\n', stderr);                                                          \
        }                                                                                 \
    } while (0)

/* Register helpers that record a failure on a bus error. */
uint32_t plat_rd(const plat_bus_t *b, uint32_t addr);
void plat_wr(const plat_bus_t *b, uint32_t addr, uint32_t val);
uint64_t plat_rd64(const plat_bus_t *b, uint32_t lo_addr);

/* Register-level test program (runs unchanged on both harnesses). Returns a
 * digest of everything it read so the two harnesses can be compared. */
uint64_t plat_register_suite(const plat_bus_t *b);

/* One GEMM job in memory. */
typedef struct plat_job {
    unsigned m, n, k, wbits, abits;
    bool wsigned, asigned;
    uint32_t a_addr, b_addr, c_addr, lda, ldb, ldc, id;
    int32_t *a, *bm, *c_ref; /* host copies: A (m x k), B (k x n), golden C (m x n) */
    bool overflow;
    bool wb16;               /* C written as int16: sat16(c_ref >> wb_shift) */
    unsigned wb_shift;
} plat_job_t;

/* Random operands (full range of the bit width), packed into memory at *next
 * (advanced, 64-byte aligned); pad_words adds stride padding. */
void plat_job_make(const plat_bus_t *b, plat_job_t *j, unsigned m, unsigned n, unsigned k,
                   unsigned wbits, unsigned abits, bool wsigned, bool asigned, uint32_t *next,
                   unsigned pad_words, uint64_t *rng);
void plat_job_push(const plat_bus_t *b, const plat_job_t *j);
/* Switch a made job to int16 write-back with the given shift (updates the
 * expected overflow flag from the golden model). */
void plat_job_set_wb16(plat_job_t *j, unsigned shift);
/* Reads C back and compares with the golden result; returns mismatches. */
unsigned plat_job_check(const plat_bus_t *b, const plat_job_t *j);
void plat_job_free(plat_job_t *j);

uint64_t plat_rand(uint64_t *s);
unsigned plat_urand(uint64_t *s, unsigned lo, unsigned hi); /* inclusive */

#endif
