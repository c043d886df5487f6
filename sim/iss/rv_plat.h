/* The ISS's platform devices and memory map (docs/baremetal.md), shared by
 * the standalone runner and the SystemC platform. */
#ifndef RV_PLAT_H
#define RV_PLAT_H
#include "rv_iss.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RV_RAM_BASE 0x80000000u
#define RV_TEST_BASE 0x00100000u  /* sifive_test-compatible exit device (as on QEMU virt) */
#define RV_CLINT_BASE 0x02000000u /* msip +0x0, mtimecmp +0x4000, mtime +0xBFF8 */
#define RV_UART_BASE 0x10000000u  /* 16550 subset: THR +0, LSR +5 */
#define RV_SYS_BASE 0x20000000u   /* bitcycle console/exit device */
#define RV_ACCEL_BASE 0x40000000u /* bitcycle accelerator registers (4 KiB) */
#define RV_ACCEL_SIZE 0x1000u

/* --data: the data set image in RAM (header rv_data_hdr_t, then the arrays). */
#define RV_DATA_BASE 0x81000000u
#define RV_DATA_MAGIC 0x53444342u /* "BCDS" */
typedef struct rv_data_hdr {
    uint32_t magic, version;  /* RV_DATA_MAGIC, 1 */
    uint32_t train_n, test_n, dim, classes;
    uint32_t pixel_scale_bits;  /* float: feature = pixel * pixel_scale */
    uint32_t train_pixels, train_labels, test_pixels, test_labels; /* byte offsets from the header */
    uint32_t total_bytes;
} rv_data_hdr_t;

/* bitcycle console/exit device registers (offsets from RV_SYS_BASE). */
#define RV_SYS_PUTC 0x0  /* w: low byte to the console */
#define RV_SYS_EXIT 0x4  /* w: end the run with this exit code */
#define RV_SYS_FAULT 0x8 /* w: end the run as a CPU exception (the last trap's mcause/mepc/mtval) */
#define RV_SYS_ID 0xC    /* r: RV_SYS_ID_VALUE */
#define RV_SYS_ID_VALUE 0x62637670u /* "bcvp" */

/* The accelerator as the platform sees it (absent in the standalone runner). */
typedef struct rv_accel_port {
    void *ctx;
    int (*read32)(void *ctx, uint32_t off, uint32_t *val);  /* 0 ok, else access fault */
    int (*write32)(void *ctx, uint32_t off, uint32_t val);
} rv_accel_port_t;

typedef struct rv_plat {
    rv_cpu_t cpu;
    uint8_t *ram;
    uint32_t ram_size;
    FILE *console;
    bool owns_ram;
    bool fault;        /* the firmware reported a CPU exception through RV_SYS_FAULT */
    rv_accel_port_t accel;
    rv_elf_info_t elf;
} rv_plat_t;

/* ram_size in bytes (multiple of 4 KiB); allocates the RAM. Returns 0 or -1. */
int rv_plat_init(rv_plat_t *p, uint32_t ram_size, FILE *console, const rv_accel_port_t *accel);
/* ram: use this memory (owned by the caller) instead of allocating. */
void rv_plat_init_ram(rv_plat_t *p, uint8_t *ram, uint32_t ram_size, FILE *console, const rv_accel_port_t *accel);
void rv_plat_free(rv_plat_t *p);
/* Copy a data set image into RAM at RV_DATA_BASE; 0, or -1 when it does not fit. */
int rv_plat_place_data(rv_plat_t *p, const void *image, size_t len);
/* Load the ELF, point the CPU at its entry and the tohost symbol. */
int rv_plat_load(rv_plat_t *p, const char *path, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
