/* Precision-switch extraction: sample the exec_* signals at each rising clock edge,
 * find job starts whose precision differs from the previous job's, and measure the
 * idle and stall cycles around them. */
#include "wave_switch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SIG_JOB_ID, SIG_WBITS, SIG_ABITS, SIG_WSIGNED, SIG_ASIGNED, SIG_COMPUTE, SIG_JOB_START, SIG_STALL, SIG_COUNT };

const char *const wave_switch_signals[] = {"exec_job_id",  "exec_wbits",   "exec_abits",
                                           "exec_wsigned", "exec_asigned", "exec_compute",
                                           "exec_job_start", "mem_stall",  NULL};

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void wave_prec_str(const wave_prec_t *p, char *buf, size_t len)
{
    snprintf(buf, len, "%u%c/%u%c", p->wbits, p->wsigned ? 's' : 'u', p->abits, p->asigned ? 's' : 'u');
}

static bool scope_matches(const char *scope, const char *want)
{
    size_t ls = strlen(scope), lw = strlen(want);
    if (!strcmp(scope, want))
        return true;
    return ls > lw && scope[ls - lw - 1] == '.' && !strcmp(scope + ls - lw, want);
}

static const char *last_component(const char *scope)
{
    const char *dot = strrchr(scope, '.');
    return dot ? dot + 1 : scope;
}

static bool scope_complete(const wave_trace_t *t, const char *scope)
{
    for (int i = 0; i < SIG_STALL; i++)
        if (!wave_find(t, scope, wave_switch_signals[i]))
            return false;
    return true;
}

int wave_pick_scope(const wave_trace_t *t, const char *path, const char *want_scope, const char *want_clock,
                    char *scope, size_t scope_len, const wave_signal_t **clock, char *err, size_t errlen)
{
    const char *chosen = NULL;
    size_t ncomplete = 0;
    const char *complete = NULL;
    /* Candidate scopes are those holding exec_job_start. */
    for (size_t i = 0; i < t->nsig; i++) {
        const wave_signal_t *s = &t->sig[i];
        if (strcmp(s->name, "exec_job_start"))
            continue;
        if (want_scope) {
            if (scope_matches(s->scope, want_scope)) {
                if (chosen && strcmp(chosen, s->scope)) {
                    set_err(err, errlen, "%s: --scope %s matches both %s and %s; give more of the path",
                            path, want_scope, chosen, s->scope);
                    return -1;
                }
                chosen = s->scope;
            }
            continue;
        }
        if (!strcmp(last_component(s->scope), "bitcycle_top") && !chosen)
            chosen = s->scope;
        if (scope_complete(t, s->scope)) {
            if (!complete || strcmp(complete, s->scope))
                ncomplete++;
            complete = s->scope;
        }
    }
    if (!chosen && !want_scope) {
        if (ncomplete == 1) {
            chosen = complete;
        } else if (ncomplete > 1) {
            set_err(err, errlen, "%s: several scopes hold the exec_* signals and none is bitcycle_top; "
                    "choose one with --scope", path);
            return -1;
        }
    }
    if (!chosen) {
        if (want_scope)
            set_err(err, errlen, "%s: no scope matching --scope %s holds exec_job_start", path, want_scope);
        else
            set_err(err, errlen, "%s: no bitcycle_top scope with exec_job_start in this trace "
                    "(is it a bitcycle_top trace? --scope NAME selects another)", path);
        return -1;
    }
    for (int i = 0; i < SIG_STALL; i++)
        if (!wave_find(t, chosen, wave_switch_signals[i])) {
            set_err(err, errlen, "%s: scope %s has no signal '%s'", path, chosen, wave_switch_signals[i]);
            return -1;
        }
    snprintf(scope, scope_len, "%s", chosen);
    const char *clocks[] = {want_clock, "clk_i", "clk"};
    *clock = NULL;
    for (size_t i = want_clock ? 0 : 1; i < (want_clock ? 1 : 3) && !*clock; i++)
        *clock = wave_find(t, chosen, clocks[i]);
    if (!*clock) {
        if (want_clock)
            set_err(err, errlen, "%s: scope %s has no clock signal '%s' (--clock)", path, chosen, want_clock);
        else
            set_err(err, errlen, "%s: scope %s has no clock 'clk_i' or 'clk'; name it with --clock", path,
                    chosen);
        return -1;
    }
    return 0;
}

int wave_clock_timing(const wave_signal_t *clk, const char *path, uint64_t *period, uint64_t *phase,
                      char *err, size_t errlen)
{
    uint64_t first = 0, prev_edge = 0, best = 0, edges = 0;
    bool prev_low = false;
    for (size_t i = 0; i < clk->n; i++) {
        bool known = !(clk->ch[i].xmask & 1);
        bool high = known && (clk->ch[i].value & 1);
        if (high && prev_low) {
            if (edges == 0)
                first = clk->ch[i].time;
            else if (!best || clk->ch[i].time - prev_edge < best)
                best = clk->ch[i].time - prev_edge;
            prev_edge = clk->ch[i].time;
            edges++;
        }
        prev_low = known && !high;
    }
    if (edges < 2 || best == 0) {
        set_err(err, errlen, "%s: clock %s has %llu rising edge%s; need at least two", path, clk->name,
                (unsigned long long)edges, edges == 1 ? "" : "s");
        return -1;
    }
    *period = best;
    *phase = first % best;
    return 0;
}

static uint64_t bit_value(uint64_t v, uint64_t x)
{
    return v & ~x; /* x/z bits read as 0 */
}

/* Number of entries of the sorted array in [lo, hi]. */
static uint64_t count_in_range(const uint64_t *a, size_t n, uint64_t lo, uint64_t hi)
{
    size_t l = 0, r = n;
    while (l < r) {
        size_t m = l + (r - l) / 2;
        if (a[m] < lo)
            l = m + 1;
        else
            r = m;
    }
    size_t start = l;
    r = n;
    while (l < r) {
        size_t m = l + (r - l) / 2;
        if (a[m] <= hi)
            l = m + 1;
        else
            r = m;
    }
    return l - start;
}

int wave_switches(const wave_trace_t *t, const char *path, const wave_switch_opts_t *opts,
                  wave_switch_result_t *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    const wave_signal_t *clk;
    if (wave_pick_scope(t, path, opts->scope, opts->clock, res->scope, sizeof res->scope, &clk, err, errlen))
        return -1;
    snprintf(res->clock, sizeof res->clock, "%s", clk->name);
    wave_timescale_str(t, res->timescale, sizeof res->timescale);
    if (wave_clock_timing(clk, path, &res->period, &res->phase, err, errlen))
        return -1;
    const wave_signal_t *sig[SIG_COUNT];
    size_t cur[SIG_COUNT] = {0};
    for (int i = 0; i < SIG_COUNT; i++)
        sig[i] = wave_find(t, res->scope, wave_switch_signals[i]);
    res->has_stall = sig[SIG_STALL] != NULL;

    uint64_t *stalls = NULL;
    size_t nstall = 0, stall_cap = 0, sw_cap = 0;
    bool have_prev = false, pending = false, have_compute = false, clk_low = false;
    wave_prec_t prev = {0};
    uint64_t prev_id = 0, last_compute = 0, pending_last = 0, last_edge = 0;
    bool pending_has_last = false;
    int rc = 0;

    for (size_t e = 0; e < clk->n && rc == 0; e++) {
        const wave_change_t *c = &clk->ch[e];
        bool known = !(c->xmask & 1);
        bool high = known && (c->value & 1);
        bool rising = high && clk_low;
        clk_low = known && !high;
        if (!rising)
            continue;
        uint64_t te = c->time;
        /* A windowed trace skips cycles: compute seen before the gap says nothing
         * about idle cycles after it. */
        if (last_edge && te - last_edge > res->period + res->period / 2)
            have_compute = false;
        last_edge = te;
        uint64_t v[SIG_COUNT] = {0};
        bool ok = true;
        for (int i = 0; i < SIG_COUNT && ok; i++) {
            uint64_t val, xm;
            if (!sig[i])
                continue;
            if (!wave_value_before(sig[i], te, &cur[i], &val, &xm))
                ok = i == SIG_STALL; /* a missing stall value just counts as no stall */
            else
                v[i] = bit_value(val, xm);
        }
        if (!ok)
            continue;
        uint64_t cycle = (te - res->phase) / res->period;
        if (!res->samples)
            res->first_cycle = cycle;
        res->last_cycle = cycle;
        res->samples++;
        if (v[SIG_STALL] & 1) {
            res->stall_cycles++;
            if (nstall == stall_cap) {
                stall_cap = stall_cap ? stall_cap * 2 : 256;
                uint64_t *grown = realloc(stalls, stall_cap * sizeof *grown);
                if (!grown) {
                    set_err(err, errlen, "%s: out of memory", path);
                    rc = -1;
                    break;
                }
                stalls = grown;
            }
            stalls[nstall++] = cycle;
        }
        wave_prec_t p = {(unsigned)v[SIG_WBITS], (unsigned)v[SIG_ABITS], (v[SIG_WSIGNED] & 1) != 0,
                         (v[SIG_ASIGNED] & 1) != 0};
        if (v[SIG_JOB_START] & 1) {
            res->jobs++;
            bool differs = p.wbits != prev.wbits || p.abits != prev.abits || p.wsigned != prev.wsigned ||
                           p.asigned != prev.asigned;
            if (have_prev && differs) {
                if (res->nsw == sw_cap) {
                    sw_cap = sw_cap ? sw_cap * 2 : 16;
                    wave_switch_t *grown = realloc(res->sw, sw_cap * sizeof *grown);
                    if (!grown) {
                        set_err(err, errlen, "%s: out of memory", path);
                        rc = -1;
                        break;
                    }
                    res->sw = grown;
                }
                wave_switch_t *s = &res->sw[res->nsw++];
                *s = (wave_switch_t){.cycle = cycle, .time = te >= res->period ? te - res->period : 0, .old_job_id = prev_id,
                                     .new_job_id = v[SIG_JOB_ID], .old_prec = prev, .new_prec = p,
                                     .idle_cycles = -1, .stall_cycles = -1};
                pending = true;
                pending_has_last = have_compute;
                pending_last = last_compute;
            }
            prev = p;
            prev_id = v[SIG_JOB_ID];
            have_prev = true;
        }
        if (v[SIG_COMPUTE] & 1) {
            res->compute_cycles++;
            if (pending) {
                if (pending_has_last)
                    res->sw[res->nsw - 1].idle_cycles = (int64_t)(cycle - pending_last) - 1;
                pending = false;
            }
            if (!have_prev) { /* the trace window opens inside a job */
                prev = p;
                prev_id = v[SIG_JOB_ID];
                have_prev = true;
            }
            last_compute = cycle;
            have_compute = true;
        }
    }
    if (rc == 0 && res->samples == 0) {
        set_err(err, errlen, "%s: no clock cycle with values for the exec_* signals", path);
        rc = -1;
    }
    if (rc == 0 && res->has_stall)
        for (size_t i = 0; i < res->nsw; i++) {
            uint64_t c = res->sw[i].cycle, w = opts->window;
            res->sw[i].stall_cycles = (int64_t)count_in_range(stalls, nstall, c > w ? c - w : 0, c + w);
        }
    free(stalls);
    if (rc)
        wave_switch_result_free(res);
    return rc;
}

typedef struct want_ctx {
    const char *clock;
} want_ctx_t;

static bool want_switch_signal(const char *scope, const char *name, unsigned width, void *ctx)
{
    (void)scope, (void)width;
    const want_ctx_t *w = ctx;
    if ((w->clock && !strcmp(name, w->clock)) || !strcmp(name, "clk_i") || !strcmp(name, "clk"))
        return true;
    for (size_t i = 0; wave_switch_signals[i]; i++)
        if (!strcmp(name, wave_switch_signals[i]))
            return true;
    return false;
}

int wave_switches_file(const char *path, const wave_switch_opts_t *opts, wave_switch_result_t *res,
                       char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    wave_trace_t t;
    want_ctx_t w = {opts->clock};
    if (wave_load(path, want_switch_signal, &w, &t, err, errlen))
        return -1;
    int rc = wave_switches(&t, path, opts, res, err, errlen);
    wave_free(&t);
    return rc;
}

void wave_switch_result_free(wave_switch_result_t *res)
{
    free(res->sw);
    res->sw = NULL;
    res->nsw = 0;
}
