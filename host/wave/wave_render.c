/* Waveform pictures through gnuplot: one lane per signal, steps for single bits,
 * bus outlines with their values for vectors, dashed red lines at precision switches. */
#include "wave_render.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot.h"
#include "wave_switch.h"
#include "wave_trace.h"

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* The groups match the GTKWave save files in waveforms/. */
typedef struct group {
    const char *name;
    const char *pats[16];
} group_t;

static const group_t groups[] = {
    {"switch", {"exec_job_start", "exec_compute", "exec_job_id", "exec_wbits", "exec_abits", "exec_wsigned",
                "exec_asigned", "exec_plane_i", "exec_plane_j", "mem_stall", NULL}},
    {"queue", {"queue_count", "exec_job_id", "exec_job_start", "err_code", "irq_o", NULL}},
    {"precision", {"exec_wbits", "exec_abits", "exec_wsigned", "exec_asigned", NULL}},
    {"sequencer", {"seq_state", "exec_compute", "exec_job_start", NULL}},
    {"planes", {"exec_kc", "exec_plane_j", "exec_plane_i", NULL}},
    {"dma", {"m*_arvalid*", "m*_arready*", "m*_araddr*", "m*_rvalid*", "m*_rready*", "m*_awvalid*",
             "m*_awready*", "m*_wvalid*", "m*_wready*", "m*_bvalid*", "mem_stall", NULL}},
    {"counters", {"cnt_*", NULL}},
};
#define NGROUPS (sizeof groups / sizeof groups[0])

const char *wave_render_group_names(void)
{
    return "switch (default), queue, precision, sequencer, planes, dma, counters";
}

const char *const *wave_render_group(const char *name)
{
    for (size_t i = 0; i < NGROUPS; i++)
        if (!strcmp(groups[i].name, name))
            return groups[i].pats;
    return NULL;
}

/* Selection: the group's patterns, or the user's comma-separated list. */
typedef struct sel {
    char *buf;
    const char *pats[64];
    size_t npats;
    const char *clock;
} sel_t;

static bool sel_parse(sel_t *s, const char *signals, const char *clock)
{
    memset(s, 0, sizeof *s);
    s->clock = clock;
    const char *const *g = wave_render_group(signals);
    if (g) {
        for (; *g && s->npats < 64; g++)
            s->pats[s->npats++] = *g;
        return true;
    }
    s->buf = strdup(signals);
    if (!s->buf)
        return false;
    for (char *tok = strtok(s->buf, ","); tok && s->npats < 64; tok = strtok(NULL, ","))
        if (*tok)
            s->pats[s->npats++] = tok;
    return s->npats > 0;
}

static bool want_render(const char *scope, const char *name, unsigned width, void *ctx)
{
    (void)scope, (void)width;
    const sel_t *s = ctx;
    if ((s->clock && !strcmp(name, s->clock)) || !strcmp(name, "clk_i") || !strcmp(name, "clk"))
        return true;
    for (size_t i = 0; wave_switch_signals[i]; i++)
        if (!strcmp(name, wave_switch_signals[i]))
            return true;
    for (size_t i = 0; i < s->npats; i++)
        if (!fnmatch(s->pats[i], name, 0))
            return true;
    return false;
}

/* Signals whose values are states: shown by name (the encodings of rtl/top). */
typedef struct state_names {
    const char *signal;
    const char *names[8];
} state_names_t;
static const state_names_t state_tables[] = {
    {"seq_state", {"idle", "issue", "operands", "write-back", NULL}},
};

static const char *state_name(const wave_signal_t *s, uint64_t v)
{
    for (size_t i = 0; i < sizeof state_tables / sizeof state_tables[0]; i++) {
        if (strcmp(s->name, state_tables[i].signal))
            continue;
        for (uint64_t k = 0; k < 8 && state_tables[i].names[k]; k++)
            if (k == v)
                return state_tables[i].names[k];
    }
    return NULL;
}

/* Value text of a bus segment: a state's name; decimal for narrow buses and small
 * values (precisions, job ids, counters); hex for addresses, data and large values. */
static void value_text(const wave_signal_t *s, uint64_t v, uint64_t x, char *buf, size_t len)
{
    const char *st = x ? NULL : state_name(s, v);
    if (x)
        snprintf(buf, len, "x");
    else if (st)
        snprintf(buf, len, "%s", st);
    else if (s->width <= 16 || (v < 100000 && !strstr(s->name, "addr") && !strstr(s->name, "data")))
        snprintf(buf, len, "%llu", (unsigned long long)v);
    else
        snprintf(buf, len, "0x%llx", (unsigned long long)v);
}

/* Cycle c spans [phase + (c-1)*period, phase + c*period): the period ended by edge c. */
static double time_to_x(uint64_t t, uint64_t phase, uint64_t period)
{
    return ((double)t - (double)phase) / (double)period + 1.0;
}

/* Approximate width of a label at the 8-point font, in pixels. */
#define LABEL_PX_PER_CHAR 6.0

static void emit_lane(FILE *lines, FILE *labels, const wave_signal_t *s, double base, uint64_t t0, uint64_t t1,
                      uint64_t phase, uint64_t period, double px_per_cycle)
{
    const double lo = base + 0.2, hi = base + 0.75, mid = base + 0.475;
    double x0 = time_to_x(t0, phase, period);
    /* Segments [xa, xb) of constant value across the window. */
    size_t cur = 0;
    uint64_t v = 0, x = ~0ull;
    if (!wave_value_before(s, t0 + 1, &cur, &v, &x)) {
        v = 0;
        x = ~0ull;
    }
    double xa = x0;
    size_t i = cur;
    for (;;) {
        bool last = i >= s->n || s->ch[i].time >= t1;
        uint64_t tb = last ? t1 : s->ch[i].time;
        double xb = time_to_x(tb, phase, period);
        if (xb > xa || last) {
            if (s->width == 1) {
                double y = (x & 1) ? mid : ((v & 1) ? hi : lo);
                fprintf(lines, "%.4f %.4f\n%.4f %.4f\n", xa, y, xb, y);
            } else {
                double d = (xb - xa) / 2 < 0.12 ? (xb - xa) / 2 : 0.12;
                fprintf(lines, "\n%.4f %.4f\n%.4f %.4f\n%.4f %.4f\n%.4f %.4f\n%.4f %.4f\n%.4f %.4f\n%.4f %.4f\n\n",
                        xa, mid, xa + d, hi, xb - d, hi, xb, mid, xb - d, lo, xa + d, lo, xa, mid);
                char txt[32];
                value_text(s, v, x, txt, sizeof txt);
                /* only where the text fits inside its segment, so labels never overlap */
                if ((xb - xa) * px_per_cycle >= LABEL_PX_PER_CHAR * (double)strlen(txt) + 6.0)
                    fprintf(labels, "%.4f %.4f \"%s\"\n", (xa + xb) / 2, mid, txt);
            }
        }
        if (last)
            break;
        v = s->ch[i].value;
        x = s->ch[i].xmask;
        xa = xb;
        i++;
    }
    if (s->width == 1)
        fprintf(lines, "\n\n");
}

/* The window [c0, c1) around the centre cycle and its trace times [t0, t1),
 * with every product checked. */
typedef struct window {
    uint64_t c0, c1, t0, t1;
} window_t;

static int pick_window(const char *path, const wave_render_opts_t *o, const wave_switch_result_t *sw, window_t *w,
                       char *err, size_t errlen)
{
    uint64_t around = o->around;
    if (!o->have_around) {
        unsigned want = o->switch_index ? o->switch_index : 1;
        if (!sw->nsw) {
            set_err(err, errlen, "%s: the trace has no precision switch; give --around CYCLE", path);
            return WAVE_RENDER_BAD_INPUT;
        }
        if (want > sw->nsw) {
            set_err(err, errlen, "--switch %u: the trace has %zu precision switch%s", want, sw->nsw,
                    sw->nsw == 1 ? "" : "es");
            return WAVE_RENDER_BAD_INPUT;
        }
        around = sw->sw[want - 1].cycle;
    }
    w->c0 = around > o->span ? around - o->span : 0;
    if (__builtin_add_overflow(around, o->span + 1, &w->c1) || around > sw->last_cycle + o->span ||
        w->c1 <= sw->first_cycle) {
        set_err(err, errlen, "--around %llu: outside the trace's cycles %llu..%llu", (unsigned long long)around,
                (unsigned long long)sw->first_cycle, (unsigned long long)sw->last_cycle);
        return WAVE_RENDER_BAD_INPUT;
    }
    uint64_t a, b;
    if (__builtin_mul_overflow(w->c0, sw->period, &a) || __builtin_add_overflow(a, sw->phase, &a) ||
        __builtin_mul_overflow(w->c1, sw->period, &b) || __builtin_add_overflow(b, sw->phase, &b)) {
        set_err(err, errlen, "--around %llu: the window's trace times do not fit in 64 bits",
                (unsigned long long)around);
        return WAVE_RENDER_BAD_INPUT;
    }
    /* Cycle c spans the period ended by edge c; a window before the first edge starts at 0. */
    w->t0 = a >= sw->period ? a - sw->period : 0;
    w->t1 = b - sw->period;
    return WAVE_RENDER_OK;
}

/* Lanes in pattern order, each signal once, only from the chosen scope. */
static size_t pick_lanes(const wave_trace_t *t, const sel_t *sel, const char *scope, const wave_signal_t **lanes)
{
    size_t nl = 0;
    for (size_t p = 0; p < sel->npats; p++)
        for (size_t i = 0; i < t->nsig; i++) {
            const wave_signal_t *s = &t->sig[i];
            if (strcmp(s->scope, scope) || fnmatch(sel->pats[p], s->name, 0))
                continue;
            bool dup = false;
            for (size_t k = 0; k < nl && !dup; k++)
                dup = lanes[k] == s;
            if (!dup)
                lanes[nl++] = s;
        }
    return nl;
}

/* Axes, lane names, shading, title and switch markers. */
static size_t write_frame(bc_plot_t *gp, const char *path, const wave_render_opts_t *o, const window_t *w,
                          const wave_signal_t **lanes, size_t nl, const wave_switch_result_t *sw)
{
    bc_plot_cmd(gp, "set xrange [%llu:%llu]\nset yrange [0:%zu]\n", (unsigned long long)w->c0,
                (unsigned long long)w->c1, nl);
    /* About one labelled tick per 80 pixels, on a 1-2-5 step, minor ticks at every cycle. */
    uint64_t want = (w->c1 - w->c0) * 80 / (o->width > 300 ? o->width - 220 : 80) + 1, step = 1;
    for (uint64_t dec = 1; step < want && dec < UINT64_MAX / 10; dec *= 10)
        step = want <= dec ? dec : want <= 2 * dec ? 2 * dec : want <= 5 * dec ? 5 * dec : 10 * dec;
    bc_plot_cmd(gp, "set xlabel 'cycle'\nset xtics %llu, %llu\nset mxtics %llu\n",
                (unsigned long long)((w->c0 + step - 1) / step * step), (unsigned long long)step,
                (unsigned long long)(step <= 10 ? step : 10));
    bc_plot_cmd(gp, "set grid xtics mxtics lc rgb '#e4e4e4' lt 1\nunset key\nset tics nomirror\n");
    bc_plot_cmd(gp, "set lmargin 18\nset rmargin 3\nset ytics (");
    for (size_t k = 0; k < nl; k++) {
        bc_plot_cmd(gp, "%s", k ? ", " : "");
        bc_plot_str(gp, lanes[k]->name); /* signal names come from the trace file */
        bc_plot_cmd(gp, " %.3f", (double)(nl - 1 - k) + 0.475);
    }
    bc_plot_cmd(gp, ")\n");
    for (size_t k = 0; k < nl; k++) {
        /* Shade every other lane so adjacent single-bit lanes stay apart; 0/1 beside bit lanes. */
        if (k % 2 == 0)
            bc_plot_cmd(gp, "set object rect from graph 0, first %zu to graph 1, first %zu fc rgb '#f2f4f8' "
                        "fs solid noborder behind\n", nl - 1 - k, nl - k);
        if (lanes[k]->width == 1)
            bc_plot_cmd(gp, "set label '1' at graph 1, first %.3f offset 0.4,0 font ',7' tc rgb '#707070'\n"
                        "set label '0' at graph 1, first %.3f offset 0.4,0 font ',7' tc rgb '#707070'\n",
                        (double)(nl - 1 - k) + 0.75, (double)(nl - 1 - k) + 0.2);
    }
    bc_plot_cmd(gp, "set tmargin 4\n");
    const char *slash = strrchr(path, '/');
    char what[64], title[512];
    if (strlen(o->signals) <= 32)
        snprintf(what, sizeof what, "%s", o->signals);
    else
        snprintf(what, sizeof what, "%zu signals", nl);
    snprintf(title, sizeof title, "%.300s: cycles %llu..%llu (%s)", slash ? slash + 1 : path,
             (unsigned long long)w->c0, (unsigned long long)(w->c1 - 1), what);
    bc_plot_cmd(gp, "set title ");
    bc_plot_str(gp, title);
    bc_plot_cmd(gp, "\n");
    size_t shown = 0;
    for (size_t i = 0; i < sw->nsw; i++) {
        const wave_switch_t *s = &sw->sw[i];
        if (s->cycle < w->c0 || s->cycle >= w->c1)
            continue;
        shown++;
        char a[24], b[24];
        wave_prec_str(&s->old_prec, a, sizeof a);
        wave_prec_str(&s->new_prec, b, sizeof b);
        bc_plot_cmd(gp, "set arrow from %llu, graph 0 to %llu, graph 1 nohead dt 2 lw 1.5 lc rgb '#cc2222' front\n",
                    (unsigned long long)s->cycle, (unsigned long long)s->cycle);
        bc_plot_cmd(gp, "set label '%s -> %s' at %llu, graph 1 offset 0.3,0.6 tc rgb '#cc2222' font ',8' front\n",
                    a, b, (unsigned long long)s->cycle);
    }
    return shown;
}

/* Lane outlines and value labels as inline data, then the plot command. */
static bool write_lanes(bc_plot_t *gp, const wave_render_opts_t *o, const window_t *w, const wave_signal_t **lanes,
                        size_t nl, const wave_switch_result_t *sw)
{
    char *lines_buf = NULL, *labels_buf = NULL;
    size_t lines_len = 0, labels_len = 0;
    FILE *lines = open_memstream(&lines_buf, &lines_len), *labels = open_memstream(&labels_buf, &labels_len);
    if (!lines || !labels) {
        if (lines)
            fclose(lines);
        if (labels)
            fclose(labels);
        free(lines_buf);
        free(labels_buf);
        return false;
    }
    double px_per_cycle = (double)(o->width > 260 ? o->width - 260 : 60) / (double)(w->c1 - w->c0);
    for (size_t k = 0; k < nl; k++)
        emit_lane(lines, labels, lanes[k], (double)(nl - 1 - k), w->t0, w->t1, sw->phase, sw->period, px_per_cycle);
    fclose(lines);
    fclose(labels);
    /* Data rows are numbers and value texts this file formats itself. */
    bc_plot_block_begin(gp, "lines");
    bc_plot_cmd(gp, "%s", lines_buf);
    bc_plot_block_end(gp);
    bc_plot_block_begin(gp, "labels");
    bc_plot_cmd(gp, "%s\n", labels_buf);
    bc_plot_block_end(gp);
    bc_plot_cmd(gp, "plot $lines using 1:2 with lines lw 1.4 lc rgb '#1f4e9e'%s\n",
                labels_len ? ", $labels using 1:2:3 with labels font ',8' tc rgb '#202020'" : "");
    free(lines_buf);
    free(labels_buf);
    return true;
}

int wave_render(const char *path, const wave_render_opts_t *o, char *err, size_t errlen)
{
    sel_t sel;
    if (!sel_parse(&sel, o->signals, o->clock)) {
        free(sel.buf);
        set_err(err, errlen, "--signals '%s': empty signal list (groups: %s)", o->signals,
                wave_render_group_names());
        return WAVE_RENDER_BAD_INPUT;
    }
    wave_trace_t t;
    if (wave_load(path, want_render, &sel, &t, err, errlen)) {
        free(sel.buf);
        return WAVE_RENDER_FAIL;
    }
    wave_switch_opts_t so = {.scope = o->scope, .clock = o->clock, .window = 0};
    wave_switch_result_t sw = {0};
    const wave_signal_t **lanes = NULL;
    window_t w;
    int rc = WAVE_RENDER_FAIL;
    size_t nl = 0;
    if (wave_switches(&t, path, &so, &sw, err, errlen))
        goto done;
    if ((rc = pick_window(path, o, &sw, &w, err, errlen)) != WAVE_RENDER_OK)
        goto done;
    rc = WAVE_RENDER_FAIL;
    lanes = calloc(t.nsig ? t.nsig : 1, sizeof *lanes);
    if (!lanes) {
        set_err(err, errlen, "out of memory");
        goto done;
    }
    if (!(nl = pick_lanes(&t, &sel, sw.scope, lanes))) {
        set_err(err, errlen, "--signals '%s': no matching signal in scope %s (groups: %s)", o->signals, sw.scope,
                wave_render_group_names());
        rc = WAVE_RENDER_BAD_INPUT;
        goto done;
    }
    bc_plot_t gp;
    if (!bc_plot_begin(&gp, o->width, 90 + 30 * (unsigned)nl, 9, err, errlen))
        goto done;
    size_t shown = write_frame(&gp, path, o, &w, lanes, nl, &sw);
    bool built = write_lanes(&gp, o, &w, lanes, nl, &sw);
    bool plotted = built && bc_plot_write(&gp, o->out_path, err, errlen);
    bc_plot_free(&gp);
    if (!plotted) {
        char why[400];
        snprintf(why, sizeof why, "%s", built ? err : "out of memory");
        set_err(err, errlen, "-o %s: %s", o->out_path, why);
        goto done;
    }
    if (o->switches_shown)
        *o->switches_shown = shown;
    rc = WAVE_RENDER_OK;
done:
    free(lanes);
    wave_switch_result_free(&sw);
    wave_free(&t);
    free(sel.buf);
    return rc;
}
