/* Calibration helper: linked against bitcycle_top Verilated at one hardware
 * configuration (make calib-helper, host/est/calib.mk), it runs the
 * calibration grid on that model, checks that the RTL describes itself as the
 * configuration it was asked for and writes its calibration file. Started by
 * `bitcycle calibrate` and `bitcycle estimate` (est_calib_config), one helper
 * per configuration because the simulator library holds one Verilated model
 * per process. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "est.h"
#include "est_rtl.h"

#define CMD "calib-helper"

static int points_csv(const char *path, const bc_hw_t *hw, const est_calib_file_t *f, const est_calib_point_t *pts,
                      size_t n)
{
    char err[512];
    bc_out_t o;
    if (!bc_out_open(&o, path, err, sizeof err))
        return bc_fail(CMD, "--points: %s", err);
    fprintf(o.fp, "m,n,k,wbits,abits,rtl_cycles,model_fitted_cycles,fitted_rel_err\n");
    for (size_t i = 0; i < n; i++) {
        bc_events_t ev;
        bc_timing_job(hw, &f->cal, &pts[i].shape, &ev);
        double meas = (double)pts[i].measured_cycles;
        fprintf(o.fp, "%u,%u,%u,%u,%u,%llu,%llu,%.6f\n", pts[i].shape.m, pts[i].shape.n, pts[i].shape.k,
                pts[i].shape.wbits, pts[i].shape.abits, (unsigned long long)pts[i].measured_cycles,
                (unsigned long long)ev.cycles, meas > 0 ? ((double)ev.cycles - meas) / meas : 0.0);
    }
    if (!bc_out_commit(&o, err, sizeof err))
        return bc_fail(CMD, "--points: %s", err);
    return BC_EXIT_OK;
}

/* The configuration the RTL reported (est_hw_config_str's format). */
static void hw_of_config(bc_hw_t *hw, const char *cfg)
{
    unsigned dm, dn, dk, abuf, bbuf, queue, axi, lat;
    double bw;
    if (sscanf(cfg, "dm=%u,dn=%u,dk=%u,abuf=%u,bbuf=%u,queue=%u,axi=%u,mem_bw=%lf,mem_lat=%u", &dm, &dn, &dk, &abuf,
               &bbuf, &queue, &axi, &bw, &lat) != 9)
        return;
    hw->dm = dm, hw->dn = dn, hw->dk = dk, hw->abuf_words = abuf, hw->bbuf_words = bbuf, hw->queue_depth = queue;
    hw->bus_bytes = axi / 8, hw->mem_bytes_per_cycle = bw, hw->mem_latency = lat;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"points", required_argument, NULL, 'p'},
                                         {"level", required_argument, NULL, 'l'},
                                         {"rtl-hash", required_argument, NULL, 'r'},
                                         {"expect", required_argument, NULL, 'e'},
                                         {"mem-latency", required_argument, NULL, 'L'},
                                         {"mem-bw", required_argument, NULL, 'B'},
                                         {NULL, 0, NULL, 0}};
    const char *out_path = NULL, *points = NULL, *hash = "", *expect = NULL;
    uint64_t level = 1, lat = 20, bw = 8;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case 'p': points = optarg; break;
        case 'r': hash = optarg; break;
        case 'e': expect = optarg; break;
        case 'l':
            if (!bc_parse_u64(CMD, "--level", optarg, 0, 1, &level))
                return BC_EXIT_USAGE;
            break;
        case 'L':
            if (!bc_parse_u64(CMD, "--mem-latency", optarg, 1, 100000, &lat))
                return BC_EXIT_USAGE;
            break;
        case 'B':
            if (!bc_parse_u64(CMD, "--mem-bw", optarg, 1, 64, &bw))
                return BC_EXIT_USAGE;
            break;
        default: return bc_usage_error(CMD, "bad option '%s' (run by bitcycle calibrate)", argv[optind - 1]);
        }
    }
    if (!out_path || optind < argc)
        return bc_usage_error(CMD, "usage: calib-helper -o FILE [--points FILE] [--level 0|1] [--rtl-hash H] "
                                   "[--expect CONFIG] [--mem-latency N] [--mem-bw N]");
    bc_hw_t hw;
    bc_hw_default(&hw);
    hw.mem_latency = (unsigned)lat;
    hw.mem_bytes_per_cycle = (double)bw;
    est_calib_file_t f;
    est_calib_point_t *pts = NULL;
    size_t npts = 0;
    char err[1024];
    int rc = est_calibrate_rtl(&hw, (unsigned)level, true, &f, &pts, &npts, err, sizeof err);
    if (rc <= 0)
        return bc_fail(CMD, "%s", err);
    if (expect && strcmp(expect, f.config)) {
        free(pts);
        return bc_fail(CMD, "the RTL built here reports %s, not the configuration asked for (%s)", f.config, expect);
    }
    snprintf(f.rtl_hash, sizeof f.rtl_hash, "%.16s", hash);
    hw_of_config(&hw, f.config);
    int prc = points ? points_csv(points, &hw, &f, pts, npts) : BC_EXIT_OK;
    free(pts);
    if (prc != BC_EXIT_OK)
        return prc;
    if (!est_calib_write(out_path, &f, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    printf("calibrated %s on %u RTL jobs: job %.3f block %.3f tile %.3f cycles, worst cycle error %.3f%%\n", f.config,
           f.points, f.cal.job_overhead, f.cal.block_overhead, f.cal.tile_overhead, 100.0 * f.max_rel_err);
    return BC_EXIT_OK;
}
