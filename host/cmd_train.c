/* bitcycle train: quantized CPT training on real data through the accelerator. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train/bc_data.h"
#include "bc_hal_fsim.h"
#include "bc_mlp.h"
#include "bc_range.h"
#include "bc_schedule.h"
#include "train/bc_train.h"
#include "bitcycle.h"
#include "cli.h"
#include "est/est.h"

static const char *const CMD = "train";

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: bitcycle train [options]\n"
            "Train an MLP or a CNN with quantized GEMMs on the accelerator (every GEMM of a quantized layer\n"
            "goes through the driver) under a precision schedule, and report per epoch.\n\n"
            "  --model mlp|lenet5|resnet8|resnet20n   network (default mlp; resnet20n: ResNet-20 at width 8)\n"
            "  --backend fsim|sim|vp   functional model (default), Verilator RTL, SystemC virtual platform\n"
            "  --dataset fashion-mnist|digits   data set (default digits; fetch with `make data`; alias --data)\n"
            "  --split file|random     digits: the file's order (default) or a seeded random split\n"
            "  --split-seed N          seed of --split random (default 1)\n"
            "  --data-dir DIR          where `make data` put the files (default build/data or $BITCYCLE_DATA)\n"
            "  --layers A-B-...-Z      MLP layer sizes (default 784-256-128-10 / 64-128-64-10 for digits)\n"
            "  --schedule SPEC|auto    forward precision schedule (default cpt:3-8); auto = range test\n"
            "  --grad-bits N           backward (error) precision (default 8)\n"
            "  --grad-schedule SPEC    backward schedule instead of --grad-bits\n"
            "  --cycles N              schedule cycles over the whole run (default min(32, iterations/16))\n"
            "  --epochs E              epochs (default 1)\n"
            "  --iters N               stop after N iterations in total (without --epochs: as many\n"
            "                          epochs as N needs)\n"
            "  --batch B               batch size (default 128)\n"
            "  --lr X --momentum X --weight-decay X   SGD (defaults 0.05, 0.9, 5e-4)\n"
            "  --seed N                weights, shuffling and stochastic rounding (default 1)\n"
            "  --quantize-last         quantize the last layer too (default: float on the CPU, as CPT)\n"
            "  --float                 CNN float baseline: every layer in float on the CPU (no accelerator)\n"
            "  --eval-bits N           forward precision for the test set (default: schedule's upper bound)\n"
            "  --test-limit N          evaluate on the first N test samples only\n"
            "  --range-iters N         range test: iterations per precision (default 100)\n"
            "  --range-threshold X     range test: accuracy gain that picks Bmin (default 0.02)\n"
            "  --range-max-bits N      range test: target precision Bmax (default 8)\n"
            "  --energy FILE           per-event energies (docs/energy.md; default: the built-in 45 nm table;\n"
            "                          alias --energy-table)\n"
            "  --baseline SPEC         then train again with forward schedule SPEC (same data, seed and\n"
            "                          backward precision) and compare: accuracy, cycles, BitOPs, energy\n"
            "  --summary               the totals only (with --baseline: the two runs side by side)\n"
            "  --json | --csv          output format (table by default)\n"
            "  -o, --output FILE       write the report atomically to FILE\n"
            "  -h, --help              this text\n");
}

typedef struct progress_state {
    bc_progress_t bar;
    bool started;
} progress_state_t;

static void progress_cb(void *ctx, uint64_t done, uint64_t total)
{
    progress_state_t *ps = ctx;
    if (!ps->started) {
        bc_progress_start(&ps->bar, "train", total);
        ps->started = true;
    }
    bc_progress_step(&ps->bar, done);
}

/* Energy of the counted events with the estimator's per-event table; static
 * power over the accelerator's busy cycles only (the CPU is not modelled). */
typedef struct energy_ctx {
    est_energy_t table;
    double clock_hz;
} energy_ctx_t;

static double energy_cb(void *ctx, const bc_counters_t *c)
{
    const energy_ctx_t *e = ctx;
    bc_events_t ev = {
        .cycles = c->busy, .busy = c->busy, .compute = c->compute, .stall = c->stall, .passes = c->passes,
        .dpu_active = c->dpu_active, .abuf_reads = c->abuf_reads, .bbuf_reads = c->bbuf_reads,
        .abuf_writes = c->abuf_writes, .bbuf_writes = c->bbuf_writes, .tiles = c->tiles, .jobs = c->jobs,
        .switches = c->switches, .dram_rd_bytes = c->dram_rd_bytes, .dram_wr_bytes = c->dram_wr_bytes,
    };
    est_joules_t j;
    est_energy_of(&e->table, &ev, e->clock_hz, &j);
    return j.total;
}

static bool parse_layers(const char *s, bc_mlp_config_t *c)
{
    unsigned n = 0;
    const char *p = s;
    while (*p) {
        if (*p < '0' || *p > '9')
            return false;
        unsigned long v = 0;
        while (*p >= '0' && *p <= '9') {
            v = v * 10 + (unsigned long)(*p - '0');
            if (v > 100000)
                return false;
            p++;
        }
        if (n > BC_MLP_MAX_LAYERS || v == 0)
            return false;
        c->sizes[n++] = (unsigned)v;
        if (*p == '-')
            p++;
        else if (*p)
            return false;
        else
            break;
        if (!*p)
            return false;
    }
    if (n < 2)
        return false;
    c->n_layers = n - 1;
    return true;
}

/* Totals of one training run, for the summary and the comparison. */
typedef struct train_totals {
    double test_acc, train_acc, energy_j;
    uint64_t iters, cycles, bitops;
} train_totals_t;

static train_totals_t totals_of(const bc_train_result_t *r)
{
    train_totals_t t = {0};
    for (unsigned i = 0; i < r->n_epochs; i++) {
        t.cycles += r->ep[i].cycles;
        t.bitops += r->ep[i].bitops;
        t.energy_j += r->ep[i].energy_j;
        t.iters += r->ep[i].iters;
    }
    if (r->n_epochs) {
        t.test_acc = r->ep[r->n_epochs - 1].test_acc;
        t.train_acc = r->ep[r->n_epochs - 1].train_acc;
    }
    return t;
}

static void summary_row(FILE *fp, const char *label, const train_totals_t *t)
{
    fprintf(fp, "%-28s %9.2f%% %9.2f%% %14llu %14.4e %12.3f\n", label, 100.0 * t->test_acc, 100.0 * t->train_acc,
            (unsigned long long)t->cycles, (double)t->bitops, 1e3 * t->energy_j);
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : 0.0;
}

static void print_summary(FILE *fp, const bc_train_opts_t *o, const bc_train_result_t *run,
                          const bc_train_result_t *base)
{
    char rf[32], rb[32], label[96];
    bc_sched_format(&run->fw, rf, sizeof rf);
    bc_sched_format(&run->bw, rb, sizeof rb);
    train_totals_t r = totals_of(run);
    fprintf(fp, "%s on %s, backend %s, %llu iterations of batch %u, seed %llu\n", o->model, o->data, o->backend,
            (unsigned long long)r.iters, o->mlp.batch, (unsigned long long)o->mlp.seed);
    fprintf(fp, "%-28s %10s %10s %14s %14s %12s\n", "", "test acc", "train acc", "cycles", "BitOPs", "energy mJ");
    snprintf(label, sizeof label, "run %s/%s", rf, rb);
    summary_row(fp, label, &r);
    if (!base)
        return;
    train_totals_t b = totals_of(base);
    bc_sched_format(&base->fw, rf, sizeof rf);
    bc_sched_format(&base->bw, rb, sizeof rb);
    snprintf(label, sizeof label, "baseline %s/%s", rf, rb);
    summary_row(fp, label, &b);
    fprintf(fp, "%-28s %+8.2f pt %+8.2f pt %13.3fx %13.3fx %11.3fx\n", "run vs baseline",
            100.0 * (r.test_acc - b.test_acc), 100.0 * (r.train_acc - b.train_acc),
            ratio((double)r.cycles, (double)b.cycles), ratio((double)r.bitops, (double)b.bitops),
            ratio(r.energy_j, b.energy_j));
}

/* One training (with its progress bar) into res; 0 or -1 with err set. */
static int train_once(bc_train_opts_t *o, const bc_dataset_t *train, const bc_dataset_t *test,
                      bc_train_result_t *res, char *err, size_t errlen)
{
    progress_state_t ps = {.started = false};
    o->progress = progress_cb;
    o->progress_ctx = &ps;
    int rc = bc_train_run(o, train, test, res, err, errlen);
    if (ps.started)
        bc_progress_end(&ps.bar);
    return rc;
}

/* The run, the baseline when asked, and the report into out_path. */
static int run_and_report(bc_train_opts_t *o, const bc_dataset_t *train, const bc_dataset_t *test,
                          const char *out_path, const char *baseline, bool summary)
{
    char err[512];
    bc_out_t out;
    if (!bc_out_open(&out, out_path, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    o->out = summary ? NULL : out.fp;
    bc_train_result_t run, base;
    memset(&base, 0, sizeof base);
    int rc = train_once(o, train, test, &run, err, sizeof err);
    if (!rc && baseline) {
        bc_train_opts_t b = *o;
        bc_sched_parse(baseline, &b.fw, err, sizeof err); /* checked while parsing */
        b.auto_range = false;
        b.eval_bits = b.fw.hi;
        if (!summary)
            fprintf(out.fp, "\n== baseline: forward %s\n", baseline);
        rc = train_once(&b, train, test, &base, err, sizeof err);
        if (rc)
            bc_train_result_free(&run);
    }
    if (rc) {
        bc_out_abort(&out);
        return bc_fail(CMD, "%s", err);
    }
    if (summary || baseline) {
        if (!summary)
            fprintf(out.fp, "\n");
        print_summary(out.fp, o, &run, baseline ? &base : NULL);
    }
    bc_train_result_free(&run);
    if (baseline)
        bc_train_result_free(&base);
    if (!bc_out_commit(&out, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    return BC_EXIT_OK;
}

int cmd_train(int argc, char **argv)
{
    enum {
        O_BACKEND = 256, O_DATA, O_DATADIR, O_LAYERS, O_SCHED, O_GBITS, O_GSCHED, O_CYCLES, O_EPOCHS, O_ITERS,
        O_BATCH, O_LR, O_MOM, O_WD, O_SEED, O_QLAST, O_EVALBITS, O_TESTLIMIT, O_RITERS, O_RTHR, O_RMAX, O_JSON, O_CSV, O_ENERGY,
        O_MODEL, O_SPLIT, O_SPLITSEED, O_FLOAT, O_BASELINE, O_SUMMARY
    };
    static const struct option opts[] = {
        {"backend", required_argument, 0, O_BACKEND},   {"dataset", required_argument, 0, O_DATA},
        {"data", required_argument, 0, O_DATA},         {"energy", required_argument, 0, O_ENERGY},
        {"baseline", required_argument, 0, O_BASELINE}, {"summary", no_argument, 0, O_SUMMARY},
        {"data-dir", required_argument, 0, O_DATADIR},  {"layers", required_argument, 0, O_LAYERS},
        {"schedule", required_argument, 0, O_SCHED},    {"grad-bits", required_argument, 0, O_GBITS},
        {"grad-schedule", required_argument, 0, O_GSCHED}, {"cycles", required_argument, 0, O_CYCLES},
        {"epochs", required_argument, 0, O_EPOCHS},     {"iters", required_argument, 0, O_ITERS},
        {"batch", required_argument, 0, O_BATCH},       {"lr", required_argument, 0, O_LR},
        {"momentum", required_argument, 0, O_MOM},      {"weight-decay", required_argument, 0, O_WD},
        {"seed", required_argument, 0, O_SEED},         {"quantize-last", no_argument, 0, O_QLAST},
        {"eval-bits", required_argument, 0, O_EVALBITS}, {"test-limit", required_argument, 0, O_TESTLIMIT},
        {"range-iters", required_argument, 0, O_RITERS}, {"range-threshold", required_argument, 0, O_RTHR},
        {"range-max-bits", required_argument, 0, O_RMAX}, {"json", no_argument, 0, O_JSON},
        {"csv", no_argument, 0, O_CSV},                 {"output", required_argument, 0, 'o'},
        {"energy-table", required_argument, 0, O_ENERGY}, {"model", required_argument, 0, O_MODEL},
        {"split", required_argument, 0, O_SPLIT},       {"float", no_argument, 0, O_FLOAT},       {"split-seed", required_argument, 0, O_SPLITSEED},
        {"help", no_argument, 0, 'h'},                  {0, 0, 0, 0},
    };
    bc_train_opts_t o;
    bc_train_opts_default(&o);
    const char *layers = NULL, *fw_spec = "cpt:3-8", *bw_spec = NULL, *out_path = "-";
    bool have_gbits = false, have_epochs = false, have_cycles = false, summary = false;
    const char *baseline = NULL;
    const char *energy_path = NULL;
    bool random_split = false;
    uint64_t split_seed = 1;
    uint64_t v;
    double d;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (c) {
        case O_BACKEND:
            if (strcmp(optarg, "fsim") && strcmp(optarg, "sim") && strcmp(optarg, "vp"))
                return bc_usage_error(CMD, "--backend: '%s' is not one of fsim, sim, vp", optarg);
            o.backend = optarg;
            break;
        case O_DATA:
            if (strcmp(optarg, "fashion-mnist") && strcmp(optarg, "digits"))
                return bc_usage_error(CMD, "--dataset: '%s' is not one of fashion-mnist, digits", optarg);
            o.data = optarg;
            break;
        case O_DATADIR: o.data_dir = optarg; break;
        case O_MODEL:
            if (strcmp(optarg, "mlp") && strcmp(optarg, "lenet5") && strcmp(optarg, "resnet8") &&
                strcmp(optarg, "resnet20n"))
                return bc_usage_error(CMD, "--model: '%s' is not one of mlp, lenet5, resnet8, resnet20n", optarg);
            o.model = optarg;
            break;
        case O_SPLIT:
            if (strcmp(optarg, "file") && strcmp(optarg, "random"))
                return bc_usage_error(CMD, "--split: '%s' is not one of file, random", optarg);
            random_split = !strcmp(optarg, "random");
            break;
        case O_SPLITSEED:
            if (!bc_parse_u64(CMD, "--split-seed", optarg, 0, UINT64_MAX, &split_seed))
                return BC_EXIT_USAGE;
            break;
        case O_LAYERS: layers = optarg; break;
        case O_SCHED: fw_spec = optarg; break;
        case O_GBITS:
            if (!bc_parse_u64(CMD, "--grad-bits", optarg, 1, 16, &v))
                return BC_EXIT_USAGE;
            o.bw = bc_sched_static((unsigned)v);
            have_gbits = true;
            break;
        case O_GSCHED: bw_spec = optarg; break;
        case O_CYCLES:
            if (!bc_parse_u64(CMD, "--cycles", optarg, 1, 1000000, &v))
                return BC_EXIT_USAGE;
            o.cycles = (unsigned)v;
            have_cycles = true;
            break;
        case O_EPOCHS:
            if (!bc_parse_u64(CMD, "--epochs", optarg, 1, 10000, &v))
                return BC_EXIT_USAGE;
            o.epochs = (unsigned)v;
            have_epochs = true;
            break;
        case O_ITERS:
            if (!bc_parse_u64(CMD, "--iters", optarg, 1, UINT64_C(1) << 40, &o.max_iters))
                return BC_EXIT_USAGE;
            break;
        case O_BATCH:
            if (!bc_parse_u64(CMD, "--batch", optarg, 1, 2048, &v))
                return BC_EXIT_USAGE;
            o.mlp.batch = (unsigned)v;
            break;
        case O_LR:
            if (!bc_parse_double(CMD, "--lr", optarg, 1e-9, 10.0, &d))
                return BC_EXIT_USAGE;
            o.mlp.lr = (float)d;
            break;
        case O_MOM:
            if (!bc_parse_double(CMD, "--momentum", optarg, 0.0, 0.999, &d))
                return BC_EXIT_USAGE;
            o.mlp.momentum = (float)d;
            break;
        case O_WD:
            if (!bc_parse_double(CMD, "--weight-decay", optarg, 0.0, 0.5, &d))
                return BC_EXIT_USAGE;
            o.mlp.weight_decay = (float)d;
            break;
        case O_SEED:
            if (!bc_parse_u64(CMD, "--seed", optarg, 0, UINT64_MAX, &o.mlp.seed))
                return BC_EXIT_USAGE;
            break;
        case O_QLAST: o.mlp.quantize_last = true; break;
        case O_FLOAT: o.float_only = true; break;
        case O_EVALBITS:
            if (!bc_parse_u64(CMD, "--eval-bits", optarg, 1, 16, &v))
                return BC_EXIT_USAGE;
            o.eval_bits = (unsigned)v;
            break;
        case O_TESTLIMIT:
            if (!bc_parse_u64(CMD, "--test-limit", optarg, 1, 100000000, &v))
                return BC_EXIT_USAGE;
            o.test_limit = (unsigned)v;
            break;
        case O_RITERS:
            if (!bc_parse_u64(CMD, "--range-iters", optarg, 1, 1000000, &v))
                return BC_EXIT_USAGE;
            o.range_iters = (unsigned)v;
            break;
        case O_RTHR:
            if (!bc_parse_double(CMD, "--range-threshold", optarg, -1.0, 1.0, &o.range_threshold))
                return BC_EXIT_USAGE;
            break;
        case O_RMAX:
            if (!bc_parse_u64(CMD, "--range-max-bits", optarg, 3, 16, &v))
                return BC_EXIT_USAGE;
            o.range_max_bits = (unsigned)v;
            break;
        case O_ENERGY: energy_path = optarg; break;
        case O_BASELINE: baseline = optarg; break;
        case O_SUMMARY: summary = true; break;
        case O_JSON:
        case O_CSV: {
            bc_fmt_t f = (bc_fmt_t)o.fmt;
            if (!bc_fmt_choose(CMD, &f, c == O_JSON ? BC_FMT_JSON : BC_FMT_CSV))
                return BC_EXIT_USAGE;
            o.fmt = (int)f;
            break;
        }
        case 'o': out_path = optarg; break;
        case 'h': usage(stdout); return BC_EXIT_OK;
        default: return bc_bad_option(CMD, c, argv, opts);
        }
    }
    if (optind < argc)
        return bc_usage_error(CMD, "unexpected argument '%s' (see --help)", argv[optind]);
    if (have_gbits && bw_spec)
        return bc_usage_error(CMD, "--grad-bits and --grad-schedule are exclusive");
    char err[512];
    if (!strcmp(fw_spec, "auto"))
        o.auto_range = true;
    else if (bc_sched_parse(fw_spec, &o.fw, err, sizeof err))
        return bc_usage_error(CMD, "--schedule: %s", err);
    if (bw_spec && bc_sched_parse(bw_spec, &o.bw, err, sizeof err))
        return bc_usage_error(CMD, "--grad-schedule: %s", err);
    bc_sched_t base_fw;
    if (baseline && bc_sched_parse(baseline, &base_fw, err, sizeof err))
        return bc_usage_error(CMD, "--baseline: %s", err);
    if ((baseline || summary) && o.fmt != BC_FMT_TABLE)
        return bc_usage_error(CMD, "--%s prints a table: for --json or --csv run each training on its own",
                              baseline ? "baseline" : "summary");
    bool is_mlp = !strcmp(o.model, "mlp");
    if (o.float_only && is_mlp)
        return bc_usage_error(CMD, "--float: only for the CNN models (lenet5, resnet8, resnet20n)");
    if (layers && !is_mlp)
        return bc_usage_error(CMD, "--layers: only for --model mlp");
    if (random_split && strcmp(o.data, "digits"))
        return bc_usage_error(CMD, "--split random: only for --dataset digits (Fashion-MNIST has its own test set)");
    const char *def_layers = strcmp(o.data, "digits") ? "784-256-128-10" : "64-128-64-10";
    if (!parse_layers(layers ? layers : def_layers, &o.mlp))
        return bc_usage_error(CMD, "--layers: '%s' is not SIZE-SIZE-...-SIZE with 2 to %d positive sizes",
                              layers, BC_MLP_MAX_LAYERS + 1);
    if (bc_mlp_check_config(&o.mlp, err, sizeof err))
        return bc_usage_error(CMD, "--%s", err);
    if (!is_mlp && o.mlp.batch > 1024)
        return bc_usage_error(CMD, "--batch: CNN models take at most 1024");
    if (o.range_max_bits > 16 || o.range_max_bits < 3)
        return bc_usage_error(CMD, "--range-max-bits: must be 3..16");
    energy_ctx_t ectx;
    est_energy_default(&ectx.table);
    if (energy_path && !est_energy_load(energy_path, &ectx.table, err, sizeof err))
        return bc_usage_error(CMD, "--energy: %s", err);
    ectx.clock_hz = 200e6;
    o.energy = energy_cb;
    o.energy_ctx = &ectx;
    if (o.eval_bits == 0)
        o.eval_bits = o.auto_range ? o.range_max_bits : o.fw.hi;

    bc_dataset_t train, test;
    if (bc_data_load_named(o.data, o.data_dir, &train, &test, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    if (random_split && bc_data_resplit(&train, &test, split_seed, err, sizeof err)) {
        bc_data_free(&train);
        bc_data_free(&test);
        return bc_fail(CMD, "%s", err);
    }
    if (random_split)
        o.data = "digits-random";
    if (is_mlp && (train.dim != o.mlp.sizes[0] || train.classes > o.mlp.sizes[o.mlp.n_layers])) {
        int rc = bc_usage_error(CMD, "--layers: %s has %u inputs and %u classes; the first size must be %u and the "
                                "last at least %u",
                                o.data, train.dim, train.classes, train.dim, train.classes);
        bc_data_free(&train);
        bc_data_free(&test);
        return rc;
    }
    /* --iters without --epochs: as many epochs as the iterations need */
    uint64_t per_epoch = (train.n + o.mlp.batch - 1) / o.mlp.batch;
    if (o.max_iters && !have_epochs) {
        uint64_t need = (o.max_iters + per_epoch - 1) / per_epoch;
        if (need > 10000) {
            bc_data_free(&train);
            bc_data_free(&test);
            return bc_usage_error(CMD, "--iters: %llu iterations need %llu epochs of %llu; at most 10000 epochs",
                                  (unsigned long long)o.max_iters, (unsigned long long)need,
                                  (unsigned long long)per_epoch);
        }
        o.epochs = (unsigned)need;
    }
    uint64_t total = per_epoch * o.epochs;
    if (o.max_iters && o.max_iters < total)
        total = o.max_iters;
    if (!have_cycles)
        o.cycles = (unsigned)bc_default_cycles(total);
    else if (!o.auto_range)
        bc_warn_period(CMD, total, o.cycles);
    int rc = run_and_report(&o, &train, &test, out_path, baseline, summary);
    bc_data_free(&train);
    bc_data_free(&test);
    return rc;
}
