/* bitcycle sweep: design-space sweeps from a JSON sweep file (docs/sweeps.md),
 * run locally by a pool of worker processes or on Slurm as job arrays. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sweep/sweep.h"

#define CMD "sweep"
#define CALIB_SECONDS_GUESS 180.0 /* one calibration grid on the RTL, about (docs/sweeps.md) */
#define POINT_SECONDS_GUESS 0.1   /* one estimate, until the sweep has measured its own */

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: bitcycle sweep FILE [--dry-run] [-o DIR] [--executor local|slurm] [-j N] [--force]\n"
            "       bitcycle sweep FILE --task I | --calib-task I    (one point or calibration; Slurm tasks)\n"
            "       bitcycle sweep merge DIR [--heatmap X,Y] [--series AXIS] [--no-plots]\n\n"
            "Runs every point of the sweep file (the product of its axes, minus 'exclude') as its own\n"
            "'bitcycle estimate' process and writes each result atomically into DIR/points/ (default\n"
            "build/sweeps/<file name>). Distinct hardware configurations are calibrated first. A rerun\n"
            "skips finished points and reruns failed ones; results of another sweep file or bitcycle\n"
            "build are refused (--force discards them). Format and examples: docs/sweeps.md.\n\n"
            "  --dry-run            print the plan: points, configurations to calibrate, cached, time\n"
            "  -o, --output DIR     output directory\n"
            "  --calib-dir DIR      calibration cache (default build/calib)\n"
            "  --executor E         local (default): worker processes; slurm: sbatch job arrays\n"
            "  -j, --jobs N         local workers (default: all cores)\n"
            "  --partition P, --time T, --mem M   passed to sbatch\n"
            "  --sbatch-opt OPT     one more sbatch option (repeatable), e.g. --sbatch-opt=--qos=low\n"
            "  --wait               slurm: return when the merge job has finished\n"
            "  --force              discard results of another sweep file or build in DIR\n"
            "merge: DIR/merged.csv, DIR/merged.json, DIR/heatmap.png (cycle and energy savings over two\n"
            "axes) and DIR/series.png (savings against a numeric axis, one line per schedule).\n");
}

static int merge_main(int argc, char **argv)
{
    static const struct option opts[] = {{"heatmap", required_argument, NULL, 'H'},
                                         {"series", required_argument, NULL, 'S'},
                                         {"no-plots", no_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    sweep_merge_opts_t o = {NULL, NULL, NULL, true};
    char hx[64] = "", *hy = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'H':
            snprintf(hx, sizeof hx, "%s", optarg);
            hy = strchr(hx, ',');
            if (!hy || !hy[1] || hy == hx)
                return bc_usage_error(CMD, "--heatmap: expected two axis names X,Y, got '%s'", optarg);
            *hy++ = '\0';
            o.heat_x = hx;
            o.heat_y = hy;
            break;
        case 'S': o.series = optarg; break;
        case 'n': o.plots = false; break;
        case 'h': usage(stdout); return BC_EXIT_OK;
        case ':': return bc_usage_error(CMD, "%s needs a value", argv[optind - 1]);
        default: return bc_usage_error(CMD, "unknown option '%s' (see bitcycle sweep --help)", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return bc_usage_error(CMD, "merge takes exactly one output DIR");
    char err[1536] = "";
    int rc = sweep_merge(argv[optind], &o, err, sizeof err);
    if (rc < 0)
        return bc_fail(CMD, "merge: %s", err);
    return BC_EXIT_OK;
}

static void dry_run(sweep_t *s, unsigned jobs)
{
    size_t done = 0, failed = 0, stale = 0, n_cal = 0;
    double secs = 0;
    char err[1024];
    for (size_t p = 0; p < s->n_points; p++) {
        int st = sweep_result_state(s, p, err, sizeof err);
        done += st == 1;
        stale += st < 0;
        char path[1200];
        sweep_result_path(s, p, path, sizeof path);
        failed += st == 0 && access(path, F_OK) == 0;
    }
    printf("sweep %s (hash %s), bitcycle build %s\n", s->path, s->sweep_hash, s->code_hash);
    printf("output %s\n", s->outdir);
    for (size_t a = 0; a < s->n_axes; a++) {
        printf("  %-6s %-14s", s->axes[a].fixed ? "fixed" : "axis", s->axes[a].def->name);
        for (size_t i = 0; i < s->axes[a].n; i++)
            printf(" %s", s->axes[a].values[i]);
        printf("\n");
    }
    printf("points %zu: %zu done, %zu failed (rerun), %zu to run%s\n", s->n_points, done, failed,
           s->n_points - done, stale ? " (results of another sweep or build present: --force)" : "");
    if (s->no_calibrate) {
        printf("calibration: none (no_calibrate)\n");
    } else {
        for (size_t c = 0; c < s->n_configs; c++) {
            printf("  config %-40s %s  %s\n", s->configs[c].key, s->configs[c].cached ? "cached" : "to calibrate",
                   s->configs[c].calib);
            n_cal += !s->configs[c].cached;
        }
        printf("configurations %zu distinct: %zu cached, %zu to calibrate\n", s->n_configs, s->n_configs - n_cal,
               n_cal);
    }
    secs = (double)n_cal * CALIB_SECONDS_GUESS + (double)(s->n_points - done) * POINT_SECONDS_GUESS / jobs;
    printf("estimated time %.0f s on %u workers (%.0f s per calibration, %.2f s per point assumed)\n", secs, jobs,
           CALIB_SECONDS_GUESS, POINT_SECONDS_GUESS);
}

static bool check_stale(sweep_t *s, bool force, char *err, size_t errlen)
{
    for (size_t p = 0; p < s->n_points; p++) {
        if (sweep_result_state(s, p, err, errlen) >= 0)
            continue;
        if (!force)
            return false;
        char path[1200];
        sweep_result_path(s, p, path, sizeof path);
        unlink(path);
    }
    err[0] = '\0';
    return true;
}

int cmd_sweep(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "merge"))
        return merge_main(argc - 1, argv + 1);
    enum { O_DRY = 256, O_CDIR, O_EXEC, O_PART, O_TIME, O_MEM, O_SOPT, O_WAIT, O_FORCE, O_TASK, O_CTASK };
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, O_DRY},          {"output", required_argument, NULL, 'o'},
        {"calib-dir", required_argument, NULL, O_CDIR}, {"executor", required_argument, NULL, O_EXEC},
        {"jobs", required_argument, NULL, 'j'},         {"partition", required_argument, NULL, O_PART},
        {"time", required_argument, NULL, O_TIME},      {"mem", required_argument, NULL, O_MEM},
        {"sbatch-opt", required_argument, NULL, O_SOPT}, {"wait", no_argument, NULL, O_WAIT},
        {"force", no_argument, NULL, O_FORCE},          {"task", required_argument, NULL, O_TASK},
        {"calib-task", required_argument, NULL, O_CTASK}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sweep_exec_opts_t eo;
    memset(&eo, 0, sizeof eo);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    eo.jobs = ncpu > 0 && ncpu < 1024 ? (unsigned)ncpu : 1;
    eo.progress = true;
    const char *outdir = NULL, *calib_dir = NULL, *executor = "local";
    bool dry = false, force = false;
    long task = -1, ctask = -1;
    uint64_t u;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case O_DRY: dry = true; break;
        case 'o': outdir = optarg; break;
        case O_CDIR: calib_dir = optarg; break;
        case O_EXEC: executor = optarg; break;
        case 'j':
            if (!bc_parse_u64(CMD, "--jobs", optarg, 1, 1024, &u))
                return BC_EXIT_USAGE;
            eo.jobs = (unsigned)u;
            break;
        case O_PART: eo.partition = optarg; break;
        case O_TIME: eo.time = optarg; break;
        case O_MEM: eo.mem = optarg; break;
        case O_SOPT:
            if (eo.n_extra == sizeof eo.sbatch_extra / sizeof eo.sbatch_extra[0])
                return bc_usage_error(CMD, "--sbatch-opt: at most 16");
            if (optarg[0] != '-')
                return bc_usage_error(CMD, "--sbatch-opt: '%s' is not an option (use --sbatch-opt=--name=value)",
                                      optarg);
            eo.sbatch_extra[eo.n_extra++] = optarg;
            break;
        case O_WAIT: eo.wait = true; break;
        case O_FORCE: force = true; break;
        case O_TASK:
        case O_CTASK:
            if (!bc_parse_u64(CMD, c == O_TASK ? "--task" : "--calib-task", optarg, 0, SWEEP_MAX_POINTS, &u))
                return BC_EXIT_USAGE;
            *(c == O_TASK ? &task : &ctask) = (long)u;
            break;
        case 'h': usage(stdout); return BC_EXIT_OK;
        case ':': return bc_usage_error(CMD, "%s needs a value", argv[optind - 1]);
        default: return bc_usage_error(CMD, "unknown option '%s' (see bitcycle sweep --help)", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return bc_usage_error(CMD, "expected one sweep FILE (or 'merge DIR')");
    bool slurm = !strcmp(executor, "slurm");
    if (!slurm && strcmp(executor, "local"))
        return bc_usage_error(CMD, "--executor: unknown executor '%s' (valid: local, slurm)", executor);
    if (task >= 0 && ctask >= 0)
        return bc_usage_error(CMD, "--task and --calib-task are exclusive");
    sweep_t *s = calloc(1, sizeof *s);
    char err[2048] = "";
    if (!s)
        return bc_fail(CMD, "out of memory");
    int rc = BC_EXIT_OK;
    if (!sweep_load(s, argv[optind], outdir, calib_dir, err, sizeof err)) {
        rc = bc_usage_error(CMD, "%s", err);
    } else if (dry) {
        dry_run(s, eo.jobs);
    } else if (task >= 0 || ctask >= 0) {
        size_t n = task >= 0 ? s->n_points : s->n_configs;
        long i = task >= 0 ? task : ctask;
        if ((size_t)i >= n)
            rc = bc_usage_error(CMD, "--%s %ld: the sweep has %zu", task >= 0 ? "task" : "calib-task", i, n);
        else if (task >= 0 && sweep_result_state(s, (size_t)i, err, sizeof err) == 1)
            printf("point %ld already done\n", i);
        else if (!(task >= 0 ? sweep_run_point(s, (size_t)i, err, sizeof err)
                             : sweep_run_config(s, (size_t)i, err, sizeof err)))
            rc = bc_fail(CMD, "%s", err[0] ? err : "task failed");
    } else if (!check_stale(s, force, err, sizeof err)) {
        rc = bc_fail(CMD, "%s", err);
    } else {
        int n = slurm ? sweep_exec_slurm(s, &eo, err, sizeof err) : sweep_exec_local(s, &eo, err, sizeof err);
        if (n < 0)
            rc = bc_fail(CMD, "%s", err);
        else if (n > 0)
            rc = bc_fail(CMD, "%d point%s failed; 'bitcycle sweep merge %s' lists them with their logs", n,
                         n > 1 ? "s" : "", s->outdir);
        else if (!slurm)
            printf("sweep: %zu points done in %s\n", s->n_points, s->outdir);
    }
    sweep_free(s);
    free(s);
    return rc;
}
