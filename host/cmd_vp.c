/* bitcycle vp: run a bare-metal RV32 ELF on the instruction-set simulator,
 * alone (--no-accel) or inside the SystemC platform with the accelerator. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rv_cli.h"
#include "bc_vp_elf.h"

/* The SystemC platform's ELF runner links in when the VP library is part of the build. */
#pragma weak bc_vp_elf_run

static void usage(FILE *fp)
{
    fprintf(fp, "usage: bitcycle vp run FILE.elf [--no-accel] [--timeout-cycles N] [--itrace FILE]\n"
                "                       [--data digits|fashion-mnist] [--trace FILE.fst] [--stats]\n\n"
                "'bitcycle vp run --help' lists the options and exit codes (docs/baremetal.md).\n");
}

int cmd_vp(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? BC_EXIT_USAGE : BC_EXIT_OK;
    }
    if (strcmp(argv[1], "run"))
        return bc_usage_error("vp", "unknown subcommand '%s' (expected run)", argv[1]);
    return rv_cli_run("vp", argc - 1, argv + 1, bc_vp_elf_run);
}
