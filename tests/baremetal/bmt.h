/* Bare-metal regression tests: a check counter, the device opened over the
 * mmio HAL, and the memory map of the operand area. Each test is one ELF run
 * by `bitcycle vp run`; it prints its checks and exits 0 when all passed. */
#ifndef BMT_H
#define BMT_H
#include <stdbool.h>
#include <stdint.h>

#include "bc_hal_mmio.h"
#include "bitcycle.h"
#include "bm_platform.h"

/* Operand area: device addresses from 1 MiB (CPU 0x80100000) up. */
#define BMT_BUF 0x00100000u

#define BMT_CHECK(cond) bmt_check((cond), __LINE__, #cond)
#define BMT_EQ(a, b) bmt_check_eq((int64_t)(a), (int64_t)(b), __LINE__, #a " == " #b)

void bmt_check(bool ok, int line, const char *what);
void bmt_check_eq(int64_t got, int64_t want, int line, const char *what);
/* Open the device with the mmio HAL (interrupt wait available). */
void bmt_open(bc_dev_t *dev);
/* Print "NAME: N checks passed, F failed" and return the exit code. */
int bmt_end(const char *name);
#endif
