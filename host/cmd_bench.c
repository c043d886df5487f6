/* bitcycle bench: host-side micro-benchmarks (reports only, asserts nothing). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"
#include "est/est.h"
#include "est/est_rtl.h"
#include "est/est_run.h"

#define CMD "bench"

static void usage(FILE *fp)
{
    fprintf(fp, "usage: bitcycle bench estimator [--reps N] [--iters N] [--model NAME] [-o FILE]\n"
                "       bitcycle bench energy [--energy FILE] [-o FILE]\n\n"
                "energy: pJ per MAC of one M=256, N=1024, K=2048 GEMM at 1, 2, 4, 8 and 16 bits\n"
                "(both operands), split by event class, from the timing model and the energy table.\n\n"
                "Times 'estimate' in-process: a CPT cpt:3-8/8 run and its static 8/8 baseline over\n"
                "--iters iterations (default 64000) of --model (default resnet110-cifar, 110 layers),\n"
                "cold cost cache every repetition. Reports the RTL simulation time the estimate\n"
                "replaces, from the simulator's measured cycles per second, and peak memory.\n"
                "Writes Markdown to -o FILE (default stdout).\n");
}

/* pJ per MAC at symmetric precisions for one large GEMM (docs/energy.md). */
static int bench_energy(const char *table, const char *outpath)
{
    char err[1024];
    est_energy_t e;
    if (table) {
        if (!est_energy_load(table, &e, err, sizeof err))
            return bc_usage_error(CMD, "--energy: %s", err);
    } else {
        est_energy_default(&e);
    }
    bc_hw_t hw;
    bc_calib_t cal;
    bc_hw_default(&hw);
    bc_calib_default(&cal);
    bc_out_t o;
    if (!bc_out_open(&o, outpath, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    const uint64_t m = 256, n = 1024, k = 2048;
    const double macs = (double)m * n * k;
    fprintf(o.fp, "GEMM %llux%llux%llu, energy table: %s\n\n", (unsigned long long)m, (unsigned long long)n,
            (unsigned long long)k, e.source);
    fprintf(o.fp, "| bits (w x a) | cycles | compute pJ/MAC | buffers pJ/MAC | DRAM pJ/MAC | static pJ/MAC | total pJ/MAC |\n");
    fprintf(o.fp, "|---|---|---|---|---|---|---|\n");
    static const unsigned bits[] = {1, 2, 4, 8, 16};
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        bc_events_t ev;
        memset(&ev, 0, sizeof ev);
        est_gemm_events(&hw, &cal, m, n, k, bits[i], bits[i], &ev);
        est_joules_t j;
        est_energy_of(&e, &ev, hw.clock_hz, &j);
        fprintf(o.fp, "| %u x %u | %llu | %.3f | %.3f | %.3f | %.3f | %.3f |\n", bits[i], bits[i],
                (unsigned long long)ev.cycles, j.compute / macs * 1e12, j.buffers / macs * 1e12,
                j.dram / macs * 1e12, j.stat / macs * 1e12, j.total / macs * 1e12);
    }
    if (!bc_out_commit(&o, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    return BC_EXIT_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int cmd_bench(int argc, char **argv)
{
    static const struct option opts[] = {{"reps", required_argument, NULL, 'r'},
                                         {"iters", required_argument, NULL, 'i'},
                                         {"model", required_argument, NULL, 'm'},
                                         {"energy", required_argument, NULL, 'e'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    uint64_t reps = 9, iters = 64000;
    const char *model_name = "resnet110-cifar", *outpath = "-", *table = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            if (!bc_parse_u64(CMD, "--reps", optarg, 1, 1000, &reps))
                return BC_EXIT_USAGE;
            break;
        case 'i':
            if (!bc_parse_u64(CMD, "--iters", optarg, 1, 100000000, &iters))
                return BC_EXIT_USAGE;
            break;
        case 'm': model_name = optarg; break;
        case 'e': table = optarg; break;
        case 'o': outpath = optarg; break;
        case 'h': usage(stdout); return BC_EXIT_OK;
        default: return bc_bad_option(CMD, c, argv, opts);
        }
    }
    if (optind + 1 == argc && !strcmp(argv[optind], "energy"))
        return bench_energy(table, outpath);
    if (optind + 1 != argc || strcmp(argv[optind], "estimator"))
        return bc_usage_error(CMD, "expected a benchmark name: estimator or energy");
    char err[1024];
    est_model_t model;
    if (!est_model_resolve(model_name, 0, &model, err, sizeof err))
        return bc_usage_error(CMD, "--model: %s", err);
    bc_sched_t fw, bw = bc_sched_static(8), bfw = bc_sched_static(8);
    if (bc_sched_parse("cpt:3-8", &fw, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    est_run_ctx_t *ctx = malloc(sizeof *ctx);
    double *ms = calloc(reps, sizeof *ms);
    if (!ctx || !ms) {
        free(ctx);
        free(ms);
        est_model_free(&model);
        return bc_fail(CMD, "out of memory");
    }
    est_run_t run = {0}, base = {0};
    int rc = BC_EXIT_OK;
    for (uint64_t r = 0; r < reps && rc == BC_EXIT_OK; r++) {
        est_run_free(&run);
        est_run_free(&base);
        double t0 = bc_now_seconds();
        memset(ctx, 0, sizeof *ctx);
        ctx->model = &model;
        bc_hw_default(&ctx->hw);
        bc_calib_default(&ctx->cal);
        est_energy_default(&ctx->energy);
        ctx->batch = 128;
        ctx->iters = iters;
        ctx->iters_per_epoch = (50000 + 127) / 128;
        ctx->cycles = 32;
        if (!est_run(ctx, &fw, &bw, &run, err, sizeof err) || !est_run(ctx, &bfw, &bw, &base, err, sizeof err))
            rc = bc_fail(CMD, "%s", err);
        ms[r] = (bc_now_seconds() - t0) * 1e3;
    }
    if (rc != BC_EXIT_OK)
        goto out;
    qsort(ms, reps, sizeof *ms, cmp_double);

    /* RTL simulation speed: one compute-bound job through the simulator. */
    double rtl_cps = 0;
    char rtl_note[1200] = "simulator library not part of this build";
    if (est_rtl_available()) {
        est_rtl_t *sim = est_rtl_open(err, sizeof err);
        if (sim) {
            bc_job_shape_t s = {.m = 128, .n = 128, .k = 1024, .wbits = 8, .abits = 8, .wsigned = true, .asigned = true};
            bc_events_t ev;
            double t0 = bc_now_seconds();
            if (est_rtl_job(sim, &s, &ev, err, sizeof err) == 0) {
                double dt = bc_now_seconds() - t0;
                rtl_cps = dt > 0 ? (double)ev.cycles / dt : 0;
                snprintf(rtl_note, sizeof rtl_note, "measured on a 128x128x1024 8/8 job: %" PRIu64 " cycles in %.3f s",
                         ev.cycles, dt);
            } else {
                snprintf(rtl_note, sizeof rtl_note, "RTL job failed: %s", err);
            }
            est_rtl_close(sim);
        } else {
            snprintf(rtl_note, sizeof rtl_note, "cannot open the simulator: %s", err);
        }
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);

    bc_out_t o;
    if (!bc_out_open(&o, outpath, err, sizeof err)) {
        rc = bc_fail(CMD, "%s", err);
        goto out;
    }
    FILE *fp = o.fp;
    /* summed in floating point: printed to 4 digits, and cannot wrap */
    double cycles = (double)run.total.ev.cycles + (double)base.total.ev.cycles;
    fprintf(fp, "# Estimator benchmark\n\n");
    fprintf(fp, "Workload: %s (%zu layers, %.1f MMACs/sample), %" PRIu64 " iterations at batch 128, CPT cpt:3-8/8 "
                "and the static 8/8 baseline (both estimated each repetition, cold cost cache), %" PRIu64
                " repetitions.\n\n",
            model.name, model.n, (double)est_model_macs(&model) / 1e6, iters, reps);
    fprintf(fp, "| figure | value |\n|---|---|\n");
    fprintf(fp, "| estimate time, min | %.2f ms |\n", ms[0]);
    fprintf(fp, "| estimate time, median | %.2f ms |\n", ms[reps / 2]);
    fprintf(fp, "| estimate time, max | %.2f ms |\n", ms[reps - 1]);
    fprintf(fp, "| target | < 100 ms |\n");
    fprintf(fp, "| accelerator cycles estimated (run + baseline) | %.4g |\n", cycles);
    fprintf(fp, "| accelerator time at %.0f MHz | %.4g s |\n", ctx->hw.clock_hz / 1e6,
            cycles / ctx->hw.clock_hz);
    if (rtl_cps > 0) {
        double sim_s = cycles / rtl_cps;
        fprintf(fp, "| RTL simulation speed (Verilator) | %.4g cycles/s (%s) |\n", rtl_cps, rtl_note);
        fprintf(fp, "| RTL simulation time replaced | %.4g s = %.3g days |\n", sim_s, sim_s / 86400.0);
        fprintf(fp, "| speed-up of the estimate | %.3g x |\n", sim_s / (ms[reps / 2] * 1e-3));
    } else {
        fprintf(fp, "| RTL simulation speed | n/a (%s) |\n", rtl_note);
    }
    fprintf(fp, "| peak RSS of this process, simulator included (getrusage) | %.1f MiB |\n", (double)ru.ru_maxrss / 1024.0);
    if (!bc_out_commit(&o, err, sizeof err))
        rc = bc_fail(CMD, "%s", err);
out:
    est_run_free(&run);
    est_run_free(&base);
    free(ctx);
    free(ms);
    est_model_free(&model);
    return rc;
}
