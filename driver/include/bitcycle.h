/* bitcycle driver: one C API for the bit-serial GEMM accelerator.
 *
 * The driver runs unchanged on bare metal (mmio), on the functional model
 * (fsim), on the Verilator RTL (sim) and on the SystemC virtual platform
 * (vp); the backend is chosen by the bc_hal_t passed to bc_open (bc_hal.h).
 *
 * Rules: no malloc, no global mutable state (all state is in the caller's
 * bc_dev_t or in arguments), freestanding (<stdint.h>, <stddef.h>,
 * <stdbool.h> only; the quantizer, bc_quant.h, uses float arithmetic but no libm).
 *
 * Typical use (complete program: driver/examples/gemm_example.c):
 *   bc_dev_t dev;  bc_open(&dev, &hal);
 *   pack A and B with bc_pack, copy them with bc_mem_write;
 *   bc_gemm_t g;   bc_gemm_init(&dev, &g);  fill addresses and sizes;
 *   bc_gemm_submit(&dev, &g);  bc_wait(&dev, timeout_ns);
 *   bc_mem_read the int32 result.
 *
 * Every function returning bc_status_t returns BC_OK (0) or a code that
 * names the failing field or condition; bc_strerror() describes it.
 */
#ifndef BITCYCLE_H
#define BITCYCLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bc_hal.h"
#include "bc_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Status codes                                                        */
/* ------------------------------------------------------------------ */

/* Codes 1..16 equal the hardware ERR_CODE values (docs/contracts.md), so a
 * descriptor rejected by the driver and one rejected by the RTL name the
 * same field with the same number. Codes >= 32 are driver-only. */
typedef enum bc_status {
    BC_OK = 0,
    BC_E_WBITS = 1,        /* wbits outside 1..MAX_BITS */
    BC_E_ABITS = 2,        /* abits outside 1..MAX_BITS */
    BC_E_M = 3,            /* M outside 1..MAX_M */
    BC_E_N = 4,            /* N outside 1..MAX_N */
    BC_E_K = 5,            /* K outside 1..MAX_K */
    BC_E_A_ADDR = 6,       /* A address misaligned, or A extends outside the DMA window */
    BC_E_B_ADDR = 7,       /* B address misaligned, or B extends outside the DMA window */
    BC_E_C_ADDR = 8,       /* C address misaligned, or C extends outside the DMA window */
    BC_E_LDA = 9,          /* lda not a multiple of 8 or < ceil(K/64)*wbits*8 */
    BC_E_LDB = 10,         /* ldb not a multiple of 8 or < ceil(K/64)*abits*8 */
    BC_E_LDC = 11,         /* ldc not a multiple of 8 or < 4*N */
    BC_E_BUS_READ = 12,    /* hardware: memory read error response, job aborted */
    BC_E_BUS_WRITE = 13,   /* hardware: memory write error response, job aborted */
    BC_E_QUEUE_FULL = 14,  /* command queue full (driver refuses; hardware: QUEUE_OVERFLOW) */
    BC_E_REG_READONLY = 15,/* hardware: write to a read-only register */
    BC_E_REG_BUSY = 16,    /* hardware: register write refused while busy */

    BC_E_NULL = 32,        /* a required pointer argument is NULL */
    BC_E_HAL,              /* HAL incomplete or a HAL call failed (bus error, SLVERR) */
    BC_E_ID,               /* ID register does not read the bitcycle ID */
    BC_E_VERSION,          /* unsupported hardware major version */
    BC_E_CFG,              /* configuration registers inconsistent (e.g. DK != 64) */
    BC_E_TIMEOUT,          /* bc_wait: jobs still running when the timeout expired */
    BC_E_HW,               /* hardware reported an error: see bc_hw_error() */
    BC_E_ARG,              /* another argument out of range (named in the docs of the call) */
    BC_E_RANGE,            /* address range wraps or exceeds the device address space */
    BC_E_ALIGN,            /* memory access not aligned as required */
    BC_E_HAZARD,           /* a job's C region overlaps its own A or B region */
    BC_E_CLOSED            /* the device is not open (bc_open not called, or it failed) */
} bc_status_t;

/* Human-readable text for a status, never NULL ("unknown status" otherwise). */
const char *bc_strerror(bc_status_t st);
/* Short identifier, e.g. "BC_E_WBITS". */
const char *bc_status_name(bc_status_t st);

/* ------------------------------------------------------------------ */
/* Hardware error codes (ERR_CODE register)                            */
/* ------------------------------------------------------------------ */
/* BC_HWERR_<NAME> = code for every error of the register description. */
#define BC_HWERR_ENUM_(name, code, text) BC_HWERR_##name = code,
typedef enum bc_hw_err_code {
    BC_ERRORS(BC_HWERR_ENUM_)
    BC_HWERR_COUNT = BC_ERR_COUNT
} bc_hw_err_code_t;
#undef BC_HWERR_ENUM_

/* A decoded hardware error. */
typedef struct bc_hw_error {
    uint32_t code;      /* raw ERR_CODE value */
    bc_status_t status; /* the bc_status_t naming the field; BC_E_HW for unknown codes */
    const char *name;   /* "BAD_WBITS", ...; "UNKNOWN" for codes the driver does not know */
} bc_hw_error_t;

/* Decode a raw ERR_CODE value (pure function, no hardware access). */
void bc_hw_error_decode(uint32_t code, bc_hw_error_t *out);

/* ------------------------------------------------------------------ */
/* Device                                                              */
/* ------------------------------------------------------------------ */

/* The hardware's self-description, read by bc_open from ID/VERSION/CFG. */
typedef struct bc_hwcfg {
    uint32_t id;          /* ID register (bitcycle magic) */
    uint32_t version;     /* VERSION register: major << 16 | minor */
    unsigned dm, dn, dk;  /* array rows, columns, bits per AND/popcount */
    unsigned max_bits;    /* largest wbits/abits */
    unsigned max_m, max_n, max_k;
    unsigned abuf_words, bbuf_words; /* buffer depth per bank */
    unsigned queue_depth; /* command queue entries */
    unsigned acc_w;       /* accumulator width */
    uint32_t win_base;    /* DMA window: every operand byte must lie in */
    uint32_t win_size;    /*   [win_base, win_base + win_size) */
    unsigned axi_bits;    /* AXI4 memory data width (CFG_BUS): 64, 128, 256 or 512 */
} bc_hwcfg_t;

typedef enum bc_wait_mode {
    BC_WAIT_POLL = 0, /* poll STATUS (default) */
    BC_WAIT_IRQ = 1   /* sleep in hal.wait_irq between checks */
} bc_wait_mode_t;

/* Default precision used by bc_gemm_init. */
typedef struct bc_precision {
    unsigned wbits, abits; /* 1..max_bits */
    bool wsigned, asigned; /* two's complement when true */
} bc_precision_t;

/* Device handle: caller-allocated, all driver state lives here. Treat the
 * fields as read-only except through the functions below. */
/* C regions of the jobs submitted since the last completed bc_wait: a later
 * job that reads one of them is a read-after-write hazard (see bc_gemm_submit). */
#define BC_INFLIGHT_MAX 16u
typedef struct bc_region {
    uint64_t lo, hi; /* [lo, hi) device bytes */
} bc_region_t;

typedef struct bc_dev {
    bc_hal_t hal;
    bc_hwcfg_t cfg;
    bc_precision_t prec;     /* set by bc_set_precision, used by bc_gemm_init */
    bc_wait_mode_t wait_mode;
    bc_hw_error_t hw_err;    /* last hardware error seen by bc_wait/bc_check */
    uint32_t last_job_id;    /* LAST_JOB_ID at the end of the last bc_wait */
    bc_region_t inflight[BC_INFLIGHT_MAX]; /* C regions of queued jobs */
    unsigned n_inflight;     /* BC_INFLIGHT_MAX + 1: more were queued than tracked */
    uint64_t hazard_wait_ns; /* how long bc_gemm_submit waits for a hazard to clear */
    unsigned hazard_waits;   /* submissions that waited for an earlier job's C */
    bool open;
} bc_dev_t;

/* Read ID, VERSION and the configuration registers, clear any sticky error,
 * and initialise `dev`. Refuses an unknown ID (BC_E_ID) or major version
 * (BC_E_VERSION) and inconsistent configuration (BC_E_CFG). Default
 * precision after open: 8/8 signed, wait mode BC_WAIT_POLL. */
bc_status_t bc_open(bc_dev_t *dev, const bc_hal_t *hal);

/* Choose polling or interrupt waiting; BC_E_HAL if IRQ asked without wait_irq. */
bc_status_t bc_set_wait_mode(bc_dev_t *dev, bc_wait_mode_t mode);

/* Validate a precision against the hardware's MAX_BITS
 * (BC_E_WBITS / BC_E_ABITS). */
bc_status_t bc_precision_check(const bc_dev_t *dev, const bc_precision_t *p);
/* Validate and make `p` the default for bc_gemm_init. */
bc_status_t bc_set_precision(bc_dev_t *dev, const bc_precision_t *p);

/* Raw register access through the HAL (BC_E_HAL on a bus error). */
bc_status_t bc_reg_read(bc_dev_t *dev, uint32_t off, uint32_t *val);
bc_status_t bc_reg_write(bc_dev_t *dev, uint32_t off, uint32_t val);

/* Device-visible memory access through the HAL. */
bc_status_t bc_mem_write(bc_dev_t *dev, uint64_t addr, const void *src, size_t len);
bc_status_t bc_mem_read(bc_dev_t *dev, uint64_t addr, void *dst, size_t len);

/* ------------------------------------------------------------------ */
/* GEMM jobs                                                           */
/* ------------------------------------------------------------------ */

/* C (m x n, int32 or int16) = A (m x k, wbits) * B (k x n, abits).
 * A and B are bit-plane packed (bc_pack; layout in docs/contracts.md):
 * A as its m rows, B as the n rows of its transpose. Strides in bytes. */
typedef struct bc_gemm {
    uint32_t a_addr, b_addr, c_addr; /* device byte addresses, 8-byte aligned, inside the DMA window */
    uint32_t m, n, k;
    uint32_t lda, ldb, ldc;          /* bytes: lda >= ceil(k/64)*wbits*8, ldc >= 4n (2n for int16), all % 8 == 0 */
    unsigned wbits, abits;           /* 1..max_bits */
    bool wsigned, asigned;
    uint32_t job_id;                 /* returned in LAST_JOB_ID when the job finishes */
    unsigned wb_bits;                /* C elements: 0 or 32 = int32 (exact, default); 16 = int16 */
    unsigned wb_shift;               /* int16 only: C = sat16(int32 result >> wb_shift), 0..31;
                                        a saturation sets the sticky overflow flag */
} bc_gemm_t;

/* Zero `g`, set precision from the device default and packed-minimum
 * strides for the sizes you set later (call bc_gemm_default_strides). */
void bc_gemm_init(const bc_dev_t *dev, bc_gemm_t *g);
/* Set lda/ldb/ldc to their minimum legal values for g's m, n, k, bits. */
void bc_gemm_default_strides(bc_gemm_t *g);

/* Check every field against the hardware limits in dev->cfg, in the
 * hardware's order (wbits, abits, m, n, k, a_addr, b_addr, c_addr, lda, ldb,
 * ldc), then wb_bits/wb_shift (BC_E_ARG); the first failing field's code is
 * returned. Touches no hardware. */
bc_status_t bc_gemm_validate(const bc_dev_t *dev, const bc_gemm_t *g);

/* Validate, then enqueue without waiting. BC_E_QUEUE_FULL (nothing
 * written) when the hardware queue has no free entry.
 * Hazards between jobs behave the same on every backend because the driver
 * handles them: a job whose C region overlaps its own A or B region is
 * refused (BC_E_HAZARD); a job whose A or B region overlaps the C region of
 * a job submitted since the last completed bc_wait first waits (bc_wait, at
 * most dev->hazard_wait_ns) until that job has written its result, so it
 * reads the new C. C regions may overlap each other: results land in job
 * order. (The hardware prefetches operands of queued jobs; without this
 * rule a dependent job would read memory from before its producer.) */
bc_status_t bc_gemm_submit(bc_dev_t *dev, const bc_gemm_t *g);

/* Enqueue WITHOUT driver validation, so tests can exercise the hardware's
 * own validator. Still refuses on a full queue. */
bc_status_t bc_gemm_submit_unchecked(bc_dev_t *dev, const bc_gemm_t *g);

/* Number of free command queue entries (reads STATUS). */
bc_status_t bc_queue_free(bc_dev_t *dev, unsigned *free_entries);

/* Wait until every submitted job finished (queue empty, engine idle), by
 * polling or interrupt (dev->wait_mode), for at most `timeout_ns` of device
 * time. Returns BC_OK, BC_E_TIMEOUT, or BC_E_HW when ERR_CODE is set; then
 * dev->hw_err holds the decoded error (see bc_hw_error) and the error stays
 * sticky until bc_error_clear. Acknowledges the DONE/ERR interrupts. */
bc_status_t bc_wait(bc_dev_t *dev, uint64_t timeout_ns);

/* Read ERR_CODE now and decode it into *err (and dev->hw_err). Returns
 * BC_OK when no error is recorded, BC_E_HW otherwise. */
bc_status_t bc_hw_error(bc_dev_t *dev, bc_hw_error_t *err);
/* Clear the sticky hardware error (CTRL.ERR_CLEAR). */
bc_status_t bc_error_clear(bc_dev_t *dev);

/* Submit one job and wait for it: convenience for bc_gemm_submit + bc_wait. */
bc_status_t bc_gemm_run(bc_dev_t *dev, const bc_gemm_t *g, uint64_t timeout_ns);

/* ------------------------------------------------------------------ */
/* Performance counters                                                */
/* ------------------------------------------------------------------ */

/* The CNT_* registers: 64-bit, counted since reset or the last clear. One
 * field per counter of the register description (BC_COUNTERS in the
 * generated bc_regs.h: name, LO offset, unit, description), in register
 * order; the timing model's bc_events_t has the same fields. */
#define BC_COUNTER_FIELD_(name, off, unit, desc) uint64_t name;
typedef struct bc_counters {
    BC_COUNTERS(BC_COUNTER_FIELD_)
} bc_counters_t;
#undef BC_COUNTER_FIELD_

/* Name table: name, unit, one-line definition, offset in bc_counters_t,
 * LO register offset. */
typedef struct bc_counter_info {
    const char *name;
    const char *unit;
    const char *desc;
    size_t offset;
    uint32_t reg_offset;
} bc_counter_info_t;

/* Entry i (0..BC_NUM_COUNTERS-1) of the constant table, NULL beyond. */
const bc_counter_info_t *bc_counter_info(unsigned i);
/* Value of counter i in c (0 beyond the table). */
uint64_t bc_counter_get(const bc_counters_t *c, unsigned i);

/* Read every counter (each 64-bit value read consistently). */
bc_status_t bc_counters_read(bc_dev_t *dev, bc_counters_t *out);
/* Latch all counters at one instant (hardware snapshot), then read them. */
bc_status_t bc_counters_snapshot(bc_dev_t *dev, bc_counters_t *out);
/* Zero every counter in hardware. */
bc_status_t bc_counters_clear(bc_dev_t *dev);
/* out = later - earlier, field by field. */
void bc_counters_diff(const bc_counters_t *later, const bc_counters_t *earlier, bc_counters_t *out);

/* ------------------------------------------------------------------ */
/* Bit-plane packing (layout: docs/contracts.md)                       */
/* ------------------------------------------------------------------ */

/* Bytes of one packed row of k elements at `bits`: ceil(k/64)*bits*8. */
size_t bc_packed_row_bytes(unsigned k, unsigned bits);

/* Pack `rows` x `k` elements at `bits` (1..16) into bit planes, word at a
 * time. Element (r, kk) is x[r*ldx + kk*col_stride] (pack B, K x N
 * row-major, with ldx = 1 and col_stride = N). Only the low `bits` bits of
 * each element are used (two's complement for signed values). `out` has
 * rows * ld_words words; padding bits and words beyond the packed row are
 * zeroed. Returns BC_E_ARG for bits outside 1..16 or ld_words too small. */
bc_status_t bc_pack(const int32_t *x, size_t ldx, size_t col_stride, unsigned rows,
                    unsigned k, unsigned bits, uint64_t *out, size_t ld_words);

/* Inverse of bc_pack: element (r, kk) to x[r*ldx + kk], sign-extended from
 * `bits` when is_signed. */
bc_status_t bc_unpack(const uint64_t *in, size_t ld_words, unsigned rows, unsigned k,
                      unsigned bits, bool is_signed, int32_t *x, size_t ldx);

/* True when v is representable at `bits` (signed or unsigned). */
bool bc_fits(int32_t v, unsigned bits, bool is_signed);

/* ------------------------------------------------------------------ */
/* Quantization: min/max linear, the CPT reference grid (bc_quant.h)   */
/* ------------------------------------------------------------------ */
#include "bc_quant.h"

#ifdef __cplusplus
}
#endif
#endif
