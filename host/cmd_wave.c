/* bitcycle wave: list precision switches in a trace, or render a window of it. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wave/wave_render.h"
#include "wave/wave_switch.h"

#define CMD "wave"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: bitcycle wave switches FILE.fst|FILE.vcd [--json|--csv] [--window N] [--scope S] [--clock C] [-o OUT]\n"
            "       bitcycle wave render FILE [--around CYCLE | --switch N] [--span N] [--signals GROUP|LIST] -o OUT.png\n"
            "       bitcycle wave gtkw FILE --template SAVE.gtkw -o OUT.gtkw\n"
            "\n"
            "switches  list every precision switch of bitcycle_top in the trace: cycle and time,\n"
            "          old -> new wbits/abits with signedness (8s = 8 bits signed, 3u = 3 bits unsigned),\n"
            "          job ids, idle cycles between the old job's last compute cycle and the new\n"
            "          job's first, and mem_stall cycles within +-N cycles.\n"
            "  --json        JSON object with key \"switches\" (one object per switch)\n"
            "  --csv         one row per switch, columns named as the JSON keys\n"
            "  --window N    stall-count window, cycles each side (default 16)\n"
            "  --scope S     hierarchy scope (default: the one named bitcycle_top)\n"
            "  --clock C     clock signal in that scope (default: clk_i, then clk)\n"
            "  -o OUT        write to OUT atomically (default: stdout)\n"
            "\n"
            "render    draw cycles [CYCLE-N, CYCLE+N] as a PNG with gnuplot (steps for bits,\n"
            "          buses with their values, dashed lines at the switches).\n"
            "  --around CYCLE  centre cycle (default: the first switch)\n"
            "  --switch N      centre on the N-th precision switch of the trace (default 1)\n"
            "  --span N        cycles each side (default 16)\n"
            "  --signals G     group: %s,\n"
            "                  or a comma-separated list of signal names (globs allowed)\n"
            "  --width PX      image width (default 1000)\n"
            "  -o OUT.png      output picture (required; written atomically)\n"
            "\n"
            "gtkw      copy a GTKWave save file, pointing it at FILE and placing named markers\n"
            "          A, B, ... at its first 26 switches (primary marker at the first).\n"
            "\n"
            "Cycle c is the clock period ended by rising edge c; signals are sampled just\n"
            "before each rising edge. FST is read with Verilator's fstapi. See docs/waveforms.md.\n",
            wave_render_group_names());
}

static void json_prec(FILE *fp, const wave_prec_t *p)
{
    fprintf(fp, "{\"wbits\": %u, \"abits\": %u, \"wsigned\": %s, \"asigned\": %s}", p->wbits, p->abits,
            p->wsigned ? "true" : "false", p->asigned ? "true" : "false");
}

/* One row per switch; the columns are the JSON keys of one switch object. */
static void csv_switches(FILE *fp, const wave_switch_result_t *r)
{
    fprintf(fp, "switch,cycle,time,old_job_id,new_job_id,old_wbits,old_abits,old_wsigned,old_asigned,"
                "new_wbits,new_abits,new_wsigned,new_asigned,idle_cycles,stall_cycles\n");
    for (size_t i = 0; i < r->nsw; i++) {
        const wave_switch_t *s = &r->sw[i];
        fprintf(fp, "%zu,%llu,%llu,%llu,%llu,%u,%u,%d,%d,%u,%u,%d,%d,", i + 1, (unsigned long long)s->cycle,
                (unsigned long long)s->time, (unsigned long long)s->old_job_id, (unsigned long long)s->new_job_id,
                s->old_prec.wbits, s->old_prec.abits, s->old_prec.wsigned, s->old_prec.asigned, s->new_prec.wbits,
                s->new_prec.abits, s->new_prec.wsigned, s->new_prec.asigned);
        if (s->idle_cycles >= 0)
            fprintf(fp, "%lld", (long long)s->idle_cycles);
        fputc(',', fp);
        if (s->stall_cycles >= 0)
            fprintf(fp, "%lld", (long long)s->stall_cycles);
        fputc('\n', fp);
    }
}

static void print_switches(FILE *fp, const char *path, const wave_switch_result_t *r, unsigned window,
                           bc_fmt_t fmt)
{
    if (fmt == BC_FMT_CSV) {
        csv_switches(fp, r);
        return;
    }
    if (fmt == BC_FMT_JSON) {
        fprintf(fp, "{\n  \"file\": ");
        bc_json_str(fp, path);
        fprintf(fp, ",\n  \"scope\": ");
        bc_json_str(fp, r->scope);
        fprintf(fp, ",\n  \"clock\": ");
        bc_json_str(fp, r->clock);
        fprintf(fp, ",\n  \"timescale\": ");
        bc_json_str(fp, r->timescale);
        fprintf(fp,
                ",\n  \"clock_period\": %llu,\n  \"first_cycle\": %llu,\n  \"last_cycle\": %llu,\n"
                "  \"jobs\": %llu,\n  \"compute_cycles\": %llu,\n  \"stall_cycles\": %llu,\n"
                "  \"window\": %u,\n  \"switches\": [",
                (unsigned long long)r->period, (unsigned long long)r->first_cycle,
                (unsigned long long)r->last_cycle, (unsigned long long)r->jobs,
                (unsigned long long)r->compute_cycles, (unsigned long long)r->stall_cycles, window);
        for (size_t i = 0; i < r->nsw; i++) {
            const wave_switch_t *s = &r->sw[i];
            fprintf(fp, "%s\n    {\"cycle\": %llu, \"time\": %llu, \"old_job_id\": %llu, \"new_job_id\": %llu, \"old\": ",
                    i ? "," : "", (unsigned long long)s->cycle, (unsigned long long)s->time,
                    (unsigned long long)s->old_job_id, (unsigned long long)s->new_job_id);
            json_prec(fp, &s->old_prec);
            fprintf(fp, ", \"new\": ");
            json_prec(fp, &s->new_prec);
            fprintf(fp, ", \"idle_cycles\": ");
            if (s->idle_cycles < 0)
                fprintf(fp, "null");
            else
                fprintf(fp, "%lld", (long long)s->idle_cycles);
            fprintf(fp, ", \"stall_cycles\": ");
            if (s->stall_cycles < 0)
                fprintf(fp, "null");
            else
                fprintf(fp, "%lld", (long long)s->stall_cycles);
            fprintf(fp, "}");
        }
        fprintf(fp, "%s]\n}\n", r->nsw ? "\n  " : "");
        return;
    }
    fprintf(fp, "trace %s: scope %s, clock %s (period %llu x %s), cycles %llu..%llu\n", path, r->scope,
            r->clock, (unsigned long long)r->period, r->timescale, (unsigned long long)r->first_cycle,
            (unsigned long long)r->last_cycle);
    fprintf(fp, "%zu precision switch%s in %llu job starts (stalls counted within +-%u cycles)\n", r->nsw,
            r->nsw == 1 ? "" : "es", (unsigned long long)r->jobs, window);
    if (!r->nsw)
        return;
    fprintf(fp, "%4s %10s %14s %13s %17s %6s %7s\n", "#", "cycle", "time", "job -> job", "old -> new",
            "idle", "stalls");
    for (size_t i = 0; i < r->nsw; i++) {
        const wave_switch_t *s = &r->sw[i];
        char o[24], n[24], jobs[48], prec[64], idle[24], st[24];
        wave_prec_str(&s->old_prec, o, sizeof o);
        wave_prec_str(&s->new_prec, n, sizeof n);
        snprintf(jobs, sizeof jobs, "%llu -> %llu", (unsigned long long)s->old_job_id,
                 (unsigned long long)s->new_job_id);
        snprintf(prec, sizeof prec, "%s -> %s", o, n);
        if (s->idle_cycles < 0)
            snprintf(idle, sizeof idle, "?");
        else
            snprintf(idle, sizeof idle, "%lld", (long long)s->idle_cycles);
        if (s->stall_cycles < 0)
            snprintf(st, sizeof st, "-");
        else
            snprintf(st, sizeof st, "%lld", (long long)s->stall_cycles);
        fprintf(fp, "%4zu %10llu %14llu %13s %17s %6s %7s\n", i + 1, (unsigned long long)s->cycle,
                (unsigned long long)s->time, jobs, prec, idle, st);
    }
}

enum { OPT_JSON = 256, OPT_CSV, OPT_SWITCH, OPT_WINDOW, OPT_SCOPE, OPT_CLOCK, OPT_AROUND, OPT_SPAN, OPT_SIGNALS, OPT_WIDTH, OPT_TEMPLATE };
enum { MODE_SWITCHES, MODE_RENDER, MODE_GTKW };

#define GTKW_NAMED_MARKERS 26 /* A..Z in GTKWave */

/* Template lines are copied except the ones this command writes itself. */
static bool gtkw_line_replaced(const char *line)
{
    return !strncmp(line, "[dumpfile]", 10) || !strncmp(line, "[timestart]", 11) || line[0] == '*' ||
           !strncmp(line, "[markername", 11);
}

/* What the template says about the window: its zoom ("*ZOOM ..." line) and
 * the widths that leave the wave pane's pixels. */
typedef struct gtkw_geom {
    double zoom;
    unsigned size_w, sst_w, signals_w;
} gtkw_geom_t;

static bool gtkw_template_geom(const char *template_path, gtkw_geom_t *g, char *err, size_t errlen)
{
    bc_lines_t in;
    const char *line;
    int rc;
    *g = (gtkw_geom_t){.zoom = -14.0, .size_w = 1600, .sst_w = 240, .signals_w = 330};
    if (!bc_lines_open(&in, template_path, 0, 1u << 20, err, errlen))
        return false;
    while ((rc = bc_lines_next(&in, &line, err, errlen)) == 1) {
        if (line[0] == '*')
            sscanf(line + 1, "%lf", &g->zoom);
        sscanf(line, "[size] %u", &g->size_w);
        sscanf(line, "[sst_width] %u", &g->sst_w);
        sscanf(line, "[signals_width] %u", &g->signals_w);
    }
    bc_lines_close(&in);
    if (rc == 0 && !isfinite(g->zoom)) {
        snprintf(err, errlen, "%s: the zoom line is not a finite number", template_path);
        return false;
    }
    return rc == 0;
}

/* GTKWave's zoom z shows 2^-z / 200 time units per pixel of the wave pane,
 * which is [size] minus the two side panes and about 61 pixels of frame
 * (measured with GTKWave 3.3 of Debian 12; tests/waveforms checks that the
 * opening window holds every marker). */
static double gtkw_zoom_for(const gtkw_geom_t *g, uint64_t duration)
{
    double px = (double)g->size_w - g->sst_w - g->signals_w - 61.0;
    if (px < 100.0)
        px = 100.0;
    if (!duration)
        return g->zoom;
    return -log2(200.0 * (double)duration / px);
}

/* Trace times go to GTKWave as signed 64-bit numbers. */
static bool gtkw_time(uint64_t t, long long *out)
{
    if (t > (uint64_t)INT64_MAX)
        return false;
    *out = (long long)t;
    return true;
}

static int gtkw_time_error(uint64_t t)
{
    return bc_fail(CMD, "gtkw: trace time %llu does not fit GTKWave's signed 64-bit times", (unsigned long long)t);
}

/* Marker comments, the trace (absolute path, so the file opens from any
 * directory), and a window that holds every named marker. */
static int write_gtkw_markers(FILE *fp, const wave_switch_result_t *r, const char *trace_abs, const gtkw_geom_t *g)
{
    size_t nm = r->nsw < GTKW_NAMED_MARKERS ? r->nsw : GTKW_NAMED_MARKERS;
    for (size_t i = 0; i < nm; i++) {
        char a[24], b[24];
        wave_prec_str(&r->sw[i].old_prec, a, sizeof a);
        wave_prec_str(&r->sw[i].new_prec, b, sizeof b);
        fprintf(fp, "[*] marker %c: cycle %llu, %s -> %s, jobs %llu -> %llu, idle %lld\n", (int)('A' + i),
                (unsigned long long)r->sw[i].cycle, a, b, (unsigned long long)r->sw[i].old_job_id,
                (unsigned long long)r->sw[i].new_job_id, (long long)r->sw[i].idle_cycles);
    }
    fprintf(fp, "[*] one clock cycle is %llu trace time units: cycle = (time + %llu) / %llu\n",
            (unsigned long long)r->period, (unsigned long long)(r->period - 1), (unsigned long long)r->period);
    fprintf(fp, "[dumpfile] \"%s\"\n", trace_abs);
    uint64_t first = nm ? r->sw[0].time : 0, last = nm ? r->sw[nm - 1].time : 0, lead;
    if (__builtin_mul_overflow(r->period, (uint64_t)24, &lead))
        lead = UINT64_MAX / 4;
    uint64_t start = first > lead ? first - lead : 0, end;
    if (__builtin_add_overflow(last, lead, &end))
        return gtkw_time_error(last);
    long long t0, tm;
    if (!gtkw_time(start, &t0) || !gtkw_time(end, &tm))
        return gtkw_time_error(end);
    double zoom = nm ? gtkw_zoom_for(g, end - start) : g->zoom;
    fprintf(fp, "[timestart] %lld\n*%f", t0, zoom);
    for (size_t i = 0; i <= GTKW_NAMED_MARKERS; i++) { /* primary marker, then A..Z */
        size_t k = i ? i - 1 : 0;
        if (k < nm && !gtkw_time(r->sw[k].time, &tm))
            return gtkw_time_error(r->sw[k].time);
        fprintf(fp, " %lld", k < nm ? tm : -1LL);
    }
    fprintf(fp, "\n");
    return BC_EXIT_OK;
}

/* A template's translate filter line "^N FILE": FILE relative to the template. */
static void gtkw_filter_line(FILE *fp, const char *line, const char *template_path)
{
    char *sp = strchr(line, ' ');
    if (!sp || sp[1] == '/' || !sp[1]) {
        fprintf(fp, "%s\n", line);
        return;
    }
    char tdir[4096], rel[8200], abs[PATH_MAX];
    snprintf(tdir, sizeof tdir, "%s", template_path);
    char *slash = strrchr(tdir, '/');
    snprintf(rel, sizeof rel, "%s/%s", slash ? (*slash = '\0', tdir) : ".", sp + 1);
    if (realpath(rel, abs))
        fprintf(fp, "%.*s %s\n", (int)(sp - line), line, abs);
    else
        fprintf(fp, "%s\n", line);
}

static int write_gtkw(const char *path, const char *template_path, const char *out_path,
                      const wave_switch_opts_t *so)
{
    char err[1024];
    if (strpbrk(path, "\"\n\r"))
        return bc_usage_error(CMD, "gtkw: trace path '%s' must not contain quotes or line breaks", path);
    gtkw_geom_t geom;
    if (!gtkw_template_geom(template_path, &geom, err, sizeof err))
        return bc_fail(CMD, "gtkw: --template: %s", err);
    wave_switch_result_t r;
    if (wave_switches_file(path, so, &r, err, sizeof err))
        return bc_fail(CMD, "gtkw: %s", err);
    bc_out_t out;
    bc_lines_t in;
    if (!bc_lines_open(&in, template_path, 0, 1u << 20, err, sizeof err)) {
        wave_switch_result_free(&r);
        return bc_fail(CMD, "gtkw: --template: %s", err);
    }
    if (!bc_out_open(&out, out_path, err, sizeof err)) {
        bc_lines_close(&in);
        wave_switch_result_free(&r);
        return bc_fail(CMD, "-o: %s", err);
    }
    char trace_abs[PATH_MAX];
    if (!realpath(path, trace_abs) || strpbrk(trace_abs, "\"\n\r")) {
        bc_lines_close(&in);
        bc_out_abort(&out);
        wave_switch_result_free(&r);
        return bc_fail(CMD, "gtkw: %s: cannot resolve the trace's absolute path", path);
    }
    fprintf(out.fp, "[*] written by bitcycle wave gtkw from %s\n", template_path);
    int rc = write_gtkw_markers(out.fp, &r, trace_abs, &geom);
    wave_switch_result_free(&r);
    const char *line;
    int got = 0;
    while (rc == BC_EXIT_OK && (got = bc_lines_next(&in, &line, err, sizeof err)) == 1)
        if (line[0] == '^' && line[1] >= '1' && line[1] <= '9')
            gtkw_filter_line(out.fp, line, template_path);
        else if (!gtkw_line_replaced(line))
            fprintf(out.fp, "%s\n", line);
    bc_lines_close(&in);
    if (rc != BC_EXIT_OK || got < 0) {
        bc_out_abort(&out);
        return rc != BC_EXIT_OK ? rc : bc_fail(CMD, "gtkw: --template: %s", err);
    }
    if (!bc_out_commit(&out, err, sizeof err))
        return bc_fail(CMD, "-o: %s", err);
    return BC_EXIT_OK;
}

static int run(int argc, char **argv, int mode)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},          {"json", no_argument, NULL, OPT_JSON},
        {"csv", no_argument, NULL, OPT_CSV},        {"switch", required_argument, NULL, OPT_SWITCH},
        {"window", required_argument, NULL, OPT_WINDOW}, {"scope", required_argument, NULL, OPT_SCOPE},
        {"clock", required_argument, NULL, OPT_CLOCK}, {"around", required_argument, NULL, OPT_AROUND},
        {"span", required_argument, NULL, OPT_SPAN}, {"signals", required_argument, NULL, OPT_SIGNALS},
        {"width", required_argument, NULL, OPT_WIDTH}, {"output", required_argument, NULL, 'o'},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {NULL, 0, NULL, 0}};
    const char *sub = argv[0];
    bc_fmt_t fmt = BC_FMT_TABLE;
    bool have_around = false;
    uint64_t window = 16, around = 0, span = 16, width = 1000, sw_index = 1;
    const char *out_path = NULL, *signals = "switch", *template_path = NULL;
    bool is_render = mode == MODE_RENDER;
    wave_switch_opts_t so = {0};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return BC_EXIT_OK;
        case OPT_JSON:
        case OPT_CSV:
            if (mode != MODE_SWITCHES)
                return bc_usage_error(CMD, "%s: --json and --csv apply to 'switches' only", sub);
            if (!bc_fmt_choose(CMD, &fmt, c == OPT_JSON ? BC_FMT_JSON : BC_FMT_CSV))
                return BC_EXIT_USAGE;
            break;
        case OPT_WINDOW:
            if (!bc_parse_u64(CMD, "--window", optarg, 0, 1000000, &window))
                return BC_EXIT_USAGE;
            break;
        case OPT_SCOPE: so.scope = optarg; break;
        case OPT_CLOCK: so.clock = optarg; break;
        case OPT_AROUND:
            if (!bc_parse_u64(CMD, "--around", optarg, 0, UINT64_MAX / 4, &around))
                return BC_EXIT_USAGE;
            have_around = true;
            break;
        case OPT_SWITCH:
            if (!bc_parse_u64(CMD, "--switch", optarg, 1, 1000000, &sw_index))
                return BC_EXIT_USAGE;
            break;
        case OPT_SPAN:
            if (!bc_parse_u64(CMD, "--span", optarg, 1, 2000, &span))
                return BC_EXIT_USAGE;
            break;
        case OPT_SIGNALS: signals = optarg; break;
        case OPT_WIDTH:
            if (!bc_parse_u64(CMD, "--width", optarg, 320, 8000, &width))
                return BC_EXIT_USAGE;
            break;
        case 'o': out_path = optarg; break;
        case OPT_TEMPLATE: template_path = optarg; break;
        default: return bc_bad_option(CMD, c, argv, opts);
        }
    }
    if (optind != argc - 1)
        return bc_usage_error(CMD, "%s: expected exactly one trace FILE (.fst or .vcd), got %d", sub,
                              argc - optind);
    const char *path = argv[optind];
    so.window = (unsigned)window;
    char err[1024];

    if (mode == MODE_GTKW) {
        if (!template_path || !out_path)
            return bc_usage_error(CMD, "gtkw: --template SAVE.gtkw and -o OUT.gtkw are required");
        return write_gtkw(path, template_path, out_path, &so);
    }
    if (is_render) {
        if (!out_path)
            return bc_usage_error(CMD, "render: -o OUT.png is required");
        size_t shown = 0;
        wave_render_opts_t ro = {.scope = so.scope, .clock = so.clock, .signals = signals,
                                 .around = around, .have_around = have_around, .span = span,
                                 .switch_index = (unsigned)sw_index,
                                 .width = (unsigned)width, .out_path = out_path, .switches_shown = &shown};
        int rc = wave_render(path, &ro, err, sizeof err);
        if (rc == WAVE_RENDER_BAD_INPUT)
            return bc_usage_error(CMD, "render: %s", err);
        if (rc != 0)
            return bc_fail(CMD, "render: %s", err);
        if (!shown)
            fprintf(stderr, "bitcycle wave: render: warning: cycles %llu..%llu hold no precision switch "
                    "(bitcycle wave switches lists them)\n",
                    (unsigned long long)(around > span ? around - span : 0), (unsigned long long)(around + span));
        fprintf(stderr, "bitcycle wave: wrote %s\n", out_path);
        return BC_EXIT_OK;
    }

    wave_switch_result_t r;
    if (wave_switches_file(path, &so, &r, err, sizeof err))
        return bc_fail(CMD, "switches: %s", err);
    bc_out_t out;
    if (!bc_out_open(&out, out_path ? out_path : "-", err, sizeof err)) {
        wave_switch_result_free(&r);
        return bc_fail(CMD, "-o: %s", err);
    }
    print_switches(out.fp, path, &r, so.window, fmt);
    wave_switch_result_free(&r);
    if (!bc_out_commit(&out, err, sizeof err))
        return bc_fail(CMD, "-o: %s", err);
    return BC_EXIT_OK;
}

int cmd_wave(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? BC_EXIT_USAGE : BC_EXIT_OK;
    }
    if (!strcmp(argv[1], "switches"))
        return run(argc - 1, argv + 1, MODE_SWITCHES);
    if (!strcmp(argv[1], "render"))
        return run(argc - 1, argv + 1, MODE_RENDER);
    if (!strcmp(argv[1], "gtkw"))
        return run(argc - 1, argv + 1, MODE_GTKW);
    static const char *const subs[] = {"switches", "render", "gtkw"};
    const char *near = bc_nearest(argv[1], subs, 3);
    if (near)
        return bc_usage_error(CMD, "unknown subcommand '%s'; did you mean '%s'?", argv[1], near);
    return bc_usage_error(CMD, "unknown subcommand '%s' (expected switches, render or gtkw)", argv[1]);
}
