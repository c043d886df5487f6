/* `vp run`: option parsing and the run loop shared by the bitcycle CLI and
 * the ISS's own test runner. Exit codes are documented in docs/baremetal.md. */
#ifndef RV_CLI_H
#define RV_CLI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    RV_EXIT_USAGE = 2,      /* bad option, unreadable or refused ELF */
    RV_EXIT_RANGE = 120,    /* the firmware's exit code was outside 0..119 */
    RV_EXIT_TIMEOUT = 121,  /* --timeout-cycles reached */
    RV_EXIT_CPU_EXC = 122,  /* an exception with no handler, or reported by the firmware's handler */
    RV_EXIT_ACCEL = 123,    /* the accelerator model stopped (protocol checker, simulation error) */
    RV_EXIT_HANG = 124,     /* wfi that nothing can wake, or a platform stop request */
};

typedef struct rv_run_opts {
    const char *prog;      /* "vp" in the CLI: messages read "bitcycle vp: ..." */
    const char *elf;
    const char *itrace;    /* instruction trace file, or NULL */
    const char *fst;       /* accelerator FST trace (with the accelerator) */
    const char *data;      /* data set name (--data) */
    const void *data_image;/* the data set as placed in RAM at RV_DATA_BASE (rv_plat.h), built by the caller */
    size_t data_len;
    uint64_t timeout_cycles;
    uint32_t ram_bytes;
    bool no_accel;
    bool stats;
} rv_run_opts_t;

/* Runs the ELF on the platform with the accelerator (provided by the SystemC
 * platform when it is linked in). */
typedef int (*rv_accel_runner_t)(const rv_run_opts_t *o);

/* Builds o->data_image for o->data; returns 0, or prints an error and returns RV_EXIT_USAGE. */
typedef int (*rv_data_loader_t)(rv_run_opts_t *o);

/* argv[0] is "run". Returns the process exit code. data_loader may be NULL
 * (then --data is refused). */
int rv_cli_run(const char *prog, int argc, char **argv, rv_accel_runner_t accel_runner,
               rv_data_loader_t data_loader);
/* The standalone run (no accelerator). */
int rv_run_standalone(const rv_run_opts_t *o);
/* Map a finished CPU to the exit code, printing the platform's message. */
struct rv_plat;
int rv_finish(const rv_run_opts_t *o, struct rv_plat *p, double seconds, const char *accel_error);

#ifdef __cplusplus
}
#endif
#endif
