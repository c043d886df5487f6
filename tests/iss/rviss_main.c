/* The ISS's standalone runner for its tests: `rviss run FILE.elf ...`, the
 * same options and exit codes as `bitcycle vp run --no-accel`. */
#include <stdio.h>
#include <string.h>

#include "rv_cli.h"

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "run")) {
        fprintf(stderr, "usage: rviss run FILE.elf [options] (see --help)\n");
        return RV_EXIT_USAGE;
    }
    return rv_cli_run("rviss", argc - 1, argv + 1, NULL, NULL);
}
