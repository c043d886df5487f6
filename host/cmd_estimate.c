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
#include "plot.h"
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
            "  --cycles N            schedule cycles over the run (default min(32, iterations/16))\n"
            "  --baseline SPEC       baseline forward schedule (default static:<schedule's top bits>);\n"
            "                        the baseline keeps the run's backward precision\n"
            "hardware (defaults: the RTL's default configuration):\n"
            "  --dm N --dn N --dk N  array rows, columns, bits per AND/popcount (%u, %u, %u)\n"
            "  --abuf-words N --bbuf-words N   buffer depth per bank (%u, %u)\n"
            "  --clock-mhz F         clock (%g MHz)\n"
            "  --mem-bw F            DRAM bytes per cycle (%g)\n"
            "  --mem-latency N       DRAM read latency in cycles (%u)\n"
            "  --axi-width BITS      AXI data width: 64 (default), 128, 256, 512 (one beat per cycle)\n"
            "  --queue-depth N       command queue entries (4)\n"
            "cost model:\n"
            "  --energy FILE         energy table (default: the 45 nm model at this hardware, docs/energy.md)\n"
            "  --dram TECH           DRAM energy preset: ddr3 (default), ddr4, lpddr4, hbm2\n"
            "  --calib FILE          calibration file (default build/calib.txt; recalibrated when stale)\n"
            "  --rtl-filelist FILE   RTL sources hashed for staleness (default rtl/bitcycle.f)\n"
            "  --no-calibrate        use the timing model's analytical defaults\n"
            "output:\n"
            "  --json | --csv        JSON document or per-epoch CSV rows instead of the table\n"
            "  --summary             the table without its per-epoch rows: BitOPs, cycles, hours, kJ\n"
            "  --epochs-csv FILE     also write the per-epoch CSV rows (as --csv prints them) to FILE\n"
            "  --plot FILE.png       bits per iteration; energy, latency and cumulative energy per epoch\n"
            "  -o, --output FILE     write the output atomically to FILE\n"
            "-o, --plot and --epochs-csv are written together or not at all.\n",
            hw.dm, hw.dn, hw.dk, hw.abuf_words, hw.bbuf_words, hw.clock_hz / 1e6, hw.mem_bytes_per_cycle,
            hw.mem_latency);
}

enum {
    O_MODEL = 256, O_TOPO, O_DATASET, O_SAMPLES, O_BATCH, O_EPOCHS, O_ITERS, O_SCHED, O_GBITS, O_GSCHED,
    O_CYCLES, O_BASE, O_DM, O_DN, O_DK, O_ABUF, O_BBUF, O_CLOCK, O_MEMBW, O_MEMLAT, O_ENERGY, O_CALIB, O_AXI, O_QDEPTH,
    O_FILELIST, O_NOCAL, O_JSON, O_CSV, O_PLOT, O_HELP, O_DRAM, O_SUMMARY, O_EPOCHS_CSV
};

typedef struct opts {
    const char *model, *topology, *dataset, *schedule, *grad_sched, *baseline, *energy, *calib, *filelist,
        *plot, *out, *dram, *epochs_csv;
    uint64_t samples, batch, epochs, iters, grad_bits, cycles;
    bool have_samples, have_epochs, have_iters, have_grad_bits, no_calibrate, json_and_csv, summary, have_membw;
    bc_fmt_t fmt;
    bc_hw_t hw;
} opts_t;

/* DRAM bytes of each GEMM kind, by direction. */
static void json_dram_by_kind(FILE *fp, const est_epoch_t *e)
{
    fprintf(fp, "\"dram_bytes_by_gemm\": {");
    for (unsigned k = 0; k < BC_GEMM_KINDS; k++)
        fprintf(fp, "%s\"%s\": {\"read\": %" PRIu64 ", \"write\": %" PRIu64 "}", k ? ", " : "",
                bc_gemm_kind_name((bc_gemm_kind_t)k), e->by_kind[k].dram_rd_bytes, e->by_kind[k].dram_wr_bytes);
    fprintf(fp, "}");
}

static void json_epoch(FILE *fp, const est_epoch_t *e, long index)
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
    const struct { const char *key; double v; } parts[] = {
        {"compute", e->joules.compute}, {"control", e->joules.ctrl},       {"buffers", e->joules.buffers},
        {"dram", e->joules.dram},       {"dram_read", e->joules.dram_rd}, {"dram_write", e->joules.dram_wr},
        {"static", e->joules.stat}};
    fprintf(fp, ", \"energy_breakdown_j\": {");
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        fprintf(fp, "%s\"%s\": ", i ? ", " : "", parts[i].key);
        bc_json_num(fp, parts[i].v);
    }
    fprintf(fp, "}, ");
    json_dram_by_kind(fp, e);
    const bc_events_t *v = &e->ev;
    /* every counter of the register description, by name (busy equals cycles) */
    fprintf(fp, ", \"events\": {\"cycles\": %" PRIu64, v->cycles);
#define EVENT_JSON(name, off, unit, desc) \
    if (strcmp(#name, "busy") != 0) \
        fprintf(fp, ", \"" #name "\": %" PRIu64, v->name);
    BC_COUNTERS(EVENT_JSON)
#undef EVENT_JSON
    fprintf(fp, "}}");
}

static void json_series(FILE *fp, const char *key, const char *fw, const char *bw, const est_run_t *r)
{
    fprintf(fp, "  \"%s\": {\"schedule\": ", key);
    bc_json_str(fp, fw);
    fprintf(fp, ", \"grad_schedule\": ");
    bc_json_str(fp, bw);
    fprintf(fp, ",\n    \"total\": ");
    json_epoch(fp, &r->total, -1);
    fprintf(fp, ",\n    \"epochs\": [");
    for (size_t i = 0; i < r->n_epochs; i++) {
        fprintf(fp, "%s\n      ", i ? "," : "");
        json_epoch(fp, &r->epochs[i], (long)i);
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
        fprintf(fp, "%s,%zu,%" PRIu64 ",%" PRIu64 ",%.6f,%.6f,%.6e,%" PRIu64 ",%.9g,%.9g,%.9g,%.9g,%.9g,%.9g", series,
                i + 1, e->first_iter, e->iters, e->mean_fw_bits, e->mean_bw_bits, e->bitops, e->ev.cycles,
                e->latency_s, e->joules.total, e->joules.compute, e->joules.buffers, e->joules.dram, e->joules.stat);
        for (unsigned k = 0; k < BC_GEMM_KINDS; k++)
            fprintf(fp, ",%" PRIu64 ",%" PRIu64, e->by_kind[k].dram_rd_bytes, e->by_kind[k].dram_wr_bytes);
        fprintf(fp, "\n");
    }
}

/* Copy src to dst (both regular files); false on any error. */
/* Four panels, run against baseline: forward bits per iteration; energy and
 * latency per iteration of each epoch (a partial last epoch is then no drop);
 * cumulative energy. Data go inline, the title as a quoted literal (plot.h).
 * The PNG is rendered into `out`, committed with -o (all or none). */
static void plot_panels(bc_plot_t *p, const uint8_t *run_bits, const uint8_t *base_bits, uint64_t iters,
                        unsigned top_bits, const est_run_t *run, const est_run_t *base)
{
    bc_plot_block_begin(p, "prec");
    for (uint64_t t = 0; t < iters; t++) /* only where a precision changes: steps */
        if (t == 0 || t + 1 == iters || run_bits[t] != run_bits[t - 1] || base_bits[t] != base_bits[t - 1])
            bc_plot_cmd(p, "%" PRIu64 " %u %u\n", t, run_bits[t], base_bits[t]);
    bc_plot_block_end(p);
    bc_plot_block_begin(p, "epochs");
    double cum_r = 0, cum_b = 0;
    size_t ne = run->n_epochs < base->n_epochs ? run->n_epochs : base->n_epochs;
    for (size_t i = 0; i < ne; i++) {
        const est_epoch_t *r = &run->epochs[i], *b = &base->epochs[i];
        cum_r += r->joules.total;
        cum_b += b->joules.total;
        bc_plot_cmd(p, "%zu %.9g %.9g %.9g %.9g %.9g %.9g\n", i + 1, r->joules.total / (double)r->iters,
                    b->joules.total / (double)b->iters, 1e3 * r->latency_s / (double)r->iters,
                    1e3 * b->latency_s / (double)b->iters, cum_r / 1e3, cum_b / 1e3);
    }
    bc_plot_block_end(p);
    bc_plot_cmd(p, "set key top right\nset grid\n"
                   "set xlabel 'iteration'\nset ylabel 'forward bits'\nset xrange [0:%" PRIu64 "]\n"
                   "set yrange [0:%u]\n"
                   "plot $prec using 1:3 with steps lw 2 title 'baseline', $prec using 1:2 with steps lw 1 title 'run'\n",
                iters ? iters - 1 : 1, top_bits + 1);
    bc_plot_cmd(p, "set xlabel 'epoch (per iteration: a partial last epoch is no drop)'\n"
                   "set xrange [0.5:%zu.5]\nset yrange [0:*]\nset key bottom right\n"
                   "set ylabel 'energy per iteration (J)'\n"
                   "plot $epochs using 1:3 with linespoints lw 2 title 'baseline', $epochs using 1:2 with "
                   "linespoints lw 2 title 'run'\n"
                   "set ylabel 'latency per iteration (ms)'\n"
                   "plot $epochs using 1:5 with linespoints lw 2 title 'baseline', $epochs using 1:4 with "
                   "linespoints lw 2 title 'run'\n"
                   "set xlabel 'epoch'\nset ylabel 'cumulative energy (kJ)'\nset key top left\n"
                   "plot $epochs using 1:7 with lines lw 2 title 'baseline', $epochs using 1:6 with lines lw 2 "
                   "title 'run'\n",
                ne);
}

static bool plot(bc_out_t *out, const uint8_t *run_bits, const uint8_t *base_bits, uint64_t iters,
                 unsigned top_bits, const est_run_t *run, const est_run_t *base, const char *title, char *err,
                 size_t errlen)
{
    bc_plot_t p;
    if (!bc_plot_begin(&p, 1200, 800, 10, err, errlen))
        return false;
    bc_plot_cmd(&p, "set multiplot layout 2,2 title ");
    bc_plot_str(&p, title);
    bc_plot_cmd(&p, "\n");
    plot_panels(&p, run_bits, base_bits, iters, top_bits, run, base);
    bc_plot_cmd(&p, "unset multiplot\n");
    bool ok = bc_plot_render(&p, out, err, errlen);
    bc_plot_free(&p);
    return ok;
}

/* ------------------------------------------------------------------ */
/* parse                                                               */
/* ------------------------------------------------------------------ */

static const struct option long_opts[] = {
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
    {"axi-width", required_argument, NULL, O_AXI},   {"queue-depth", required_argument, NULL, O_QDEPTH},
    {"energy", required_argument, NULL, O_ENERGY},   {"calib", required_argument, NULL, O_CALIB},
    {"dram", required_argument, NULL, O_DRAM},
    {"rtl-filelist", required_argument, NULL, O_FILELIST},
    {"no-calibrate", no_argument, NULL, O_NOCAL},    {"json", no_argument, NULL, O_JSON},
    {"csv", no_argument, NULL, O_CSV},               {"plot", required_argument, NULL, O_PLOT},
    {"summary", no_argument, NULL, O_SUMMARY},       {"epochs-csv", required_argument, NULL, O_EPOCHS_CSV},
    {"output", required_argument, NULL, 'o'},        {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0}};

static void opts_default(opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->dataset = "cifar10";
    o->schedule = "cpt:3-8";
    o->batch = 128;
    o->grad_bits = 8;
    o->cycles = 0; /* 0: bc_default_cycles of the run length */
    o->calib = "build/calib.txt";
    o->filelist = "rtl/bitcycle.f";
    o->out = "-";
    bc_hw_default(&o->hw);
}

/* An unsigned hardware option into *dst; false after reporting a usage error. */
static bool hw_uint(const char *opt, const char *arg, uint64_t lo, uint64_t hi, unsigned *dst)
{
    uint64_t u;
    if (!bc_parse_u64(CMD, opt, arg, lo, hi, &u))
        return false;
    *dst = (unsigned)u;
    return true;
}

/* One numeric option; false after reporting a usage error. */
static bool parse_number(opts_t *o, int c, const char *arg)
{
    double d;
    switch (c) {
    case O_SAMPLES: return (o->have_samples = bc_parse_u64(CMD, "--samples", arg, 1, 1ull << 40, &o->samples));
    case O_BATCH: return bc_parse_u64(CMD, "--batch", arg, 1, 1u << 20, &o->batch);
    case O_EPOCHS: return (o->have_epochs = bc_parse_u64(CMD, "--epochs", arg, 1, 1000000, &o->epochs));
    case O_ITERS: return (o->have_iters = bc_parse_u64(CMD, "--iters", arg, 1, 1ull << 32, &o->iters));
    case O_GBITS:
        return (o->have_grad_bits = bc_parse_u64(CMD, "--grad-bits", arg, 1, EST_MAX_BITS, &o->grad_bits));
    case O_CYCLES: return bc_parse_u64(CMD, "--cycles", arg, 1, 1000000, &o->cycles);
    case O_DM: return hw_uint("--dm", arg, 1, 1024, &o->hw.dm);
    case O_DN: return hw_uint("--dn", arg, 1, 1024, &o->hw.dn);
    case O_DK: return hw_uint("--dk", arg, 1, 4096, &o->hw.dk);
    case O_ABUF: return hw_uint("--abuf-words", arg, 2, 1u << 24, &o->hw.abuf_words);
    case O_BBUF: return hw_uint("--bbuf-words", arg, 2, 1u << 24, &o->hw.bbuf_words);
    case O_MEMLAT: return hw_uint("--mem-latency", arg, 0, 100000, &o->hw.mem_latency);
    case O_CLOCK:
        if (!bc_parse_double(CMD, "--clock-mhz", arg, 1e-3, 1e5, &d))
            return false;
        o->hw.clock_hz = d * 1e6;
        return true;
    case O_MEMBW: return (o->have_membw = bc_parse_double(CMD, "--mem-bw", arg, 1e-3, 64.0, &o->hw.mem_bytes_per_cycle));
    case O_QDEPTH: return hw_uint("--queue-depth", arg, 1, 64, &o->hw.queue_depth);
    case O_AXI: {
        uint64_t w;
        if (!bc_parse_u64(CMD, "--axi-width", arg, 64, 512, &w))
            return false;
        if (w != 64 && w != 128 && w != 256 && w != 512) {
            bc_usage_error(CMD, "--axi-width: %llu is not one of 64, 128, 256, 512", (unsigned long long)w);
            return false;
        }
        o->hw.bus_bytes = (unsigned)(w / 8);
        if (!o->have_membw) /* one beat per cycle unless --mem-bw says otherwise */
            o->hw.mem_bytes_per_cycle = (double)o->hw.bus_bytes;
        return true;
    }
    }
    return false;
}

/* Options that combine badly, after all are read. */
static int check_opts(const opts_t *o)
{
    if (!o->model && !o->topology)
        return bc_usage_error(CMD, "--model NAME|FILE or --topology FILE is required");
    if (o->model && o->topology)
        return bc_usage_error(CMD, "--model and --topology are exclusive");
    if (o->have_epochs && o->have_iters)
        return bc_usage_error(CMD, "--epochs and --iters are exclusive");
    if (o->have_grad_bits && o->grad_sched)
        return bc_usage_error(CMD, "--grad-bits and --grad-schedule are exclusive");
    if (o->json_and_csv)
        return bc_usage_error(CMD, "--json and --csv are exclusive");
    if (o->plot && (strlen(o->plot) < 5 || strcmp(o->plot + strlen(o->plot) - 4, ".png")))
        return bc_usage_error(CMD, "--plot: '%s' must name a .png file", o->plot);
    unsigned bus = o->hw.bus_bytes ? o->hw.bus_bytes : 8;
    if (o->hw.mem_bytes_per_cycle > bus)
        return bc_usage_error(CMD, "--mem-bw: %g bytes per cycle is more than the %u-bit bus moves (%u)",
                              o->hw.mem_bytes_per_cycle, 8 * bus, bus);
    return -1;
}

/* Returns -1 to go on, else the exit code (help printed or a usage error). */
static int parse_opts(int argc, char **argv, opts_t *o)
{
    opts_default(o);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:h", long_opts, NULL)) != -1) {
        switch (c) {
        case O_MODEL: o->model = optarg; break;
        case O_TOPO: o->topology = optarg; break;
        case O_DATASET: o->dataset = optarg; break;
        case O_SCHED: o->schedule = optarg; break;
        case O_GSCHED: o->grad_sched = optarg; break;
        case O_BASE: o->baseline = optarg; break;
        case O_ENERGY: o->energy = optarg; break;
        case O_DRAM: o->dram = optarg; break;
        case O_CALIB: o->calib = optarg; break;
        case O_FILELIST: o->filelist = optarg; break;
        case O_NOCAL: o->no_calibrate = true; break;
        case O_JSON:
        case O_CSV:
            o->json_and_csv |= o->fmt != BC_FMT_TABLE && o->fmt != (c == O_JSON ? BC_FMT_JSON : BC_FMT_CSV);
            o->fmt = c == O_JSON ? BC_FMT_JSON : BC_FMT_CSV;
            break;
        case O_PLOT: o->plot = optarg; break;
        case O_SUMMARY: o->summary = true; break;
        case O_EPOCHS_CSV: o->epochs_csv = optarg; break;
        case 'o': o->out = optarg; break;
        case 'h':
        case O_HELP: usage(stdout); return BC_EXIT_OK;
        case ':': return bc_usage_error(CMD, "%s needs a value", argv[optind - 1]);
        case '?':
            return bc_usage_error(CMD, "unknown option '%s' (see bitcycle estimate --help)", argv[optind - 1]);
        default:
            if (!parse_number(o, c, optarg))
                return BC_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return bc_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    return check_opts(o);
}

/* ------------------------------------------------------------------ */
/* build                                                               */
/* ------------------------------------------------------------------ */

/* Everything an estimate computes and prints. */
typedef struct estimate {
    opts_t o;
    const dataset_t *ds;
    uint64_t samples;
    bc_sched_t fw, bw, base_fw, base_bw;
    char s_fw[32], s_bw[32], s_bfw[32], s_bbw[32];
    est_model_t model;
    bool have_model;
    est_run_ctx_t *ctx;
    uint8_t *run_bits, *base_bits;
    est_run_t run, base;
    char calib_note[768];
    bc_out_t plot_out; /* rendered, committed together with -o */
    bool have_plot;
} estimate_t;

static int build_schedules(estimate_t *e)
{
    char err[256];
    const opts_t *o = &e->o;
    if (bc_sched_parse(o->schedule, &e->fw, err, sizeof err))
        return bc_usage_error(CMD, "--schedule: %s", err);
    if (o->grad_sched) {
        if (bc_sched_parse(o->grad_sched, &e->bw, err, sizeof err))
            return bc_usage_error(CMD, "--grad-schedule: %s", err);
    } else {
        e->bw = bc_sched_static((unsigned)o->grad_bits);
    }
    if (o->baseline) {
        if (bc_sched_parse(o->baseline, &e->base_fw, err, sizeof err))
            return bc_usage_error(CMD, "--baseline: %s", err);
    } else {
        e->base_fw = bc_sched_static(e->fw.hi);
    }
    e->base_bw = e->bw; /* the baseline keeps the run's backward precision */
    bc_sched_format(&e->fw, e->s_fw, sizeof e->s_fw);
    bc_sched_format(&e->bw, e->s_bw, sizeof e->s_bw);
    bc_sched_format(&e->base_fw, e->s_bfw, sizeof e->s_bfw);
    bc_sched_format(&e->base_bw, e->s_bbw, sizeof e->s_bbw);
    return -1;
}

/* Data set, schedules, model and run length. */
static int build_workload(estimate_t *e)
{
    opts_t *o = &e->o;
    for (size_t i = 0; datasets[i].name; i++)
        if (!strcmp(datasets[i].name, o->dataset))
            e->ds = &datasets[i];
    if (!e->ds)
        return bc_usage_error(CMD, "--dataset: unknown preset '%s' (known: cifar10, cifar100, imagenet, "
                                   "fashion-mnist, ptb; or give --samples N)", o->dataset);
    e->samples = o->have_samples ? o->samples : e->ds->samples;
    int rc = build_schedules(e);
    if (rc >= 0)
        return rc;
    char err[1024];
    bool ok = o->topology ? est_topology_load(o->topology, &e->model, err, sizeof err)
                          : est_model_resolve(o->model, e->ds->classes, &e->model, err, sizeof err);
    if (!ok)
        return bc_usage_error(CMD, "%s: %s", o->topology ? "--topology" : "--model", err);
    e->have_model = true;
    est_run_ctx_t *ctx = e->ctx = calloc(1, sizeof *e->ctx);
    if (!ctx)
        return bc_fail(CMD, "out of memory");
    ctx->model = &e->model;
    ctx->hw = o->hw;
    ctx->batch = o->batch;
    ctx->iters_per_epoch = (e->samples + o->batch - 1) / o->batch;
    ctx->iters = o->have_epochs ? o->epochs * ctx->iters_per_epoch : o->have_iters ? o->iters : 64000;
    if (!o->cycles)
        o->cycles = bc_default_cycles(ctx->iters);
    ctx->cycles = (unsigned)o->cycles;
    if (ctx->iters / ctx->iters_per_epoch > 10000000)
        return bc_usage_error(CMD, "--iters: %" PRIu64 " iterations is more than 10^7 epochs", ctx->iters);
    /* 64-bit event counters: refuse workloads whose BitOPs would overflow them */
    unsigned f = e->fw.hi > e->base_fw.hi ? e->fw.hi : e->base_fw.hi, b = e->bw.hi;
    double bitops = (double)est_model_macs(&e->model) * (double)o->batch * (double)ctx->iters *
                    (double)bc_sched_bitops_factor(f, b);
    if (bitops > 1e21)
        return bc_usage_error(CMD, "workload too large: %.3g BitOPs would overflow the 64-bit event counts "
                                   "(reduce --iters/--epochs, --batch or the model)", bitops);
    return -1;
}

/* Energy table and calibration. */
static int build_costs(estimate_t *e)
{
    const opts_t *o = &e->o;
    est_run_ctx_t *ctx = e->ctx;
    char err[1024];
    const est_dram_preset_t *dram = o->dram ? est_dram_find(o->dram) : NULL;
    if (o->dram && !dram)
        return bc_usage_error(CMD, "--dram: unknown preset '%s' (known: ddr3, ddr4, lpddr4, hbm2)", o->dram);
    if (o->energy) {
        if (!est_energy_load(o->energy, &ctx->energy, err, sizeof err))
            return bc_usage_error(CMD, "--energy: %s", err);
        if (dram) { /* the explicit preset wins over the table's DRAM entry */
            ctx->energy.dram_byte_pj = dram->pj_per_bit * 8;
            size_t len = strlen(ctx->energy.source);
            snprintf(ctx->energy.source + len, sizeof ctx->energy.source - len, ", DRAM %s %.3g pJ/bit",
                     dram->name, dram->pj_per_bit);
        }
    } else {
        est_energy_for_hw(&ctx->energy, &o->hw, dram);
    }
    if (o->no_calibrate) {
        bc_calib_default(&ctx->cal);
        snprintf(e->calib_note, sizeof e->calib_note,
                 "analytical defaults (--no-calibrate): not calibrated on the RTL");
    } else if (!est_calib_obtain_for(&o->hw, o->calib, o->filelist, true, &ctx->cal, e->calib_note,
                                     sizeof e->calib_note, err, sizeof err)) {
        return bc_fail(CMD, "calibration: %s", err);
    }
    bc_hw_t def;
    bc_hw_default(&def);
    char a[160], b[160];
    est_hw_config_str(&def, a, sizeof a);
    est_hw_config_str(&o->hw, b, sizeof b);
    if (strcmp(a, b) && o->no_calibrate) { /* otherwise this configuration's own calibration is used */
        size_t len = strlen(e->calib_note);
        snprintf(e->calib_note + len, sizeof e->calib_note - len,
                 "; hardware differs from the RTL's default configuration, overheads extrapolated");
    }
    if (o->plot) {
        e->run_bits = malloc(ctx->iters);
        e->base_bits = malloc(ctx->iters);
        if (!e->run_bits || !e->base_bits)
            return bc_fail(CMD, "--plot: out of memory for %" PRIu64 " iterations", ctx->iters);
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* run                                                                 */
/* ------------------------------------------------------------------ */

static bool is_static(const bc_sched_t *s)
{
    return s->family == BC_SCHED_STATIC || s->lo == s->hi;
}

static int run_estimate(estimate_t *e)
{
    est_run_ctx_t *ctx = e->ctx;
    char err[1024];
    /* bc_sched_bits clamps T = floor(iters / cycles) to 1: say so, in the
     * schedule command's words */
    bool cyclic = !is_static(&e->fw) || !is_static(&e->bw) || !is_static(&e->base_fw);
    if (cyclic)
        bc_warn_period(CMD, ctx->iters, e->o.cycles);
    ctx->precision_trace = e->run_bits;
    if (!est_run(ctx, &e->fw, &e->bw, &e->run, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    ctx->precision_trace = e->base_bits;
    if (!est_run(ctx, &e->base_fw, &e->base_bw, &e->base, err, sizeof err))
        return bc_fail(CMD, "baseline: %s", err);
    if (e->o.plot) {
        char title[256];
        snprintf(title, sizeof title, "%s, %s/%s vs %s/%s: energy saving %.1f%%", e->model.name, e->s_fw, e->s_bw,
                 e->s_bfw, e->s_bbw, 100.0 * saving(e->run.total.joules.total, e->base.total.joules.total));
        unsigned top = e->fw.hi > e->base_fw.hi ? e->fw.hi : e->base_fw.hi;
        if (!bc_out_open(&e->plot_out, e->o.plot, err, sizeof err))
            return bc_fail(CMD, "--plot: %s", err);
        e->have_plot = true;
        if (!plot(&e->plot_out, e->run_bits, e->base_bits, ctx->iters, top, &e->run, &e->base, title, err,
                  sizeof err))
            return bc_fail(CMD, "--plot %s: %s", e->o.plot, err);
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* emit                                                                */
/* ------------------------------------------------------------------ */

/* The energy parts whose savings explain the energy saving. */
typedef struct energy_part {
    const char *key, *name; /* JSON key, words for the sentence */
    double run, base;
} energy_part_t;

static size_t energy_parts(const est_epoch_t *rt, const est_epoch_t *bt, energy_part_t p[6])
{
    const est_joules_t *r = &rt->joules, *b = &bt->joules;
    p[0] = (energy_part_t){"compute", "compute", r->compute - r->ctrl, b->compute - b->ctrl};
    p[1] = (energy_part_t){"control", "control", r->ctrl, b->ctrl};
    p[2] = (energy_part_t){"buffers", "on-chip buffers", r->buffers, b->buffers};
    p[3] = (energy_part_t){"dram_read", "DRAM reads", r->dram_rd, b->dram_rd};
    p[4] = (energy_part_t){"dram_write", "DRAM write-back", r->dram_wr, b->dram_wr};
    p[5] = (energy_part_t){"static", "static power", r->stat, b->stat};
    return 6;
}

/* One sentence from the run's own breakdown: the energy saving is the
 * baseline shares times each part's saving, so the part with the largest
 * share x (BitOPs saving - part saving) explains most of the gap. */
static void explain_gap(char *buf, size_t len, const est_epoch_t *rt, const est_epoch_t *bt)
{
    double sb = saving(rt->bitops, bt->bitops), se = saving(rt->joules.total, bt->joules.total);
    buf[0] = '\0';
    if (bt->joules.total <= 0)
        return;
    if (se >= sb - 0.005) {
        snprintf(buf, len, "energy saves as much as BitOPs (%.1f%% vs %.1f%%)", 100 * se, 100 * sb);
        return;
    }
    energy_part_t p[6];
    size_t n = energy_parts(rt, bt, p), worst = 0;
    double worst_gap = -1;
    for (size_t i = 0; i < n; i++) {
        double gap = p[i].base / bt->joules.total * (sb - saving(p[i].run, p[i].base));
        if (gap > worst_gap)
            worst_gap = gap, worst = i;
    }
    double share = p[worst].base / bt->joules.total, s = saving(p[worst].run, p[worst].base);
    char tail[64];
    if (fabs(s) < 0.005)
        snprintf(tail, sizeof tail, "does not scale with precision");
    else
        snprintf(tail, sizeof tail, "saves only %.1f%%", 100 * s);
    snprintf(buf, len, "energy saves less than BitOPs (%.1f%% vs %.1f%%) mostly because of %s (%.1f%% of baseline "
                       "energy), whose energy %s",
             100 * se, 100 * sb, p[worst].name, 100 * share, tail);
}

/* Each part's share of the baseline energy and its own saving. */
static void json_parts(FILE *fp, const est_epoch_t *rt, const est_epoch_t *bt)
{
    energy_part_t p[6];
    size_t n = energy_parts(rt, bt, p);
    fprintf(fp, "\"energy_parts\": {");
    for (size_t i = 0; i < n; i++) {
        fprintf(fp, "%s", i ? ", " : "");
        fprintf(fp, "\"%s\": {\"baseline_share\": ", p[i].key);
        bc_json_num(fp, bt->joules.total > 0 ? p[i].base / bt->joules.total : 0.0);
        fprintf(fp, ", \"saving\": ");
        bc_json_num(fp, saving(p[i].run, p[i].base));
        fprintf(fp, "}");
    }
    fprintf(fp, "}");
}

static void table_dram(FILE *fp, const char *label, const est_epoch_t *e)
{
    fprintf(fp, "%-9s", label);
    for (unsigned k = 0; k < BC_GEMM_KINDS; k++)
        fprintf(fp, " %12.4e %12.4e", (double)e->by_kind[k].dram_rd_bytes, (double)e->by_kind[k].dram_wr_bytes);
    fprintf(fp, "\n");
}

/* The answer in one screen: the two runs' totals and each saving. */
static void emit_summary(FILE *fp, const estimate_t *e)
{
    const est_epoch_t *rt = &e->run.total, *bt = &e->base.total;
    char rl[80], bl[80];
    snprintf(rl, sizeof rl, "run %s/%s", e->s_fw, e->s_bw);
    snprintf(bl, sizeof bl, "baseline %s/%s", e->s_bfw, e->s_bbw);
    fprintf(fp, "%-30s %12s %16s %10s %10s\n", "", "BitOPs", "cycles", "hours", "kJ");
    fprintf(fp, "%-30s %12.4e %16" PRIu64 " %10.2f %10.2f\n", bl, bt->bitops, bt->ev.cycles, bt->latency_s / 3600.0,
            bt->joules.total / 1e3);
    fprintf(fp, "%-30s %12.4e %16" PRIu64 " %10.2f %10.2f\n", rl, rt->bitops, rt->ev.cycles, rt->latency_s / 3600.0,
            rt->joules.total / 1e3);
    fprintf(fp, "%-30s %11.2f%% %15.2f%% %9.2f%% %9.2f%%\n", "saving (1 - run/baseline)",
            100.0 * saving(rt->bitops, bt->bitops), 100.0 * saving((double)rt->ev.cycles, (double)bt->ev.cycles),
            100.0 * saving(rt->latency_s, bt->latency_s), 100.0 * saving(rt->joules.total, bt->joules.total));
    char why[320];
    explain_gap(why, sizeof why, rt, bt);
    if (why[0])
        fprintf(fp, "why        %s\n", why);
}

static void emit_table(FILE *fp, const estimate_t *e)
{
    const opts_t *o = &e->o;
    const est_run_ctx_t *ctx = e->ctx;
    const est_epoch_t *rt = &e->run.total, *bt = &e->base.total;
    char cfg[160];
    est_hw_config_str(&o->hw, cfg, sizeof cfg);
    fprintf(fp, "model      %s (%s, %zu layers, %.4g MMACs/sample)\n", e->model.name, e->model.source, e->model.n,
            (double)est_model_macs(&e->model) / 1e6);
    fprintf(fp, "data       %s: %" PRIu64 " samples, batch %" PRIu64 ", %" PRIu64 " iterations/epoch, %" PRIu64
                " iterations in %zu epochs\n",
            o->have_samples ? "custom" : e->ds->name, e->samples, o->batch, ctx->iters_per_epoch, ctx->iters,
            e->run.n_epochs);
    fprintf(fp, "run        forward %s, backward %s, %u cycles\n", e->s_fw, e->s_bw, ctx->cycles);
    fprintf(fp, "baseline   forward %s, backward %s\n", e->s_bfw, e->s_bbw);
    fprintf(fp, "hardware   %s, %.4g MHz\n", cfg, o->hw.clock_hz / 1e6);
    fprintf(fp, "calibration %s (job %.3g, block %.3g, tile %.3g cycles)\n", e->calib_note, ctx->cal.job_overhead,
            ctx->cal.block_overhead, ctx->cal.tile_overhead);
    fprintf(fp, "energy     %s\n\n", ctx->energy.source);
    if (o->summary) {
        emit_summary(fp, e);
        return;
    }
    fprintf(fp, "%-9s %7s %6s %11s %15s %12s %10s %10s %11s %10s %11s\n", "epoch", "iters", "fwbits", "BitOPs",
            "cycles", "latency_s", "compute_J", "buffers_J", "dram_J", "static_J", "energy_J");
    for (size_t i = 0; i < e->run.n_epochs; i++) {
        char lab[24];
        snprintf(lab, sizeof lab, "%zu", i + 1);
        table_row(fp, lab, &e->run.epochs[i]);
    }
    table_row(fp, "total", rt);
    table_row(fp, "baseline", bt);
    fprintf(fp, "\n%-9s %12s %12s %12s %12s %12s %12s\n", "DRAM B", "forward_rd", "forward_wr", "error_rd",
            "error_wr", "wgrad_rd", "wgrad_wr");
    table_dram(fp, "total", rt);
    table_dram(fp, "baseline", bt);
    fprintf(fp, "savings   BitOPs %.2f%%, cycles %.2f%%, latency %.2f%%, energy %.2f%% (1 - run/baseline)\n",
            100.0 * saving(rt->bitops, bt->bitops), 100.0 * saving((double)rt->ev.cycles, (double)bt->ev.cycles),
            100.0 * saving(rt->latency_s, bt->latency_s), 100.0 * saving(rt->joules.total, bt->joules.total));
    char why[320];
    explain_gap(why, sizeof why, rt, bt);
    if (why[0])
        fprintf(fp, "why        %s\n", why);
}

static void json_inputs(FILE *fp, const estimate_t *e)
{
    const opts_t *o = &e->o;
    const est_run_ctx_t *ctx = e->ctx;
    fprintf(fp, "{\n  \"inputs\": {\"model\": ");
    bc_json_str(fp, e->model.name);
    fprintf(fp, ", \"model_source\": \"%s\", \"layers\": %zu, \"macs_per_sample\": %" PRIu64 ", \"dataset\": ",
            e->model.source, e->model.n, est_model_macs(&e->model));
    bc_json_str(fp, o->have_samples ? "custom" : e->ds->name);
    fprintf(fp, ", \"samples\": %" PRIu64 ", \"batch\": %" PRIu64 ", \"iterations\": %" PRIu64
                ", \"iterations_per_epoch\": %" PRIu64 ", \"epochs\": %zu, \"cycles\": %u",
            e->samples, o->batch, ctx->iters, ctx->iters_per_epoch, e->run.n_epochs, ctx->cycles);
    fprintf(fp, ",\n    \"schedule\": \"%s\", \"grad_schedule\": \"%s\", \"baseline\": \"%s\", \"baseline_grad\": \"%s\"",
            e->s_fw, e->s_bw, e->s_bfw, e->s_bbw);
    fprintf(fp, ",\n    \"hardware\": {\"dm\": %u, \"dn\": %u, \"dk\": %u, \"abuf_words\": %u, \"bbuf_words\": %u, "
                "\"queue_depth\": %u, \"clock_hz\": ",
            o->hw.dm, o->hw.dn, o->hw.dk, o->hw.abuf_words, o->hw.bbuf_words, o->hw.queue_depth);
    bc_json_num(fp, o->hw.clock_hz);
    fprintf(fp, ", \"mem_bytes_per_cycle\": ");
    bc_json_num(fp, o->hw.mem_bytes_per_cycle);
    fprintf(fp, ", \"mem_latency\": %u}", o->hw.mem_latency);
    fprintf(fp, ",\n    \"calibration\": {\"note\": ");
    bc_json_str(fp, e->calib_note);
    fprintf(fp, ", \"job_overhead\": ");
    bc_json_num(fp, ctx->cal.job_overhead);
    fprintf(fp, ", \"block_overhead\": ");
    bc_json_num(fp, ctx->cal.block_overhead);
    fprintf(fp, ", \"tile_overhead\": ");
    bc_json_num(fp, ctx->cal.tile_overhead);
    fprintf(fp, "},\n    \"energy_table\": ");
    bc_json_str(fp, ctx->energy.source);
    fprintf(fp, "},\n");
}

static void emit_json(FILE *fp, const estimate_t *e)
{
    const est_epoch_t *rt = &e->run.total, *bt = &e->base.total;
    json_inputs(fp, e);
    json_series(fp, "run", e->s_fw, e->s_bw, &e->run);
    fprintf(fp, ",\n");
    json_series(fp, "baseline", e->s_bfw, e->s_bbw, &e->base);
    fprintf(fp, ",\n  \"savings\": {\"bitops\": ");
    bc_json_num(fp, saving(rt->bitops, bt->bitops));
    fprintf(fp, ", \"cycles\": ");
    bc_json_num(fp, saving((double)rt->ev.cycles, (double)bt->ev.cycles));
    fprintf(fp, ", \"latency\": ");
    bc_json_num(fp, saving(rt->latency_s, bt->latency_s));
    fprintf(fp, ", \"energy\": ");
    bc_json_num(fp, saving(rt->joules.total, bt->joules.total));
    char why[320];
    explain_gap(why, sizeof why, rt, bt);
    fprintf(fp, ",\n    \"why\": ");
    bc_json_str(fp, why);
    fprintf(fp, ", ");
    json_parts(fp, rt, bt);
    fprintf(fp, "}\n}\n");
}

static void emit_csv(FILE *fp, const estimate_t *e)
{
    fprintf(fp, "series,epoch,first_iteration,iterations,mean_fw_bits,mean_bw_bits,bitops,cycles,latency_s,"
                "energy_j,compute_j,buffers_j,dram_j,static_j");
    for (unsigned k = 0; k < BC_GEMM_KINDS; k++) {
        const char *n = bc_gemm_kind_name((bc_gemm_kind_t)k);
        fprintf(fp, ",dram_rd_%s_bytes,dram_wr_%s_bytes", n, n);
    }
    fprintf(fp, "\n");
    csv_rows(fp, "run", &e->run);
    csv_rows(fp, "baseline", &e->base);
}

static int emit(estimate_t *e)
{
    char err[1024];
    bc_out_t out;
    if (!bc_out_open(&out, e->o.out, err, sizeof err))
        return bc_fail(CMD, "-o: %s", err);
    if (e->o.fmt == BC_FMT_JSON)
        emit_json(out.fp, e);
    else if (e->o.fmt == BC_FMT_CSV)
        emit_csv(out.fp, e);
    else
        emit_table(out.fp, e);
    bc_out_t ecsv;
    bool have_ecsv = e->o.epochs_csv != NULL;
    if (have_ecsv && !bc_out_open(&ecsv, e->o.epochs_csv, err, sizeof err)) {
        bc_out_abort(&out);
        return bc_fail(CMD, "--epochs-csv: %s", err);
    }
    if (have_ecsv)
        emit_csv(ecsv.fp, e);
    /* -o, --plot and --epochs-csv: all or none */
    bc_out_t *outs[3] = {&out, e->have_plot ? &e->plot_out : NULL, have_ecsv ? &ecsv : NULL};
    e->have_plot = false;
    if (!bc_out_commit_all(outs, 3, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    return BC_EXIT_OK;
}

static void estimate_free(estimate_t *e)
{
    if (e->have_plot)
        bc_out_abort(&e->plot_out);
    est_run_free(&e->run);
    est_run_free(&e->base);
    free(e->run_bits);
    free(e->base_bits);
    free(e->ctx);
    if (e->have_model)
        est_model_free(&e->model);
}

int cmd_estimate(int argc, char **argv)
{
    estimate_t *e = calloc(1, sizeof *e);
    if (!e)
        return bc_fail(CMD, "out of memory");
    int rc = parse_opts(argc, argv, &e->o);
    if (rc < 0)
        rc = build_workload(e);
    if (rc < 0)
        rc = build_costs(e);
    if (rc < 0)
        rc = run_estimate(e);
    if (rc < 0)
        rc = emit(e);
    estimate_free(e);
    free(e);
    return rc;
}
