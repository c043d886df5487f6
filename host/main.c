/* bitcycle: energy and latency of Cyclic Precision Training on bit-serial hardware. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* A command whose file is not part of this build links as NULL and says so. */
#pragma weak cmd_estimate
#pragma weak cmd_calibrate
#pragma weak cmd_schedule
#pragma weak cmd_train
#pragma weak cmd_wave
#pragma weak cmd_model
#pragma weak cmd_bench
#pragma weak cmd_sweep
#pragma weak cmd_vp

typedef struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} command_t;

static const command_t commands[] = {
    {"estimate", cmd_estimate, "energy and latency per training epoch against a static baseline"},
    {"calibrate", cmd_calibrate, "run the RTL over a grid and write the estimator's calibration file"},
    {"schedule", cmd_schedule, "print a precision schedule (summary, --csv, --plot)"},
    {"train", cmd_train, "quantized CPT training on real data through the accelerator"},
    {"wave", cmd_wave, "list precision switches in a trace, or render a window of it"},
    {"model", cmd_model, "show a model's layers and GEMM shapes"},
    {"bench", cmd_bench, "micro-benchmarks of the host-side models"},
    {"sweep", cmd_sweep, "design-space sweeps from a sweep file, locally or on Slurm; merge and plots"},
    {"vp", cmd_vp, "run a bare-metal RV32 ELF on the ISS, with or without the accelerator"},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: bitcycle [--help] [--version] CMD [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\n'bitcycle CMD --help' describes one command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return BC_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return BC_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        bc_version_print(stdout);
        return BC_EXIT_OK;
    }
    /* --version anywhere before "--" answers for every command. */
    for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--version")) {
            bc_version_print(stdout);
            return BC_EXIT_OK;
        }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) {
            if (!commands[i].fn) {
                fprintf(stderr, "bitcycle: command '%s' is not part of this build\n", argv[1]);
                return BC_EXIT_FAIL;
            }
            return commands[i].fn(argc - 1, argv + 1);
        }
    const char *names[sizeof commands / sizeof commands[0]];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        names[i] = commands[i].name;
    const char *near = bc_nearest(argv[1], names, sizeof names / sizeof names[0]);
    if (near)
        fprintf(stderr, "bitcycle: unknown command '%s'; did you mean '%s'?\n", argv[1], near);
    else
        fprintf(stderr, "bitcycle: unknown command '%s' (bitcycle --help lists them)\n", argv[1]);
    return BC_EXIT_USAGE;
}
