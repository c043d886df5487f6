/* bitcycle calibrate: run the RTL over a grid of job shapes and precisions,
 * fit the timing model's overhead constants and write the calibration file. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "est/est.h"

#define CMD "calibrate"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: bitcycle calibrate [-o FILE] [--quick] [--if-stale] [--rtl-filelist FILE]\n\n"
            "Runs bitcycle_top (Verilator, through the simulator library) over a grid of GEMM shapes\n"
            "and precisions, fits the job, block and tile overheads of the timing model to the\n"
            "measured busy cycles by least squares, and writes the calibration file (default\n"
            "build/calib.txt) atomically, stamped with a hash of the RTL sources in rtl/bitcycle.f\n"
            "and the hardware configuration. 'bitcycle estimate' reruns it when that hash changes.\n\n"
            "  -o FILE             calibration file to write\n"
            "  --quick             a smaller grid (about a third of the jobs)\n"
            "  --if-stale          do nothing when FILE matches the current RTL and configuration\n"
            "  --rtl-filelist FILE RTL source list to hash (default rtl/bitcycle.f)\n");
}

int cmd_calibrate(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"quick", no_argument, NULL, 'q'},
                                         {"if-stale", no_argument, NULL, 's'},
                                         {"rtl-filelist", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *path = "build/calib.txt", *filelist = "rtl/bitcycle.f";
    bool quick = false, if_stale = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': path = optarg; break;
        case 'q': quick = true; break;
        case 's': if_stale = true; break;
        case 'f': filelist = optarg; break;
        case 'h': usage(stdout); return BC_EXIT_OK;
        case ':': return bc_usage_error(CMD, "%s needs a value", argv[optind - 1]);
        default: return bc_usage_error(CMD, "unknown option '%s' (see bitcycle calibrate --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return bc_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    char err[1024], hash[17];
    if (!est_rtl_hash(filelist, hash, err, sizeof err)) {
        if (if_stale) {
            fprintf(stderr, "bitcycle calibrate: %s; estimates will use the analytical defaults\n", err);
            return BC_EXIT_OK;
        }
        return bc_fail(CMD, "%s", err);
    }
    bc_hw_t hw;
    bc_hw_default(&hw);
    char cfg[160];
    est_hw_config_str(&hw, cfg, sizeof cfg);
    if (if_stale) {
        est_calib_file_t f;
        int have = est_calib_read(path, &f, err, sizeof err);
        if (have == 1 && !strcmp(f.rtl_hash, hash) && !strcmp(f.config, cfg)) {
            printf("calibration %s is current (rtl %s, %u jobs, worst cycle error %.2f%%)\n", path, hash, f.points,
                   100.0 * f.max_rel_err);
            return BC_EXIT_OK;
        }
    }
    est_calib_file_t out;
    double t0 = bc_now_seconds();
    int rc = est_calibrate_rtl(&hw, quick ? 0 : 1, true, &out, err, sizeof err);
    if (rc == 0) {
        if (if_stale) {
            fprintf(stderr, "bitcycle calibrate: %s; estimates will use the analytical defaults\n", err);
            return BC_EXIT_OK;
        }
        return bc_fail(CMD, "%s", err);
    }
    if (rc < 0)
        return bc_fail(CMD, "%s", err);
    snprintf(out.rtl_hash, sizeof out.rtl_hash, "%s", hash);
    if (strcmp(out.config, cfg))
        fprintf(stderr, "bitcycle calibrate: note: the RTL reports %s, the timing model defaults are %s\n",
                out.config, cfg);
    if (!est_calib_write(path, &out, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    printf("calibrated on %u RTL jobs in %.1f s: job_overhead %.3f, block_overhead %.3f, tile_overhead %.3f "
           "cycles; worst cycle error %.3f%%\nwrote %s (rtl %s)\n",
           out.points, bc_now_seconds() - t0, out.cal.job_overhead, out.cal.block_overhead, out.cal.tile_overhead,
           100.0 * out.max_rel_err, path, hash);
    return BC_EXIT_OK;
}
