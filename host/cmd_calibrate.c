/* bitcycle calibrate: run the RTL over a grid of job shapes and precisions,
 * fit the timing model's overhead constants and write the calibration file. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "est/est.h"

#define CMD "calibrate"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: bitcycle calibrate [-o FILE] [--quick] [--if-stale] [--rtl-filelist FILE] [--points FILE]\n\n"
            "Runs bitcycle_top (Verilator, through the simulator library) over a grid of GEMM shapes\n"
            "and precisions, fits the job, block and tile overheads of the timing model to the\n"
            "measured busy cycles by least squares, and writes the calibration file (default\n"
            "build/calib.txt) atomically, stamped with a hash of the RTL sources in rtl/bitcycle.f\n"
            "and the hardware configuration. 'bitcycle estimate' reruns it when that hash changes.\n\n"
            "  -o FILE             calibration file to write\n"
            "  --quick             a smaller grid (about a third of the jobs)\n"
            "  --if-stale          do nothing when FILE matches the current RTL and configuration\n"
            "  --rtl-filelist FILE RTL source list to hash (default rtl/bitcycle.f)\n"
            "  --points FILE       CSV of every grid job: RTL cycles, model cycles before and after the fit\n");
}

int cmd_calibrate(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"quick", no_argument, NULL, 'q'},
                                         {"if-stale", no_argument, NULL, 's'},
                                         {"rtl-filelist", required_argument, NULL, 'f'},
                                         {"points", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *path = "build/calib.txt", *filelist = "rtl/bitcycle.f", *points_path = NULL;
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
        case 'p': points_path = optarg; break;
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
    est_calib_point_t *pts = NULL;
    size_t npts = 0;
    int rc = est_calibrate_rtl(&hw, quick ? 0 : 1, true, &out, &pts, &npts, err, sizeof err);
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
    /* per-job comparison: measured against the analytical defaults and the fit */
    bc_calib_t def;
    bc_calib_default(&def);
    double worst = -1;
    size_t worst_i = 0;
    bc_out_t po;
    bool have_po = false;
    if (points_path) {
        if (!bc_out_open(&po, points_path, err, sizeof err)) {
            free(pts);
            return bc_fail(CMD, "--points: %s", err);
        }
        have_po = true;
        fprintf(po.fp, "m,n,k,wbits,abits,rtl_cycles,model_default_cycles,model_fitted_cycles,fitted_rel_err\n");
    }
    for (size_t i = 0; i < npts; i++) {
        bc_events_t a, b;
        bc_timing_job(&hw, &def, &pts[i].shape, &a);
        bc_timing_job(&hw, &out.cal, &pts[i].shape, &b);
        double meas = (double)pts[i].measured_cycles;
        double rel = meas > 0 ? ((double)b.cycles - meas) / meas : 0;
        if (fabs(rel) > worst) {
            worst = fabs(rel);
            worst_i = i;
        }
        if (have_po)
            fprintf(po.fp, "%u,%u,%u,%u,%u,%llu,%llu,%llu,%.6f\n", pts[i].shape.m, pts[i].shape.n, pts[i].shape.k,
                    pts[i].shape.wbits, pts[i].shape.abits, (unsigned long long)pts[i].measured_cycles,
                    (unsigned long long)a.cycles, (unsigned long long)b.cycles, rel);
    }
    if (have_po && !bc_out_commit(&po, err, sizeof err)) {
        free(pts);
        return bc_fail(CMD, "--points: %s", err);
    }
    if (npts && worst > 0.01) {
        const bc_job_shape_t *w = &pts[worst_i].shape;
        fprintf(stderr,
                "bitcycle calibrate: warning: the timing model does not fit the RTL: worst cycle error %.1f%% "
                "(job %ux%ux%u at %u/%u bits: RTL %llu cycles); see --points FILE\n",
                100 * worst, w->m, w->n, w->k, w->wbits, w->abits, (unsigned long long)pts[worst_i].measured_cycles);
    }
    free(pts);
    if (!est_calib_write(path, &out, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    printf("calibrated on %u RTL jobs in %.1f s: job_overhead %.3f, block_overhead %.3f, tile_overhead %.3f "
           "cycles; worst cycle error %.3f%%\nwrote %s (rtl %s)\n",
           out.points, bc_now_seconds() - t0, out.cal.job_overhead, out.cal.block_overhead, out.cal.tile_overhead,
           100.0 * out.max_rel_err, path, hash);
    return BC_EXIT_OK;
}
