/* bitcycle estimate: cycles, seconds and joules per training epoch of a
 * precision schedule against a static baseline (docs/estimator.md). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "est/est.h"
#include "est/est_run.h"
#include "est/est_rtl.h"

#define CMD "estimate"

typedef struct dataset {
    const char *name;
    uint64_t samples;
    unsigned classes;
} dataset_t;

/* Training-set sizes: CIFAR (Krizhevsky 2009), ImageNet-1k (ILSVRC 2012),
 * Fashion-MNIST (Xiao et al. 2017); PTB: 929k training tokens / 35 steps. */
static const dataset_t datasets[] = {
    {"cifar10", 50000, 10},           {"cifar100", 50000, 100}, {"imagenet", 1281167, 1000},
    {"fashion-mnist", 60000, 10},     {"ptb", 929589 / 35, 0},  {NULL, 0, 0},
};

static void usage(FILE *fp)
{
    bc_hw_t hw;
    bc_hw_default(&hw);
    fprintf(fp,
            "usage: bitcycle estimate (--model NAME|FILE | --topology FILE) [options]\n\n"
            "Energy and latency per training epoch of a precision schedule on bitcycle, against a\n"
            "static baseline. Every layer runs three GEMMs per iteration (forward, error back-prop,\n"
            "weight gradient); cycles and events come from the RTL's timing model, calibrated by\n"
            "'bitcycle calibrate'.\n\n"
            "workload:\n"
            "  --model NAME|FILE     zoo model ('bitcycle model list') or SCALE-Sim topology CSV\n"
            "  --topology FILE       SCALE-Sim topology CSV (convolution or M,N,K form)\n"
            "  --dataset NAME        cifar10 | cifar100 | imagenet | fashion-mnist | ptb (default cifar10)\n"
            "  --samples N           training samples per epoch (overrides the preset's size)\n"
            "  --batch N             batch size (default 128)\n"
            "  --epochs N | --iters N  run length (default --iters 64000, the CPT paper's CIFAR setting)\n"
            "schedule:\n"
            "  --schedule SPEC       forward precision schedule (default cpt:3-8); specs: static:B,\n"
            "                        cpt:LO-HI, cos-tri, lin, lin-tri, exp, exp-tri, prog\n"
            "  --grad-bits B         static backward (error) precision (default 8)\n"
            "  --grad-schedule SPEC  backward precision schedule instead of --grad-bits\n"
            "  --cycles N            schedule cycles over the run (default 32)\n"
            "  --baseline SPEC       baseline forward schedule (default static:<schedule's top bits>);\n"
            "                        the baseline keeps the run's backward precision\n"
            "hardware (defaults: the RTL's default configuration):\n"
            "  --dm N --dn N --dk N  array rows, columns, bits per AND/popcount (%u, %u, %u)\n"
            "  --abuf-words N --bbuf-words N   buffer depth per bank (%u, %u)\n"
            "  --clock-mhz F         clock (%g MHz)\n"
            "  --mem-bw F            DRAM bytes per cycle (%g)\n"
            "  --mem-latency N       DRAM read latency in cycles (%u)\n"
            "cost model:\n"
            "  --energy FILE         energy table (default: built-in 45 nm table, docs/energy.md)\n"
            "  --calib FILE          calibration file (default build/calib.txt; recalibrated when stale)\n"
            "  --rtl-filelist FILE   RTL sources hashed for staleness (default rtl/bitcycle.f)\n"
            "  --no-calibrate        use the timing model's analytical defaults\n"
            "output:\n"
            "  --json | --csv        JSON document or per-epoch CSV rows instead of the table\n"
            "  --plot FILE.png       precision per iteration and energy per epoch (gnuplot)\n"
            "  -o FILE               write the output atomically to FILE\n",
            hw.dm, hw.dn, hw.dk, hw.abuf_words, hw.bbuf_words, hw.clock_hz / 1e6, hw.mem_bytes_per_cycle,
            hw.mem_latency);
}

enum {
    O_MODEL = 256, O_TOPO, O_DATASET, O_SAMPLES, O_BATCH, O_EPOCHS, O_ITERS, O_SCHED, O_GBITS, O_GSCHED,
    O_CYCLES, O_BASE, O_DM, O_DN, O_DK, O_ABUF, O_BBUF, O_CLOCK, O_MEMBW, O_MEMLAT, O_ENERGY, O_CALIB,
    O_FILELIST, O_NOCAL, O_JSON, O_CSV, O_PLOT, O_HELP
};

typedef struct opts {
    const char *model, *topology, *dataset, *schedule, *grad_sched, *baseline, *energy, *calib, *filelist,
        *plot, *out;
    uint64_t samples, batch, epochs, iters, grad_bits, cycles;
    bool have_samples, have_epochs, have_iters, have_grad_bits, no_calibrate;
    bc_fmt_t fmt;
    bc_hw_t hw;
} opts_t;

static void json_epoch(FILE *fp, const est_epoch_t *e, long index, const char *indent)
{
    fprintf(fp, "{");
    if (index >= 0)
        fprintf(fp, "\"epoch\": %ld, \"first_iteration\": %" PRIu64 ", ", index + 1, e->first_iter);
    fprintf(fp, "\"iterations\": %" PRIu64 ", \"mean_fw_bits\": ", e->iters);
    bc_json_num(fp, e->mean_fw_bits);
    fprintf(fp, ", \"mean_bw_bits\": ");
    bc_json_num(fp, e->mean_bw_bits);
    fprintf(fp, ", \"precision_changes\": %" PRIu64 ", \"macs\": ", e->precision_changes);
    bc_json_num(fp, e->macs);
    fprintf(fp, ", \"bitops\": ");
    bc_json_num(fp, e->bitops);
    fprintf(fp, ", \"cycles\": %" PRIu64 ", \"latency_s\": ", e->ev.cycles);
    bc_json_num(fp, e->latency_s);
    fprintf(fp, ", \"energy_j\": ");
    bc_json_num(fp, e->joules.total);
    fprintf(fp, ", \"energy_breakdown_j\": {\"compute\": ");
    bc_json_num(fp, e->joules.compute);
    fprintf(fp, ", \"buffers\": ");
    bc_json_num(fp, e->joules.buffers);
    fprintf(fp, ", \"dram\": ");
    bc_json_num(fp, e->joules.dram);
    fprintf(fp, ", \"static\": ");
    bc_json_num(fp, e->joules.stat);
    const bc_events_t *v = &e->ev;
    fprintf(fp,
            "}, \"events\": {\"cycles\": %" PRIu64 ", \"compute\": %" PRIu64 ", \"stall\": %" PRIu64
            ", \"passes\": %" PRIu64 ", \"dpu_active\": %" PRIu64 ", \"abuf_reads\": %" PRIu64
            ", \"bbuf_reads\": %" PRIu64 ", \"abuf_writes\": %" PRIu64 ", \"bbuf_writes\": %" PRIu64
            ", \"tiles\": %" PRIu64 ", \"jobs\": %" PRIu64 ", \"switches\": %" PRIu64
            ", \"dram_rd_bytes\": %" PRIu64 ", \"dram_wr_bytes\": %" PRIu64 "}}",
            v->cycles, v->compute, v->stall, v->passes, v->dpu_active, v->abuf_reads, v->bbuf_reads,
            v->abuf_writes, v->bbuf_writes, v->tiles, v->jobs, v->switches, v->dram_rd_bytes, v->dram_wr_bytes);
    (void)indent;
}

static void json_series(FILE *fp, const char *key, const char *fw, const char *bw, const est_run_t *r)
{
    fprintf(fp, "  \"%s\": {\"schedule\": ", key);
    bc_json_str(fp, fw);
    fprintf(fp, ", \"grad_schedule\": ");
    bc_json_str(fp, bw);
    fprintf(fp, ",\n    \"total\": ");
    json_epoch(fp, &r->total, -1, "    ");
    fprintf(fp, ",\n    \"epochs\": [");
    for (size_t i = 0; i < r->n_epochs; i++) {
        fprintf(fp, "%s\n      ", i ? "," : "");
        json_epoch(fp, &r->epochs[i], (long)i, "      ");
    }
    fprintf(fp, "\n    ]}");
}

static double saving(double run, double base)
{
    return base > 0 ? 1.0 - run / base : 0.0;
}

static void table_row(FILE *fp, const char *label, const est_epoch_t *e)
{
    fprintf(fp, "%-9s %7" PRIu64 " %6.2f %11.4e %15" PRIu64 " %12.4f %10.4f %10.4f %11.4f %10.4f %11.4f\n", label,
            e->iters, e->mean_fw_bits, e->bitops, e->ev.cycles, e->latency_s, e->joules.compute,
            e->joules.buffers, e->joules.dram, e->joules.stat, e->joules.total);
}

static void csv_rows(FILE *fp, const char *series, const est_run_t *r)
{
    for (size_t i = 0; i < r->n_epochs; i++) {
        const est_epoch_t *e = &r->epochs[i];
        fprintf(fp, "%s,%zu,%" PRIu64 ",%" PRIu64 ",%.6f,%.6f,%.6e,%" PRIu64 ",%.9g,%.9g,%.9g,%.9g,%.9g,%.9g\n",
                series, i + 1, e->first_iter, e->iters, e->mean_fw_bits, e->mean_bw_bits, e->bitops, e->ev.cycles,
                e->latency_s, e->joules.total, e->joules.compute, e->joules.buffers, e->joules.dram,
                e->joules.stat);
    }
}

/* Precision per iteration and energy per epoch, run against baseline. The
 * PNG is rendered to a temporary name and renamed into place. */
static bool plot(const char *path, const uint8_t *run_bits, const uint8_t *base_bits, uint64_t iters,
                 const est_run_t *run, const est_run_t *base, const char *title, char *err, size_t errlen)
{
    char dir[] = "/tmp/bitcycle-plot-XXXXXX";
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, "--plot: cannot create a temporary directory: %s", strerror(errno));
        return false;
    }
    char prec[64], energy[64], script[64], tmp_png[1100];
    snprintf(prec, sizeof prec, "%s/prec.dat", dir);
    snprintf(energy, sizeof energy, "%s/energy.dat", dir);
    snprintf(script, sizeof script, "%s/plot.gp", dir);
    snprintf(tmp_png, sizeof tmp_png, "%s.tmp.%ld", path, (long)getpid());
    bool ok = false;
    FILE *fp = fopen(prec, "w");
    if (fp) {
        /* only the points where either precision changes, as steps */
        for (uint64_t t = 0; t < iters; t++)
            if (t == 0 || t + 1 == iters || run_bits[t] != run_bits[t - 1] || base_bits[t] != base_bits[t - 1])
                fprintf(fp, "%" PRIu64 " %u %u\n", t, run_bits[t], base_bits[t]);
        fclose(fp);
        fp = fopen(energy, "w");
    }
    if (fp) {
        for (size_t i = 0; i < run->n_epochs && i < base->n_epochs; i++)
            fprintf(fp, "%zu %.9g %.9g\n", i + 1, run->epochs[i].joules.total, base->epochs[i].joules.total);
        fclose(fp);
        fp = fopen(script, "w");
    }
    if (fp) {
        fprintf(fp,
                "set terminal pngcairo size 1000,700 noenhanced\n"
                "set output '%s'\n"
                "set multiplot layout 2,1 title '%s'\n"
                "set xlabel 'iteration'; set ylabel 'forward bits'; set yrange [0:17]; set key top right\n"
                "plot '%s' using 1:3 with steps lw 2 title 'baseline', '' using 1:2 with steps lw 1 title 'run'\n"
                "set xlabel 'epoch'; set ylabel 'energy per epoch (J)'; set yrange [0:*]; set key bottom right\n"
                "plot '%s' using 1:3 with lines lw 2 title 'baseline', '' using 1:2 with lines lw 2 title 'run'\n"
                "unset multiplot\n",
                tmp_png, title, prec, energy);
        fclose(fp);
        char cmd[512];
        snprintf(cmd, sizeof cmd, "gnuplot '%s' 2>'%s/gnuplot.err'", script, dir);
        int rc = system(cmd);
        if (rc == 0 && rename(tmp_png, path) == 0)
            ok = true;
        else
            snprintf(err, errlen, "--plot %s: gnuplot failed (exit %d; is gnuplot installed? make deps)", path,
                     rc);
    } else {
        snprintf(err, errlen, "--plot: cannot write into %s: %s", dir, strerror(errno));
    }
    remove(tmp_png);
    char f[96];
    snprintf(f, sizeof f, "%s/gnuplot.err", dir);
    remove(f);
    remove(prec);
    remove(energy);
    remove(script);
    rmdir(dir);
    return ok;
}

int cmd_estimate(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"model", required_argument, NULL, O_MODEL},     {"topology", required_argument, NULL, O_TOPO},
        {"dataset", required_argument, NULL, O_DATASET}, {"samples", required_argument, NULL, O_SAMPLES},
        {"batch", required_argument, NULL, O_BATCH},     {"epochs", required_argument, NULL, O_EPOCHS},
        {"iters", required_argument, NULL, O_ITERS},     {"schedule", required_argument, NULL, O_SCHED},
        {"grad-bits", required_argument, NULL, O_GBITS}, {"grad-schedule", required_argument, NULL, O_GSCHED},
        {"cycles", required_argument, NULL, O_CYCLES},   {"baseline", required_argument, NULL, O_BASE},
        {"dm", required_argument, NULL, O_DM},           {"dn", required_argument, NULL, O_DN},
        {"dk", required_argument, NULL, O_DK},           {"abuf-words", required_argument, NULL, O_ABUF},
        {"bbuf-words", required_argument, NULL, O_BBUF}, {"clock-mhz", required_argument, NULL, O_CLOCK},
        {"mem-bw", required_argument, NULL, O_MEMBW},    {"mem-latency", required_argument, NULL, O_MEMLAT},
        {"energy", required_argument, NULL, O_ENERGY},   {"calib", required_argument, NULL, O_CALIB},
        {"rtl-filelist", required_argument, NULL, O_FILELIST},
        {"no-calibrate", no_argument, NULL, O_NOCAL},    {"json", no_argument, NULL, O_JSON},
        {"csv", no_argument, NULL, O_CSV},               {"plot", required_argument, NULL, O_PLOT},
        {"output", required_argument, NULL, 'o'},        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    opts_t o;
    memset(&o, 0, sizeof o);
    o.dataset = "cifar10";
    o.schedule = "cpt:3-8";
    o.batch = 128;
    o.grad_bits = 8;
    o.cycles = 32;
    o.calib = "build/calib.txt";
    o.filelist = "rtl/bitcycle.f";
    o.out = "-";
    bc_hw_default(&o.hw);
    uint64_t u;
    double d;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", lopts, NULL)) != -1) {
        switch (c) {
        case O_MODEL: o.model = optarg; break;
        case O_TOPO: o.topology = optarg; break;
        case O_DATASET: o.dataset = optarg; break;
        case O_SAMPLES:
            if (!bc_parse_u64(CMD, "--samples", optarg, 1, 1ull << 40, &o.samples))
                return BC_EXIT_USAGE;
            o.have_samples = true;
            break;
        case O_BATCH:
            if (!bc_parse_u64(CMD, "--batch", optarg, 1, 1u << 20, &o.batch))
                return BC_EXIT_USAGE;
            break;
        case O_EPOCHS:
            if (!bc_parse_u64(CMD, "--epochs", optarg, 1, 1000000, &o.epochs))
                return BC_EXIT_USAGE;
            o.have_epochs = true;
            break;
        case O_ITERS:
            if (!bc_parse_u64(CMD, "--iters", optarg, 1, 1ull << 32, &o.iters))
                return BC_EXIT_USAGE;
            o.have_iters = true;
            break;
        case O_SCHED: o.schedule = optarg; break;
        case O_GBITS:
            if (!bc_parse_u64(CMD, "--grad-bits", optarg, 1, EST_MAX_BITS, &o.grad_bits))
                return BC_EXIT_USAGE;
            o.have_grad_bits = true;
            break;
        case O_GSCHED: o.grad_sched = optarg; break;
        case O_CYCLES:
            if (!bc_parse_u64(CMD, "--cycles", optarg, 1, 1000000, &o.cycles))
                return BC_EXIT_USAGE;
            break;
        case O_BASE: o.baseline = optarg; break;
        case O_DM:
            if (!bc_parse_u64(CMD, "--dm", optarg, 1, 1024, &u))
                return BC_EXIT_USAGE;
            o.hw.dm = (unsigned)u;
            break;
        case O_DN:
            if (!bc_parse_u64(CMD, "--dn", optarg, 1, 1024, &u))
                return BC_EXIT_USAGE;
            o.hw.dn = (unsigned)u;
            break;
        case O_DK:
            if (!bc_parse_u64(CMD, "--dk", optarg, 1, 4096, &u))
                return BC_EXIT_USAGE;
            o.hw.dk = (unsigned)u;
            break;
        case O_ABUF:
            if (!bc_parse_u64(CMD, "--abuf-words", optarg, 2, 1u << 24, &u))
                return BC_EXIT_USAGE;
            o.hw.abuf_words = (unsigned)u;
            break;
        case O_BBUF:
            if (!bc_parse_u64(CMD, "--bbuf-words", optarg, 2, 1u << 24, &u))
                return BC_EXIT_USAGE;
            o.hw.bbuf_words = (unsigned)u;
            break;
        case O_CLOCK:
            if (!bc_parse_double(CMD, "--clock-mhz", optarg, 1e-3, 1e5, &d))
                return BC_EXIT_USAGE;
            o.hw.clock_hz = d * 1e6;
            break;
        case O_MEMBW:
            if (!bc_parse_double(CMD, "--mem-bw", optarg, 1e-3, 8.0, &d))
                return BC_EXIT_USAGE;
            o.hw.mem_bytes_per_cycle = d;
            break;
        case O_MEMLAT:
            if (!bc_parse_u64(CMD, "--mem-latency", optarg, 0, 100000, &u))
                return BC_EXIT_USAGE;
            o.hw.mem_latency = (unsigned)u;
            break;
        case O_ENERGY: o.energy = optarg; break;
        case O_CALIB: o.calib = optarg; break;
        case O_FILELIST: o.filelist = optarg; break;
        case O_NOCAL: o.no_calibrate = true; break;
        case O_JSON: o.fmt = BC_FMT_JSON; break;
        case O_CSV: o.fmt = BC_FMT_CSV; break;
        case O_PLOT: o.plot = optarg; break;
        case 'o': o.out = optarg; break;
        case 'h':
        case O_HELP: usage(stdout); return BC_EXIT_OK;
        case ':': return bc_usage_error(CMD, "%s needs a value", argv[optind - 1]);
        default:
            return bc_usage_error(CMD, "unknown option '%s' (see bitcycle estimate --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return bc_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    if (!o.model && !o.topology)
        return bc_usage_error(CMD, "--model NAME|FILE or --topology FILE is required");
    if (o.model && o.topology)
        return bc_usage_error(CMD, "--model and --topology are exclusive");
    if (o.have_epochs && o.have_iters)
        return bc_usage_error(CMD, "--epochs and --iters are exclusive");
    if (o.have_grad_bits && o.grad_sched)
        return bc_usage_error(CMD, "--grad-bits and --grad-schedule are exclusive");
    if (o.plot && (strlen(o.plot) < 5 || strcmp(o.plot + strlen(o.plot) - 4, ".png")))
        return bc_usage_error(CMD, "--plot: '%s' must name a .png file", o.plot);

    const dataset_t *ds = NULL;
    for (size_t i = 0; datasets[i].name; i++)
        if (!strcmp(datasets[i].name, o.dataset))
            ds = &datasets[i];
    if (!ds)
        return bc_usage_error(CMD, "--dataset: unknown preset '%s' (known: cifar10, cifar100, imagenet, "
                                   "fashion-mnist, ptb; or give --samples N)", o.dataset);
    uint64_t samples = o.have_samples ? o.samples : ds->samples;

    char err[1024];
    bc_sched_t fw, bw, base_fw, base_bw;
    if (bc_sched_parse(o.schedule, &fw, err, sizeof err))
        return bc_usage_error(CMD, "--schedule: %s", err);
    if (o.grad_sched) {
        if (bc_sched_parse(o.grad_sched, &bw, err, sizeof err))
            return bc_usage_error(CMD, "--grad-schedule: %s", err);
    } else {
        bw = bc_sched_static((unsigned)o.grad_bits);
    }
    if (o.baseline) {
        if (bc_sched_parse(o.baseline, &base_fw, err, sizeof err))
            return bc_usage_error(CMD, "--baseline: %s", err);
    } else {
        base_fw = bc_sched_static(fw.hi);
    }
    base_bw = bw; /* the baseline keeps the run's backward precision */

    est_model_t model;
    const char *mname = o.model ? o.model : o.topology;
    bool ok = o.topology ? est_topology_load(o.topology, &model, err, sizeof err)
                         : est_model_resolve(o.model, ds->classes, &model, err, sizeof err);
    if (!ok)
        return bc_usage_error(CMD, "%s: %s", o.topology ? "--topology" : "--model", err);
    (void)mname;

    est_run_ctx_t *ctx = calloc(1, sizeof *ctx);
    uint8_t *run_bits = NULL, *base_bits = NULL;
    est_run_t run = {0}, base = {0};
    int rc = BC_EXIT_FAIL;
    if (!ctx) {
        est_model_free(&model);
        return bc_fail(CMD, "out of memory");
    }
    ctx->model = &model;
    ctx->hw = o.hw;
    ctx->batch = o.batch;
    ctx->cycles = (unsigned)o.cycles;
    ctx->iters_per_epoch = (samples + o.batch - 1) / o.batch;
    ctx->iters = o.have_epochs ? o.epochs * ctx->iters_per_epoch : o.have_iters ? o.iters : 64000;
    if (ctx->iters / ctx->iters_per_epoch > 10000000) {
        rc = bc_usage_error(CMD, "--iters: %" PRIu64 " iterations is more than 10^7 epochs", ctx->iters);
        goto out;
    }
    {
        /* 64-bit event counters: refuse workloads whose BitOPs would overflow them */
        unsigned f = fw.hi > base_fw.hi ? fw.hi : base_fw.hi, b = bw.hi;
        double bitops = (double)est_model_macs(&model) * (double)o.batch * (double)ctx->iters *
                        ((double)f * f + 2.0 * f * b);
        if (bitops > 1e21) {
            rc = bc_usage_error(CMD, "workload too large: %.3g BitOPs would overflow the 64-bit event counts "
                                     "(reduce --iters/--epochs, --batch or the model)", bitops);
            goto out;
        }
    }
    if (o.energy) {
        if (!est_energy_load(o.energy, &ctx->energy, err, sizeof err)) {
            rc = bc_usage_error(CMD, "--energy: %s", err);
            goto out;
        }
    } else {
        est_energy_default(&ctx->energy);
    }
    char calib_note[768];
    if (o.no_calibrate) {
        bc_calib_default(&ctx->cal);
        snprintf(calib_note, sizeof calib_note, "analytical defaults (--no-calibrate): not calibrated on the RTL");
    } else if (!est_calib_obtain_for(&o.hw, o.calib, o.filelist, true, &ctx->cal, calib_note, sizeof calib_note,
                                     err, sizeof err)) {
        rc = bc_fail(CMD, "calibration: %s", err);
        goto out;
    }

    {
        bc_hw_t def;
        bc_hw_default(&def);
        char a[160], b[160];
        est_hw_config_str(&def, a, sizeof a);
        est_hw_config_str(&o.hw, b, sizeof b);
        if (strcmp(a, b) && o.no_calibrate) {
            size_t len = strlen(calib_note);
            snprintf(calib_note + len, sizeof calib_note - len,
                     "; hardware differs from the RTL's default configuration, overheads extrapolated");
        }
    }
    if (o.plot) {
        run_bits = malloc(ctx->iters);
        base_bits = malloc(ctx->iters);
        if (!run_bits || !base_bits) {
            rc = bc_fail(CMD, "--plot: out of memory for %" PRIu64 " iterations", ctx->iters);
            goto out;
        }
    }
    ctx->precision_trace = run_bits;
    if (!est_run(ctx, &fw, &bw, &run, err, sizeof err)) {
        rc = bc_fail(CMD, "%s", err);
        goto out;
    }
    ctx->precision_trace = base_bits;
    if (!est_run(ctx, &base_fw, &base_bw, &base, err, sizeof err)) {
        rc = bc_fail(CMD, "baseline: %s", err);
        goto out;
    }

    char s_fw[32], s_bw[32], s_bfw[32], s_bbw[32], cfg[160];
    bc_sched_format(&fw, s_fw, sizeof s_fw);
    bc_sched_format(&bw, s_bw, sizeof s_bw);
    bc_sched_format(&base_fw, s_bfw, sizeof s_bfw);
    bc_sched_format(&base_bw, s_bbw, sizeof s_bbw);
    est_hw_config_str(&o.hw, cfg, sizeof cfg);
    const est_epoch_t *rt = &run.total, *bt = &base.total;

    if (o.plot) {
        char title[256];
        snprintf(title, sizeof title, "%s, %s/%s vs %s/%s: energy saving %.1f%%", model.name, s_fw, s_bw, s_bfw,
                 s_bbw, 100.0 * saving(rt->joules.total, bt->joules.total));
        if (!plot(o.plot, run_bits, base_bits, ctx->iters, &run, &base, title, err, sizeof err)) {
            rc = bc_fail(CMD, "%s", err);
            goto out;
        }
    }

    bc_out_t out;
    if (!bc_out_open(&out, o.out, err, sizeof err)) {
        rc = bc_fail(CMD, "-o: %s", err);
        goto out;
    }
    FILE *fp = out.fp;
    if (o.fmt == BC_FMT_JSON) {
        fprintf(fp, "{\n  \"inputs\": {\"model\": ");
        bc_json_str(fp, model.name);
        fprintf(fp, ", \"model_source\": \"%s\", \"layers\": %zu, \"macs_per_sample\": %" PRIu64 ", \"dataset\": ",
                model.source, model.n, est_model_macs(&model));
        bc_json_str(fp, o.have_samples ? "custom" : ds->name);
        fprintf(fp, ", \"samples\": %" PRIu64 ", \"batch\": %" PRIu64 ", \"iterations\": %" PRIu64
                    ", \"iterations_per_epoch\": %" PRIu64 ", \"epochs\": %zu, \"cycles\": %u",
                samples, o.batch, ctx->iters, ctx->iters_per_epoch, run.n_epochs, ctx->cycles);
        fprintf(fp, ",\n    \"schedule\": \"%s\", \"grad_schedule\": \"%s\", \"baseline\": \"%s\", "
                    "\"baseline_grad\": \"%s\"",
                s_fw, s_bw, s_bfw, s_bbw);
        fprintf(fp, ",\n    \"hardware\": {\"dm\": %u, \"dn\": %u, \"dk\": %u, \"abuf_words\": %u, \"bbuf_words\": %u, "
                    "\"queue_depth\": %u, \"clock_hz\": ",
                o.hw.dm, o.hw.dn, o.hw.dk, o.hw.abuf_words, o.hw.bbuf_words, o.hw.queue_depth);
        bc_json_num(fp, o.hw.clock_hz);
        fprintf(fp, ", \"mem_bytes_per_cycle\": ");
        bc_json_num(fp, o.hw.mem_bytes_per_cycle);
        fprintf(fp, ", \"mem_latency\": %u}", o.hw.mem_latency);
        fprintf(fp, ",\n    \"calibration\": {\"note\": ");
        bc_json_str(fp, calib_note);
        fprintf(fp, ", \"job_overhead\": ");
        bc_json_num(fp, ctx->cal.job_overhead);
        fprintf(fp, ", \"block_overhead\": ");
        bc_json_num(fp, ctx->cal.block_overhead);
        fprintf(fp, ", \"tile_overhead\": ");
        bc_json_num(fp, ctx->cal.tile_overhead);
        fprintf(fp, "},\n    \"energy_table\": ");
        bc_json_str(fp, ctx->energy.source);
        fprintf(fp, "},\n");
        json_series(fp, "run", s_fw, s_bw, &run);
        fprintf(fp, ",\n");
        json_series(fp, "baseline", s_bfw, s_bbw, &base);
        fprintf(fp, ",\n  \"savings\": {\"bitops\": ");
        bc_json_num(fp, saving(rt->bitops, bt->bitops));
        fprintf(fp, ", \"cycles\": ");
        bc_json_num(fp, saving((double)rt->ev.cycles, (double)bt->ev.cycles));
        fprintf(fp, ", \"latency\": ");
        bc_json_num(fp, saving(rt->latency_s, bt->latency_s));
        fprintf(fp, ", \"energy\": ");
        bc_json_num(fp, saving(rt->joules.total, bt->joules.total));
        fprintf(fp, "}\n}\n");
    } else if (o.fmt == BC_FMT_CSV) {
        fprintf(fp, "series,epoch,first_iteration,iterations,mean_fw_bits,mean_bw_bits,bitops,cycles,latency_s,"
                    "energy_j,compute_j,buffers_j,dram_j,static_j\n");
        csv_rows(fp, "run", &run);
        csv_rows(fp, "baseline", &base);
    } else {
        fprintf(fp, "model      %s (%s, %zu layers, %.4g MMACs/sample)\n", model.name, model.source, model.n,
                (double)est_model_macs(&model) / 1e6);
        fprintf(fp, "data       %s%s: %" PRIu64 " samples, batch %" PRIu64 ", %" PRIu64 " iterations/epoch, %" PRIu64
                    " iterations in %zu epochs\n",
                o.have_samples ? "custom" : ds->name, "", samples, o.batch, ctx->iters_per_epoch, ctx->iters,
                run.n_epochs);
        fprintf(fp, "run        forward %s, backward %s, %u cycles\n", s_fw, s_bw, ctx->cycles);
        fprintf(fp, "baseline   forward %s, backward %s\n", s_bfw, s_bbw);
        fprintf(fp, "hardware   %s, %.4g MHz\n", cfg, o.hw.clock_hz / 1e6);
        fprintf(fp, "calibration %s (job %.3g, block %.3g, tile %.3g cycles)\n", calib_note, ctx->cal.job_overhead,
                ctx->cal.block_overhead, ctx->cal.tile_overhead);
        fprintf(fp, "energy     %s\n\n", ctx->energy.source);
        fprintf(fp, "%-9s %7s %6s %11s %15s %12s %10s %10s %11s %10s %11s\n", "epoch", "iters", "fwbits", "BitOPs",
                "cycles", "latency_s", "compute_J", "buffers_J", "dram_J", "static_J", "energy_J");
        for (size_t i = 0; i < run.n_epochs; i++) {
            char lab[24];
            snprintf(lab, sizeof lab, "%zu", i + 1);
            table_row(fp, lab, &run.epochs[i]);
        }
        table_row(fp, "total", rt);
        table_row(fp, "baseline", bt);
        fprintf(fp, "savings   BitOPs %.2f%%, cycles %.2f%%, latency %.2f%%, energy %.2f%% (1 - run/baseline)\n",
                100.0 * saving(rt->bitops, bt->bitops), 100.0 * saving((double)rt->ev.cycles, (double)bt->ev.cycles),
                100.0 * saving(rt->latency_s, bt->latency_s), 100.0 * saving(rt->joules.total, bt->joules.total));
    }
    if (!bc_out_commit(&out, err, sizeof err)) {
        rc = bc_fail(CMD, "%s", err);
        goto out;
    }
    rc = BC_EXIT_OK;
out:
    est_run_free(&run);
    est_run_free(&base);
    free(run_bits);
    free(base_bits);
    free(ctx);
    est_model_free(&model);
    return rc;
}
