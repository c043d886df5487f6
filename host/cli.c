/* Shared helpers for the bitcycle command-line tool. */
#include "cli.h"

#include <getopt.h>

#include "bc_regs.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static int vreport(const char *cmd, int code, const char *fmt, va_list ap)
{
    fprintf(stderr, "bitcycle%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    return code;
}

int bc_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vreport(cmd, BC_EXIT_USAGE, fmt, ap);
    va_end(ap);
    return rc;
}

int bc_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vreport(cmd, BC_EXIT_FAIL, fmt, ap);
    va_end(ap);
    return rc;
}

bool bc_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+') {
        bc_usage_error(cmd, "%s: expected a whole number in %" PRIu64 "..%" PRIu64 ", got '%s'", opt, lo, hi,
                       s ? s : "");
        return false;
    }
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end != '\0') {
        bc_usage_error(cmd, "%s: '%s' is not a whole number", opt, s);
        return false;
    }
    if (v < lo || v > hi) {
        bc_usage_error(cmd, "%s: %llu is out of range %" PRIu64 "..%" PRIu64, opt, v, lo, hi);
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

bool bc_parse_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out)
{
    if (!s || !*s) {
        bc_usage_error(cmd, "%s: expected a number", opt);
        return false;
    }
    errno = 0;
    char *end = NULL;
    double v = strtod(s, &end);
    if (errno || *end != '\0' || !isfinite(v)) {
        bc_usage_error(cmd, "%s: '%s' is not a finite number", opt, s);
        return false;
    }
    if (v < lo || v > hi) {
        bc_usage_error(cmd, "%s: %g is out of range %g..%g", opt, v, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

double bc_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void bc_progress_start(bc_progress_t *p, const char *label, uint64_t total)
{
    p->label = label;
    p->total = total ? total : 1;
    p->done = 0;
    p->t_start = p->t_last = bc_now_seconds();
    p->enabled = isatty(STDERR_FILENO) && getenv("BITCYCLE_NO_PROGRESS") == NULL;
}

void bc_progress_step(bc_progress_t *p, uint64_t done)
{
    p->done = done;
    if (!p->enabled)
        return;
    double now = bc_now_seconds();
    if (now - p->t_last < 0.1 && done < p->total)
        return;
    p->t_last = now;
    double frac = (double)done / (double)p->total;
    if (frac > 1.0)
        frac = 1.0;
    int width = 30, fill = (int)(frac * width);
    double elapsed = now - p->t_start;
    double eta = frac > 0 ? elapsed * (1.0 - frac) / frac : 0.0;
    char bar[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r%-12s [%s] %5.1f%%  ETA %4.0fs ", p->label, bar, frac * 100.0, eta);
    fflush(stderr);
}

void bc_progress_end(bc_progress_t *p)
{
    if (!p->enabled)
        return;
    bc_progress_step(p, p->total);
    fprintf(stderr, "\n");
}

void bc_json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

void bc_json_num(FILE *fp, double v)
{
    if (!isfinite(v))
        fputs("null", fp);
    else
        fprintf(fp, "%.10g", v);
}

void bc_version_print(FILE *fp)
{
    uint32_t v = BC_PARAM_VERSION;
    fprintf(fp, "bitcycle %u.%u.%u (hardware interface %u.%u.%u)\n", (unsigned)(v >> 16), (unsigned)((v >> 8) & 0xffu),
            (unsigned)(v & 0xffu), (unsigned)(v >> 16), (unsigned)((v >> 8) & 0xffu), (unsigned)(v & 0xffu));
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *bc_nearest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        if (!names[i])
            continue;
        size_t d = edit_distance(word, names[i]);
        /* a prefix counts as close: --sched for --schedule */
        if (strncmp(names[i], word, strlen(word)) == 0 && strlen(word) >= 3)
            d = 1;
        if (d < bd) {
            bd = d;
            best = names[i];
        }
    }
    size_t len = strlen(word);
    return (best && bd <= (len < 6 ? 2 : 3)) ? best : NULL;
}

int bc_bad_option(const char *cmd, int c, char **argv, const struct option *longopts)
{
    const char *arg = argv[optind - 1];
    if (c == ':')
        return bc_usage_error(cmd, "option %s needs a value (see --help)", arg);
    if (optopt && optopt != '?' && (arg[0] != '-' || arg[1] != '-'))
        return bc_usage_error(cmd, "unknown option '-%c' (see --help)", optopt);
    const char *names[128];
    size_t n = 0;
    for (; longopts && longopts[n].name && n < 128; n++)
        names[n] = longopts[n].name;
    char word[80];
    const char *w = arg[0] == '-' && arg[1] == '-' ? arg + 2 : arg;
    snprintf(word, sizeof word, "%.*s", (int)strcspn(w, "="), w);
    const char *near = bc_nearest(word, names, n);
    if (near)
        return bc_usage_error(cmd, "unknown option '%s'; did you mean '--%s'?", arg, near);
    return bc_usage_error(cmd, "unknown option '%s' (see --help)", arg);
}

bool bc_fmt_choose(const char *cmd, bc_fmt_t *fmt, bc_fmt_t want)
{
    if (*fmt != BC_FMT_TABLE && *fmt != want) {
        bc_usage_error(cmd, "--json and --csv are exclusive");
        return false;
    }
    *fmt = want;
    return true;
}

uint64_t bc_default_cycles(uint64_t iters)
{
    uint64_t c = iters / 16u;
    return c < 1 ? 1 : c > BC_DEFAULT_CYCLES ? BC_DEFAULT_CYCLES : c;
}

void bc_warn_period(const char *cmd, uint64_t iters, uint64_t cycles)
{
    if (cycles > iters)
        fprintf(stderr,
                "bitcycle %s: warning: %llu cycles over %llu iterations: the period T = floor(iterations / cycles) "
                "is clamped to 1, so the precision never ramps (give fewer --cycles or more iterations)\n",
                cmd, (unsigned long long)cycles, (unsigned long long)iters);
}
