/* Shared test plumbing: push one GEMM descriptor through the JOB_* staging
 * registers with any register-write function (the platform buses, a HAL),
 * bypassing the driver so tests can provoke what the driver would refuse. */
#ifndef TEST_JOB_H
#define TEST_JOB_H
#include <stdbool.h>
#include <stdint.h>

typedef struct test_job_regs {
    uint32_t a_addr, b_addr, c_addr, m, n, k, lda, ldb, ldc, id;
    unsigned wbits, abits;
    bool wsigned, asigned;
    bool wb16;         /* int16 write-back */
    unsigned wb_shift; /* arithmetic right shift before the int16 saturation */
} test_job_regs_t;

/* JOB_PREC for the precision fields, each masked to its register field. */
uint32_t test_job_prec(unsigned wbits, unsigned abits, bool wsigned, bool asigned);
/* Write every staging register of j, then JOB_PUSH = 1. Returns the number
 * of writes that failed (wr returning non-zero). */
unsigned test_job_push(int (*wr)(void *ctx, uint32_t off, uint32_t val), void *ctx, const test_job_regs_t *j);
#endif
