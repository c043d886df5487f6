/* bitcycle schedule: print a forward/backward precision schedule. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bc_schedule.h"
#include "cli.h"
#include "plot.h"

static const char *const CMD = "schedule";

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: bitcycle schedule [options]\n"
            "Print a precision schedule: a summary (default), --json, or --csv per iteration.\n\n"
            "  --schedule SPEC       forward schedule (default cpt:3-8). Families: static:B, cpt:LO-HI (= cos),\n"
            "                        cos-tri, lin, lin-tri, exp, exp-tri, prog (rises only); see docs/firmware.md\n"
            "  --grad-bits N         constant backward (error) precision, 1..16 (default 8)\n"
            "  --grad-schedule SPEC  backward schedule instead of --grad-bits\n"
            "  --cycles N            number of precision cycles N (default min(32, iters/16))\n"
            "  --iters T             total training iterations (default 64000, the paper's CIFAR run)\n"
            "  --json | --csv        output format (csv header: iteration,fw_bits,bw_bits)\n"
            "  --plot FILE.png       also draw the schedule with gnuplot\n"
            "  -o, --output FILE     write the output atomically to FILE (default stdout)\n"
            "  -h, --help            this text\n\n"
            "The BitOPs factor is sum(b_fw^2 + 2 b_fw b_bw) over the run divided by the same sum for the\n"
            "static schedule at both upper bounds (forward, error back-propagation and weight-gradient GEMMs).\n");
}

static int plot_schedule(const char *png, const bc_sched_t *fw, const bc_sched_t *bw, uint64_t iters,
                         unsigned cycles)
{
    char err[512];
    bc_plot_t p;
    if (!bc_plot_begin(&p, 900, 360, 10, err, sizeof err))
        return bc_fail(CMD, "--plot: %s", err);
    char fws[64], bws[64], title[256];
    bc_sched_format(fw, fws, sizeof fws);
    bc_sched_format(bw, bws, sizeof bws);
    snprintf(title, sizeof title, "forward %s, backward %s, %llu iterations, %u cycles", fws, bws,
             (unsigned long long)iters, cycles);
    bc_plot_block_begin(&p, "sched");
    /* One row per precision change (and the last iteration): steps need no more. */
    unsigned pf = 0, pb = 0;
    for (uint64_t t = 0; t < iters; t++) {
        unsigned f = bc_sched_bits(fw, t, iters, cycles), b = bc_sched_bits(bw, t, iters, cycles);
        if (t == 0 || t + 1 == iters || f != pf || b != pb)
            bc_plot_cmd(&p, "%llu %u %u\n", (unsigned long long)t, f, b);
        pf = f;
        pb = b;
    }
    bc_plot_block_end(&p);
    bc_plot_cmd(&p, "set title ");
    bc_plot_str(&p, title);
    bc_plot_cmd(&p, "\nset xlabel 'iteration'\nset ylabel 'bits'\nset xrange [0:%llu]\nset yrange [0:%u]\n"
                "set key below\nset grid\n",
                (unsigned long long)(iters ? iters - 1 : 1), (fw->hi > bw->hi ? fw->hi : bw->hi) + 1u);
    bc_plot_cmd(&p, "plot $sched using 1:2 with steps lw 2 title 'forward (weights, activations)', "
                "$sched using 1:3 with steps lw 2 dt 2 title 'backward (errors)'\n");
    bool ok = bc_plot_write(&p, png, err, sizeof err);
    bc_plot_free(&p);
    if (!ok)
        return bc_fail(CMD, "--plot %s: %s", png, err);
    return BC_EXIT_OK;
}

int cmd_schedule(int argc, char **argv)
{
    enum { OPT_SCHED = 256, OPT_GBITS, OPT_GSCHED, OPT_CYCLES, OPT_ITERS, OPT_JSON, OPT_CSV, OPT_PLOT };
    static const struct option opts[] = {
        {"schedule", required_argument, 0, OPT_SCHED}, {"grad-bits", required_argument, 0, OPT_GBITS},
        {"grad-schedule", required_argument, 0, OPT_GSCHED}, {"cycles", required_argument, 0, OPT_CYCLES},
        {"iters", required_argument, 0, OPT_ITERS},    {"json", no_argument, 0, OPT_JSON},
        {"csv", no_argument, 0, OPT_CSV},              {"plot", required_argument, 0, OPT_PLOT},
        {"output", required_argument, 0, 'o'},         {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *fw_spec = "cpt:3-8", *bw_spec = NULL, *plot = NULL, *out_path = "-";
    uint64_t grad_bits = 8, cycles = 32, iters = 64000;
    bool have_gbits = false, have_cycles = false;
    bc_fmt_t fmt = BC_FMT_TABLE;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (c) {
        case OPT_SCHED: fw_spec = optarg; break;
        case OPT_GBITS:
            if (!bc_parse_u64(CMD, "--grad-bits", optarg, 1, 16, &grad_bits))
                return BC_EXIT_USAGE;
            have_gbits = true;
            break;
        case OPT_GSCHED: bw_spec = optarg; break;
        case OPT_CYCLES:
            if (!bc_parse_u64(CMD, "--cycles", optarg, 1, 1000000, &cycles))
                return BC_EXIT_USAGE;
            have_cycles = true;
            break;
        case OPT_ITERS:
            if (!bc_parse_u64(CMD, "--iters", optarg, 1, 100000000, &iters))
                return BC_EXIT_USAGE;
            break;
        case OPT_JSON:
            if (!bc_fmt_choose(CMD, &fmt, BC_FMT_JSON))
                return BC_EXIT_USAGE;
            break;
        case OPT_CSV:
            if (!bc_fmt_choose(CMD, &fmt, BC_FMT_CSV))
                return BC_EXIT_USAGE;
            break;
        case OPT_PLOT: plot = optarg; break;
        case 'o': out_path = optarg; break;
        case 'h': usage(stdout); return BC_EXIT_OK;
        default: return bc_bad_option(CMD, c, argv, opts);
        }
    }
    if (optind < argc)
        return bc_usage_error(CMD, "unexpected argument '%s' (see --help)", argv[optind]);
    if (have_gbits && bw_spec)
        return bc_usage_error(CMD, "--grad-bits and --grad-schedule are exclusive");
    if (plot) {
        size_t len = strlen(plot);
        if (len < 5 || strcmp(plot + len - 4, ".png"))
            return bc_usage_error(CMD, "--plot: '%s' must end in .png (the plot is a PNG image)", plot);
    }
    bc_sched_t fw, bw;
    char err[256];
    if (bc_sched_parse(fw_spec, &fw, err, sizeof err))
        return bc_usage_error(CMD, "--schedule: %s", err);
    if (bw_spec) {
        if (bc_sched_parse(bw_spec, &bw, err, sizeof err))
            return bc_usage_error(CMD, "--grad-schedule: %s", err);
    } else {
        bw = bc_sched_static((unsigned)grad_bits);
    }
    if (!have_cycles)
        cycles = bc_default_cycles(iters);
    bc_warn_period(CMD, iters, cycles);

    bc_out_t out;
    if (!bc_out_open(&out, out_path, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    FILE *fp = out.fp;
    unsigned ncyc = (unsigned)cycles;
    uint64_t period = iters / cycles ? iters / cycles : 1;
    char fws[64], bws[64];
    bc_sched_format(&fw, fws, sizeof fws);
    bc_sched_format(&bw, bws, sizeof bws);
    if (fmt == BC_FMT_CSV) {
        fprintf(fp, "iteration,fw_bits,bw_bits\n");
        for (uint64_t t = 0; t < iters; t++)
            fprintf(fp, "%llu,%u,%u\n", (unsigned long long)t, bc_sched_bits(&fw, t, iters, ncyc),
                    bc_sched_bits(&bw, t, iters, ncyc));
    } else {
        bc_sched_summary_t s;
        bc_sched_summarize(&fw, &bw, iters, ncyc, fw.hi, bw.hi, &s);
        if (fmt == BC_FMT_JSON) {
            fprintf(fp, "{\"schedule\": ");
            bc_json_str(fp, fws);
            fprintf(fp, ", \"grad_schedule\": ");
            bc_json_str(fp, bws);
            fprintf(fp, ", \"iters\": %llu, \"cycles\": %u, \"period\": %llu", (unsigned long long)iters, ncyc,
                    (unsigned long long)period);
            fprintf(fp, ", \"baseline\": {\"fw_bits\": %u, \"bw_bits\": %u}", s.base_fw, s.base_bw);
            fprintf(fp, ", \"mean_fw_bits\": ");
            bc_json_num(fp, s.mean_fw_bits);
            fprintf(fp, ", \"mean_bw_bits\": ");
            bc_json_num(fp, s.mean_bw_bits);
            fprintf(fp, ", \"switches\": %llu, \"bitops_factor\": ", (unsigned long long)s.switches);
            bc_json_num(fp, s.bitops_factor);
            for (int dir = 0; dir < 2; dir++) {
                const uint64_t *at = dir ? s.bw_iters_at : s.fw_iters_at;
                fprintf(fp, ", \"%s_iters_at\": {", dir ? "bw" : "fw");
                bool first = true;
                for (unsigned b = 1; b <= BC_SCHED_MAX_BITS; b++)
                    if (at[b]) {
                        fprintf(fp, "%s\"%u\": %llu", first ? "" : ", ", b, (unsigned long long)at[b]);
                        first = false;
                    }
                fprintf(fp, "}");
            }
            fprintf(fp, "}\n");
        } else {
            fprintf(fp, "schedule    forward %s, backward %s\n", fws, bws);
            fprintf(fp, "iterations  %llu in %u cycles of T = %llu", (unsigned long long)iters, ncyc,
                    (unsigned long long)period);
            if (period * cycles != iters && fw.family != BC_SCHED_PROG)
                fprintf(fp, " (last %llu keep cycling with t mod T)",
                        (unsigned long long)(iters - period * cycles));
            fprintf(fp, "\n\n bits  fw iters    fw %%   bw iters    bw %%\n");
            for (unsigned b = 1; b <= BC_SCHED_MAX_BITS; b++)
                if (s.fw_iters_at[b] || s.bw_iters_at[b])
                    fprintf(fp, "%5u %9llu %6.2f%% %10llu %6.2f%%\n", b, (unsigned long long)s.fw_iters_at[b],
                            100.0 * (double)s.fw_iters_at[b] / (double)iters, (unsigned long long)s.bw_iters_at[b],
                            100.0 * (double)s.bw_iters_at[b] / (double)iters);
            fprintf(fp, "\nmean bits      forward %.3f, backward %.3f\n", s.mean_fw_bits, s.mean_bw_bits);
            fprintf(fp, "switches       %llu iterations change precision\n", (unsigned long long)s.switches);
            fprintf(fp, "BitOPs factor  %.4f of static %u/%u (b_fw^2 + 2 b_fw b_bw per MAC)\n", s.bitops_factor,
                    s.base_fw, s.base_bw);
        }
    }
    if (!bc_out_commit(&out, err, sizeof err))
        return bc_fail(CMD, "%s", err);
    if (plot)
        return plot_schedule(plot, &fw, &bw, iters, ncyc);
    return BC_EXIT_OK;
}
