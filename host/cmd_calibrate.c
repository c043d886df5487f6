/* bitcycle calibrate: run the RTL over a grid of job shapes and precisions,
 * fit the timing model's overhead constants and write the calibration file. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "est/est.h"
#include "est/est_rtl.h"

#define CMD "calibrate"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: bitcycle calibrate [-o FILE] [--quick] [--if-stale] [--force] [--rtl-filelist FILE] [--points FILE]\n"
            "                          [--dm N] [--dn N] [--abuf-words N] [--bbuf-words N] [--queue-depth N]\n"
            "                          [--axi-width BITS] [--mem-latency N] [--mem-bw N]\n\n"
            "Runs bitcycle_top (Verilator, through the simulator library) over a grid of GEMM shapes\n"
            "and precisions, fits the job, block and tile overheads of the timing model to the\n"
            "measured busy cycles by least squares, and writes the calibration file stamped with a\n"
            "hash of the RTL sources in rtl/bitcycle.f, the timing model's version and the hardware\n"
            "configuration. 'bitcycle estimate' reruns it when that hash changes.\n\n"
            "The default configuration runs in this process and writes FILE (default\n"
            "build/calib.txt). Any other configuration is Verilated at those parameters into a\n"
            "cache directory (build/calib-cache/<key>, or $BITCYCLE_CALIB_CACHE/<key>; build log\n"
            "there) and calibrated by a helper linked against it; 'bitcycle estimate' with the\n"
            "same hardware options uses that calibration.\n\n"
            "  -o FILE             calibration file to write (also copied there for other configurations)\n"
            "  --quick             a smaller grid (about a quarter of the jobs)\n"
            "  --if-stale          do nothing when the calibration matches the current RTL and configuration\n"
            "  --force             rerun the grid even when the cached calibration is current\n"
            "  --rtl-filelist FILE RTL source list to hash (default rtl/bitcycle.f)\n"
            "  --points FILE       CSV of every grid job: RTL cycles, model cycles after the fit\n"
            "  --dm N --dn N       array rows and columns (8, 8)\n"
            "  --abuf-words N --bbuf-words N   buffer words per bank, powers of two (1024, 2048)\n"
            "  --queue-depth N     command queue entries (4)\n"
            "  --axi-width BITS    AXI data width: 64 (default), 128, 256, 512\n"
            "  --mem-latency N     simulated memory latency in cycles (20)\n"
            "  --mem-bw N          simulated memory bytes per cycle (default: one bus beat, 8 at 64 bits)\n");
}

enum { O_DM = 256, O_DN, O_ABUF, O_BBUF, O_QUEUE, O_AXI, O_MEMLAT, O_MEMBW, O_FORCE };

/* A hardware option; false (usage error printed) when out of range. */
/* --mem-bw given explicitly: a later --axi-width keeps it (one run per process) */
static bool membw_given;

static bool hw_option(int c, const char *arg, bc_hw_t *hw)
{
    static const struct { int code; const char *name; uint64_t lo, hi; } lim[] = {
        {O_DM, "--dm", 1, 4096}, {O_DN, "--dn", 1, 4096}, {O_ABUF, "--abuf-words", 1, 1u << 24},
        {O_BBUF, "--bbuf-words", 1, 1u << 24}, {O_QUEUE, "--queue-depth", 1, 4096},
        {O_AXI, "--axi-width", 8, 4096}, {O_MEMLAT, "--mem-latency", 1, 100000}, {O_MEMBW, "--mem-bw", 1, 512}};
    for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
        if (lim[i].code != c)
            continue;
        uint64_t u;
        if (!bc_parse_u64(CMD, lim[i].name, arg, lim[i].lo, lim[i].hi, &u))
            return false;
        if (c == O_AXI && u % 8) {
            bc_usage_error(CMD, "--axi-width %s: a whole number of bytes", arg);
            return false;
        }
        unsigned v = (unsigned)u;
        switch (c) {
        case O_DM: hw->dm = v; break;
        case O_DN: hw->dn = v; break;
        case O_ABUF: hw->abuf_words = v; break;
        case O_BBUF: hw->bbuf_words = v; break;
        case O_QUEUE: hw->queue_depth = v; break;
        case O_AXI: /* one beat per cycle unless --mem-bw says otherwise (as estimate) */
            hw->bus_bytes = v / 8;
            if (!membw_given)
                hw->mem_bytes_per_cycle = v / 8;
            break;
        case O_MEMLAT: hw->mem_latency = v; break;
        default:
            hw->mem_bytes_per_cycle = v;
            membw_given = true;
            break;
        }
    }
    return true;
}

/* Copy a file (the cached calibration or its points) to dst atomically. */
static bool copy_file(const char *src, const char *dst, char *err, size_t errlen)
{
    FILE *in = fopen(src, "rb");
    if (!in) {
        snprintf(err, errlen, "%s: %s", src, strerror(errno));
        return false;
    }
    bc_out_t o;
    if (!bc_out_open(&o, dst, err, errlen)) {
        fclose(in);
        return false;
    }
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, o.fp);
    fclose(in);
    return bc_out_commit(&o, err, errlen);
}

/* A configuration other than the default: calibrated in its cache directory. */
static int calibrate_config(const bc_hw_t *hw, const char *filelist, bool quick, bool if_stale, bool force,
                            const char *out_path, const char *points_path)
{
    char err[2048], dir[4096], cfg[200];
    est_hw_config_str(hw, cfg, sizeof cfg);
    est_calib_file_t f;
    double t0 = bc_now_seconds();
    int rc = est_calib_config(hw, filelist, quick ? 0 : 1, force || !if_stale, &f, dir, sizeof dir, err, sizeof err);
    if (rc < 0)
        return bc_fail(CMD, "%s", err);
    if (rc == 0) {
        if (if_stale) {
            fprintf(stderr, "bitcycle calibrate: %s; estimates at %s will extrapolate\n", err, cfg);
            return BC_EXIT_OK;
        }
        return bc_fail(CMD, "%s", err);
    }
    char file[4200], pts[4200];
    snprintf(file, sizeof file, "%s/calib.txt", dir);
    snprintf(pts, sizeof pts, "%s/points.csv", dir);
    if (out_path && !copy_file(file, out_path, err, sizeof err))
        return bc_fail(CMD, "-o: %s", err);
    if (points_path && !copy_file(pts, points_path, err, sizeof err))
        return bc_fail(CMD, "--points: %s", err);
    printf("calibrated %s on %u RTL jobs in %.1f s: job_overhead %.3f, block_overhead %.3f, tile_overhead %.3f "
           "cycles; worst cycle error %.3f%%\nwrote %s (rtl %s)%s%s\n",
           cfg, f.points, bc_now_seconds() - t0, f.cal.job_overhead, f.cal.block_overhead, f.cal.tile_overhead,
           100.0 * f.max_rel_err, file, f.rtl_hash, out_path ? " and " : "", out_path ? out_path : "");
    if (f.max_rel_err > 0.05)
        fprintf(stderr, "bitcycle calibrate: warning: worst cycle error %.1f%% at %s; see %s\n",
                100.0 * f.max_rel_err, cfg, pts);
    return BC_EXIT_OK;
}

int cmd_calibrate(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"quick", no_argument, NULL, 'q'},
                                         {"if-stale", no_argument, NULL, 's'},
                                         {"rtl-filelist", required_argument, NULL, 'f'},
                                         {"points", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"force", no_argument, NULL, O_FORCE},
                                         {"dm", required_argument, NULL, O_DM},
                                         {"dn", required_argument, NULL, O_DN},
                                         {"abuf-words", required_argument, NULL, O_ABUF},
                                         {"bbuf-words", required_argument, NULL, O_BBUF},
                                         {"queue-depth", required_argument, NULL, O_QUEUE},
                                         {"axi-width", required_argument, NULL, O_AXI},
                                         {"mem-latency", required_argument, NULL, O_MEMLAT},
                                         {"mem-bw", required_argument, NULL, O_MEMBW},
                                         {NULL, 0, NULL, 0}};
    const char *path = "build/calib.txt", *filelist = "rtl/bitcycle.f", *points_path = NULL;
    bool quick = false, if_stale = false, force = false, path_set = false;
    bc_hw_t hw;
    bc_hw_default(&hw);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': path = optarg, path_set = true; break;
        case O_FORCE: force = true; break;
        case O_DM: case O_DN: case O_ABUF: case O_BBUF: case O_QUEUE: case O_AXI: case O_MEMLAT: case O_MEMBW:
            if (!hw_option(c, optarg, &hw))
                return BC_EXIT_USAGE;
            break;
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
    if (!est_hw_rtl_default(&hw)) {
        char err[1024];
        if (est_hw_rtl_check(&hw, NULL, err, sizeof err))
            return bc_usage_error(CMD, "%s", err);
        return calibrate_config(&hw, filelist, quick, if_stale, force, path_set ? path : NULL, points_path);
    }
    char err[1024], hash[17];
    if (!est_rtl_hash(filelist, hash, err, sizeof err)) {
        if (if_stale) {
            fprintf(stderr, "bitcycle calibrate: %s; estimates will use the analytical defaults\n", err);
            return BC_EXIT_OK;
        }
        return bc_fail(CMD, "%s", err);
    }
    char cfg[200];
    est_hw_config_str(&hw, cfg, sizeof cfg);
    if (if_stale && !force) {
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
